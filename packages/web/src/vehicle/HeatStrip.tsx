// Heat strip on a canvas: x = time, y = cell (or probe) index, colour = value. Drawn as an
// ImageData of cells × samples and scaled up without smoothing, so one pixel = one reading.
import { useEffect, useMemo, useRef, useState } from 'react';
import { fmtTime } from '../format.js';
import { useI18n } from '../i18n/i18n.js';
import { HEAT_GRADIENT_CSS, extent, heatColor } from './heatScale.js';

interface Props {
  testId: string;
  title: string;
  unit: string;
  rowLabel: string;
  digits: number;
  t: number[];
  /** matrix[time][index] */
  matrix: (number | null)[][];
}

export function HeatStrip({ testId, title, unit, rowLabel, digits, t, matrix }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { locale } = useI18n();
  const [hover, setHover] = useState<string>('');
  const rows = matrix.reduce((n, r) => Math.max(n, r.length), 0);
  const range = useMemo(() => extent(matrix), [matrix]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || rows === 0 || !range) return;
    const cols = matrix.length;
    canvas.width = cols;
    canvas.height = rows;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(cols, rows);
    const span = range[1] - range[0] || 1;
    for (let x = 0; x < cols; x++) {
      const col = matrix[x];
      for (let y = 0; y < rows; y++) {
        const v = col[y];
        const o = (y * cols + x) * 4;
        const [r, g, b] = v == null ? [60, 64, 72] : heatColor((v - range[0]) / span);
        img.data[o] = r;
        img.data[o + 1] = g;
        img.data[o + 2] = b;
        img.data[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
  }, [matrix, rows, range]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>): void => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = Math.floor(((e.clientX - r.left) / r.width) * matrix.length);
    const y = Math.floor(((e.clientY - r.top) / r.height) * rows);
    const v = matrix[x]?.[y];
    setHover(`${fmtTime(t[x], locale)} · ${rowLabel} ${y + 1} · ${v == null ? '—' : `${v.toFixed(digits)} ${unit}`}`);
  };

  return (
    <div className="heat" data-testid={testId}>
      <div className="chart-head">
        <span className="chart-title">{title}</span>
        <span className="chart-last">{hover || `${rows} × ${matrix.length}`}</span>
      </div>
      <canvas
        ref={canvasRef}
        className="heat-canvas"
        style={{ height: Math.min(220, Math.max(60, rows * 2)) }}
        onMouseMove={onMove}
        onMouseLeave={() => setHover('')}
      />
      <div className="heat-legend">
        <span>{range ? `${range[0].toFixed(digits)} ${unit}` : '—'}</span>
        <span className="heat-ramp" style={{ background: HEAT_GRADIENT_CSS }} />
        <span>{range ? `${range[1].toFixed(digits)} ${unit}` : '—'}</span>
      </div>
    </div>
  );
}
