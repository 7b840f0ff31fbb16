// Period selection for the vehicle page: last 1 h / 6 h / 24 h or a custom range.
import { useState } from 'react';
import type { Period } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';

export const PRESETS = { '1h': 3_600_000, '6h': 21_600_000, '24h': 86_400_000 } as const;
export type Preset = keyof typeof PRESETS;

/** About 720 points per chart whatever the span; never finer than 1 s. */
export function periodOf(from: number, to: number): Period {
  return { from, to, step: Math.max(1000, Math.round((to - from) / 720)) };
}

const toLocalInput = (ms: number): string => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

export function PeriodPicker({ onChange }: { onChange: (p: Period) => void }) {
  const { t } = useI18n();
  const [active, setActive] = useState<Preset | 'custom'>('1h');
  const [from, setFrom] = useState(() => toLocalInput(Date.now() - PRESETS['6h']));
  const [to, setTo] = useState(() => toLocalInput(Date.now()));
  const labels = { '1h': t('last1h'), '6h': t('last6h'), '24h': t('last24h') };

  return (
    <div className="period">
      <span className="muted">{t('period')}</span>
      <div className="seg">
        {(Object.keys(PRESETS) as Preset[]).map((p) => (
          <button
            key={p}
            type="button"
            className={active === p ? 'on' : ''}
            onClick={() => {
              setActive(p);
              const now = Date.now();
              onChange(periodOf(now - PRESETS[p], now));
            }}
          >
            {labels[p]}
          </button>
        ))}
        <button type="button" className={active === 'custom' ? 'on' : ''} onClick={() => setActive('custom')}>
          {t('custom')}
        </button>
      </div>
      {active === 'custom' && (
        <form
          className="custom-range"
          onSubmit={(e) => {
            e.preventDefault();
            const a = Date.parse(from);
            const b = Date.parse(to);
            if (Number.isFinite(a) && Number.isFinite(b) && b > a) onChange(periodOf(a, b));
          }}
        >
          <label>
            {t('from')} <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label>
            {t('to')} <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit" className="btn">
            {t('apply')}
          </button>
        </form>
      )}
    </div>
  );
}
