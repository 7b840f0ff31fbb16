// Filters (type, powertrain, search) and the vehicle list. Only the first rows are rendered:
// the list is for finding a vehicle, the map is for seeing thousands.
import { useMemo } from 'react';
import { POWERTRAINS, VEHICLE_TYPES } from '../api/types.js';
import type { Powertrain, VehicleType } from '../api/types.js';
import { fmtNum } from '../format.js';
import { useI18n } from '../i18n/i18n.js';
import { useVehicles } from '../live/LiveProvider.js';
import { STATUS_COLORS, matchesFilter } from '../status.js';
import type { VehicleFilter } from '../status.js';

const MAX_ROWS = 100;
const STATUS_ORDER = { alarm: 0, driving: 1, charging: 2, refuelling: 3, parked: 4, offline: 5 } as const;

interface Props {
  filter: VehicleFilter;
  onFilter: (f: VehicleFilter) => void;
}

export function VehicleList({ filter, onFilter }: Props) {
  const vehicles = useVehicles();
  const { t } = useI18n();
  const matching = useMemo(
    () =>
      vehicles
        .filter((v) => matchesFilter(v, filter))
        .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (a.vin < b.vin ? -1 : a.vin > b.vin ? 1 : 0)),
    [vehicles, filter],
  );

  return (
    <section className="panel vehicles">
      <header className="panel-head">
        <h2>{t('vehicles')}</h2>
        <span className="muted">
          {filter.status && (
            <button type="button" className="chip" onClick={() => onFilter({ ...filter, status: '' })}>
              {t(filter.status)} ✕
            </button>
          )}{' '}
          {Math.min(MAX_ROWS, matching.length)} {t('of')} {matching.length}
        </span>
      </header>
      <div className="filters">
        <select
          aria-label="type"
          data-testid="filter-type"
          value={filter.type}
          onChange={(e) => onFilter({ ...filter, type: e.target.value as VehicleType | '' })}
        >
          <option value="">{t('allTypes')}</option>
          {VEHICLE_TYPES.map((k) => (
            <option key={k} value={k}>
              {t(k)}
            </option>
          ))}
        </select>
        <select
          aria-label="powertrain"
          data-testid="filter-powertrain"
          value={filter.powertrain}
          onChange={(e) => onFilter({ ...filter, powertrain: e.target.value as Powertrain | '' })}
        >
          <option value="">{t('allPowertrains')}</option>
          {POWERTRAINS.map((k) => (
            <option key={k} value={k}>
              {t(k)}
            </option>
          ))}
        </select>
        <input
          type="search"
          placeholder={t('search')}
          value={filter.q}
          onChange={(e) => onFilter({ ...filter, q: e.target.value })}
        />
      </div>
      <ul className="vehicle-list">
        {matching.slice(0, MAX_ROWS).map((v) => (
          <li key={v.vin}>
            <a className="vehicle-row" data-testid="vehicle-row" data-status={v.status} href={`#/vehicle/${encodeURIComponent(v.vin)}`}>
              <span className="dot" style={{ background: STATUS_COLORS[v.status] }} title={t(v.status)} />
              <span className="vr-main">
                <span className="vr-plate">{v.plate ?? v.vin}</span>
                <span className="vr-sub">
                  {t(v.vehicleType)} · {t(v.powertrain)}
                </span>
              </span>
              <span className="vr-num">{fmtNum(v.speedKmh, 0, 'km/h')}</span>
              <span className="vr-num">{v.powertrain === 'fcev' && v.h2RemainingPct != null ? `H₂ ${fmtNum(v.h2RemainingPct)}%` : `${fmtNum(v.socPct)}%`}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
