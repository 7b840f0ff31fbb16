// One uPlot line chart. uPlot is imperative: create on data change, resize with the container.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { AlignedData, Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useI18n } from '../i18n/i18n.js';

interface Props {
  testId: string;
  title: string;
  unit: string;
  color: string;
  t: number[];
  values: (number | null)[];
  height?: number;
}

const AXIS = { stroke: '#8b98ad', grid: { stroke: '#1f2a3a', width: 1 }, ticks: { stroke: '#1f2a3a', width: 1 } };

/** 24-hour clock in the UI language; the date is added when the ticks span more than a day. */
function timeTick(sec: number, ticks: number[], locale: string): string {
  const d = new Date(sec * 1000);
  const span = ticks.length > 1 ? ticks[ticks.length - 1] - ticks[0] : 0;
  const time = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
  return span > 86_400 ? `${d.toLocaleDateString(locale, { month: 'numeric', day: 'numeric' })} ${time}` : time;
}

export function TimeSeriesChart({ testId, title, unit, color, t, values, height = 170 }: Props) {
  const boxRef = useRef<HTMLDivElement>(null);
  const { locale } = useI18n();

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const opts: Options = {
      width: Math.max(200, box.clientWidth),
      height,
      legend: { show: false },
      cursor: { points: { size: 6 } },
      scales: { x: { time: true } },
      axes: [
        { ...AXIS, size: 30, values: (_u, ticks) => ticks.map((sec) => timeTick(sec, ticks, locale)) },
        { ...AXIS, size: 52, values: (_u, ticks) => ticks.map((v) => `${+v.toFixed(1)}`) },
      ],
      series: [
        {},
        { label: title, stroke: color, width: 1.6, fill: `${color}22`, spanGaps: false, points: { show: false } },
      ],
    };
    // uPlot wants seconds on a time axis.
    const data: AlignedData = [t.map((ms) => ms / 1000), values];
    const plot = new uPlot(opts, data, box);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, box.clientWidth), height }));
    ro.observe(box);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [t, values, title, color, height, locale]);

  const last = [...values].reverse().find((v) => v != null);
  return (
    <div className="chart" data-testid={testId}>
      <div className="chart-head">
        <span className="chart-title">
          <span className="dot" style={{ background: color }} />
          {title}
        </span>
        <span className="chart-last">{last == null ? '—' : `${last.toFixed(1)} ${unit}`}</span>
      </div>
      <div ref={boxRef} className="chart-box" />
    </div>
  );
}
