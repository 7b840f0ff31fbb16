// Recent raw frames with the byte-level explanation: pick a frame, see its hex dump and a table
// of byte ranges → field → decoded value. Hovering a row highlights its bytes in the dump.
import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { ExplainRange, FrameRecord } from '../api/types.js';
import { fmtTime } from '../format.js';
import { useI18n } from '../i18n/i18n.js';

function showValue(v: unknown): string {
  if (v == null) return '—';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? '—';
}

function HexDump({ hex, highlight }: { hex: string; highlight: ExplainRange | null }) {
  const bytes = hex.replace(/\s+/g, '').match(/../g) ?? [];
  return (
    <div className="hexdump">
      {bytes.map((b, i) => (
        <span key={i} className={highlight && i >= highlight.start && i < highlight.end ? 'hx on' : 'hx'}>
          {b}
        </span>
      ))}
    </div>
  );
}

export function FramesPanel({ vin }: { vin: string }) {
  const { t, locale } = useI18n();
  const [frames, setFrames] = useState<FrameRecord[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [hover, setHover] = useState<ExplainRange | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let alive = true;
    api
      .frames(vin, 20)
      .then((r) => alive && (setFrames(r.items), setSelected(0)))
      .catch((e: unknown) => alive && setError(String(e)));
    return () => {
      alive = false;
    };
  }, [vin]);

  const frame = frames?.[selected];
  return (
    <section className="panel frames">
      <header className="panel-head">
        <h2>{t('frames')}</h2>
        {error && <span className="error">{error}</span>}
      </header>
      {!frames && !error && <div className="muted">{t('loading')}</div>}
      {frames && frames.length === 0 && <div className="muted">{t('noData')}</div>}
      {frames && frames.length > 0 && (
        <div className="frames-grid">
          <ul className="frame-list">
            {frames.map((f, i) => (
              <li key={f.seq}>
                <button type="button" className={i === selected ? 'frame-item on' : 'frame-item'} onClick={() => setSelected(i)}>
                  <span className="mono">#{f.seq}</span>
                  <span>{f.command}</span>
                  <span className="muted">{fmtTime(f.receivedAt, locale)}</span>
                </button>
              </li>
            ))}
          </ul>
          {frame && (
            <div className="frame-detail">
              <HexDump hex={frame.hex} highlight={hover} />
              <div className="table-scroll">
                <table className="explain" data-testid="frames-table">
                  <thead>
                    <tr>
                      <th>{t('bytes')}</th>
                      <th>{t('hex')}</th>
                      <th>{t('field')}</th>
                      <th>{t('value')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {frame.explain.map((r, i) => (
                      <tr key={i} onMouseEnter={() => setHover(r)} onMouseLeave={() => setHover(null)}>
                        <td className="mono">
                          {r.start}–{r.end - 1}
                        </td>
                        <td className="mono hexcell">{r.hex}</td>
                        <td title={r.path}>{r.name}</td>
                        <td className="mono">{showValue(r.value)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
