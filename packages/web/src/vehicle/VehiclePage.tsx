// #/vehicle/:vin — one vehicle: latest state, charts over a period, cell heat strips, fuel cell,
// raw frames with byte-level explanation, sessions, and a parameter query.
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client.js';
import type { Period } from '../api/client.js';
import type { CellsResponse, SeriesResponse, VehicleDetail, VehicleSummary } from '../api/types.js';
import { fmtDateTime, fmtNum } from '../format.js';
import { useI18n } from '../i18n/i18n.js';
import { useLive } from '../live/LiveProvider.js';
import { STATUS_COLORS } from '../status.js';
import { CommandButton } from './CommandButton.js';
import { FramesPanel } from './FramesPanel.js';
import { FuelCellPanel } from './FuelCellPanel.js';
import { HeatStrip } from './HeatStrip.js';
import { PRESETS, PeriodPicker, periodOf } from './PeriodPicker.js';
import { SessionsPanel } from './SessionsPanel.js';
import { TimeSeriesChart } from './TimeSeriesChart.js';

const FIELDS = ['speedKmh', 'socPct', 'totalVoltageV', 'totalCurrentA'];

export function VehiclePage({ vin }: { vin: string }) {
  const { t, locale } = useI18n();
  const { store } = useLive();
  const [detail, setDetail] = useState<VehicleDetail | null>(null);
  const [error, setError] = useState('');
  const [period, setPeriod] = useState<Period>(() => periodOf(Date.now() - PRESETS['1h'], Date.now()));
  const [history, setHistory] = useState<SeriesResponse | null>(null);
  const [cells, setCells] = useState<CellsResponse | null>(null);

  useEffect(() => {
    let alive = true;
    setDetail(null);
    setError('');
    api
      .vehicle(vin)
      .then((d) => alive && setDetail(d))
      .catch((e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      alive = false;
    };
  }, [vin]);

  // A window that ends "now" (the 1 h / 6 h / 24 h presets) slides forward every 30 s, so the
  // charts and heat strips follow the vehicle; a custom range in the past stays where it is.
  // "Now" is the later of the wall clock and the vehicle's last data: a simulator run with time
  // acceleration (nevhub demo --speed 60) reports collection times ahead of the wall clock.
  const lastAt = useRef(0);
  useEffect(() => {
    const timer = setInterval(() => {
      setPeriod((p) => {
        const wall = Date.now();
        const now = Math.max(wall, lastAt.current);
        return wall - p.to < 90_000 ? periodOf(now - (p.to - p.from), now) : p;
      });
    }, 30_000);
    return () => clearInterval(timer);
  }, []);

  // Another vehicle: drop the previous one's series (a refresh of the same one keeps them on
  // screen until the new data arrives, without flicker).
  useEffect(() => {
    setHistory(null);
    setCells(null);
  }, [vin]);

  useEffect(() => {
    let alive = true;
    api
      .history(vin, period, FIELDS)
      .then((h) => alive && setHistory(h))
      .catch(() => alive && setHistory({ t: [], series: {} }));
    api
      .cells(vin, period)
      .then((c) => alive && setCells(c))
      .catch(() => alive && setCells({ t: [], cellVoltagesV: [], temperaturesC: [] }));
    return () => {
      alive = false;
    };
  }, [vin, period]);

  // The registry record (may be null, may lack live fields) filled in with the live state.
  const live = store.get(vin);
  const reg = detail?.vehicle ?? null;
  const v: Partial<VehicleSummary> | undefined = live || reg ? { ...reg, ...live } : undefined;
  if (typeof v?.at === 'number' && v.at > lastAt.current) lastAt.current = v.at;
  const l = detail?.latest;
  const latest: [string, string][] = [
    [t('speed'), fmtNum(l?.speedKmh ?? v?.speedKmh, 1, 'km/h')],
    [t('soc'), fmtNum(l?.socPct ?? v?.socPct, 0, '%')],
    [t('voltage'), fmtNum(l?.totalVoltageV, 1, 'V')],
    [t('current'), fmtNum(l?.totalCurrentA, 1, 'A')],
    [t('odometer'), fmtNum(l?.odometerKm, 1, 'km')],
    [t('maxCell'), fmtNum(l?.maxCellVoltageV, 3, 'V')],
    [t('minCell'), fmtNum(l?.minCellVoltageV, 3, 'V')],
    [t('maxTemp'), fmtNum(l?.maxTempC, 0, '°C')],
    [t('minTemp'), fmtNum(l?.minTempC, 0, '°C')],
    [t('alarmLevel'), fmtNum(l?.alarmLevel ?? v?.alarmLevel)],
    [t('alarmFlags'), l?.alarmFlags?.length ? l.alarmFlags.join(', ') : t('none')],
  ];
  const chart = (testId: string, field: string, title: string, unit: string, color: string) => (
    <TimeSeriesChart testId={testId} title={title} unit={unit} color={color} t={history?.t ?? []} values={history?.series[field] ?? []} />
  );

  return (
    <div className="vehicle-page" data-testid="vehicle-page">
      <div className="vp-head">
        <a className="btn ghost" href="#/">
          ← {t('back')}
        </a>
        <div className="vp-title">
          <h1>
            {v?.status && <span className="dot big" style={{ background: STATUS_COLORS[v.status] }} />}
            {v?.plate ?? vin}
          </h1>
          <div className="muted">
            <span className="mono">{vin}</span>
            {[
              v?.status && t(v.status),
              v?.vehicleType && t(v.vehicleType),
              v?.powertrain && t(v.powertrain),
              v?.version && `${t('protocol')} GB/T 32960-${v.version}`,
              v?.at && `${t('lastSeen')} ${fmtDateTime(v.at, locale)}`,
            ]
              .filter(Boolean)
              .map((part) => ` · ${part}`)
              .join('')}
          </div>
        </div>
        <CommandButton vin={vin} />
      </div>
      {error && <div className="panel error">{t('error')}: {error}</div>}

      <section className="panel">
        <header className="panel-head">
          <h2>{t('latest')}</h2>
        </header>
        <div className="kv-grid">
          {latest.map(([k, val]) => (
            <div className={val.length > 14 ? 'kv wide' : 'kv'} key={k}>
              <span className="kv-k">{k}</span>
              <span className="kv-v">{val}</span>
            </div>
          ))}
        </div>
      </section>

      <PeriodPicker onChange={setPeriod} />

      <section className="charts-grid">
        {chart('chart-speed', 'speedKmh', t('speed'), 'km/h', '#22c55e')}
        {chart('chart-soc', 'socPct', t('soc'), '%', '#3b82f6')}
        {chart('chart-voltage', 'totalVoltageV', t('voltage'), 'V', '#f59e0b')}
        {chart('chart-current', 'totalCurrentA', t('current'), 'A', '#ef4444')}
      </section>
      {history && history.t.length === 0 && <div className="muted">{t('noData')}</div>}

      <section className="panel heat-grid">
        {!cells && <div className="muted">{t('loading')}</div>}
        {cells && (
          <>
            <HeatStrip testId="heat-cells" title={t('cellVoltages')} unit="V" rowLabel={t('cell')} digits={3} t={cells.t} matrix={cells.cellVoltagesV} />
            <HeatStrip testId="heat-temps" title={t('temperatures')} unit="°C" rowLabel={t('probe')} digits={0} t={cells.t} matrix={cells.temperaturesC} />
          </>
        )}
      </section>

      {v?.powertrain === 'fcev' && <FuelCellPanel vin={vin} period={period} />}

      <FramesPanel vin={vin} />
      <SessionsPanel vin={vin} />
    </div>
  );
}
