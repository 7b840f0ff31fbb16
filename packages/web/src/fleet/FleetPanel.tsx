// Fleet overview: status counts (clickable: filter the map and list by that status), energy and
// hydrogen used today, and the split by vehicle type.
import type { VehicleStatus, VehicleType } from '../api/types.js';
import { VEHICLE_TYPES } from '../api/types.js';
import { fmtNum } from '../format.js';
import { useI18n } from '../i18n/i18n.js';
import { useLive } from '../live/LiveProvider.js';
import { STATUS_COLORS } from '../status.js';

interface Props {
  status: VehicleStatus | '';
  onStatus: (s: VehicleStatus | '') => void;
}

const TILES = [
  { key: 'online', color: '#22c55e', status: '' },
  { key: 'charging', color: STATUS_COLORS.charging, status: 'charging' },
  { key: 'refuelling', color: STATUS_COLORS.refuelling, status: 'refuelling' },
  { key: 'alarm', color: STATUS_COLORS.alarm, status: 'alarm' },
] as const;

export function FleetPanel({ status, onStatus }: Props) {
  const { summary } = useLive();
  const { t } = useI18n();
  const byType = VEHICLE_TYPES.map((k) => [k, summary?.byType[k] ?? 0] as [VehicleType, number]).filter(
    ([k, n]) => n > 0 || k !== 'other',
  );
  const maxType = Math.max(1, ...byType.map(([, n]) => n));

  return (
    <section className="panel">
      <header className="panel-head">
        <h2>{t('fleet')}</h2>
        <span className="muted">
          {t('total')} <b>{fmtNum(summary?.total)}</b>
        </span>
      </header>
      <div className="tiles">
        {TILES.map((tile) => (
          <button
            key={tile.key}
            type="button"
            className={`tile${tile.status && status === tile.status ? ' active' : ''}`}
            style={{ ['--accent' as string]: tile.color }}
            onClick={() => tile.status && onStatus(status === tile.status ? '' : tile.status)}
          >
            <span className="tile-label">{t(tile.key)}</span>
            <span className="tile-value" data-testid={`count-${tile.key}`}>
              {fmtNum(summary?.[tile.key])}
            </span>
          </button>
        ))}
      </div>
      <div className="stat-row">
        <div className="stat">
          <span className="stat-label">{t('energyToday')}</span>
          <span className="stat-value">{fmtNum(summary?.energyTodayKwh, 1, 'kWh')}</span>
        </div>
        <div className="stat">
          <span className="stat-label">{t('hydrogenToday')}</span>
          <span className="stat-value">{fmtNum(summary?.hydrogenTodayKg, 1, 'kg')}</span>
        </div>
      </div>
      <div className="bytype">
        <div className="subhead">{t('byType')}</div>
        {byType.map(([k, n]) => (
          <div className="bar-row" key={k}>
            <span className="bar-label">{t(k)}</span>
            <span className="bar">
              <span className="bar-fill" style={{ width: `${(100 * n) / maxType}%` }} />
            </span>
            <span className="bar-value">{fmtNum(n)}</span>
          </div>
        ))}
      </div>
      <div className="legend">
        {(Object.keys(STATUS_COLORS) as VehicleStatus[]).map((s) => (
          <span key={s} className="legend-item">
            <span className="dot" style={{ background: STATUS_COLORS[s] }} />
            {t(s)} {summary ? fmtNum(summary[s]) : ''}
          </span>
        ))}
      </div>
    </section>
  );
}
