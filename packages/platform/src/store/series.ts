// Chart series from the history table's key columns (summary.ts SERIES_FIELDS). Without a step,
// every stored point; with stepMs, one point per step bucket, aggregated in SQL so a vehicle-day
// at 1 Hz (86 400 rows) comes back as a few hundred points for uPlot.
import type Database from 'better-sqlite3';
import { SERIES_FIELDS, type SeriesField } from './summary.js';
import type { HistorySeries } from './types.js';

export type { HistorySeries };

/** How a bucket summarises a field: extremes keep their meaning, the rest are averaged. */
const AGGREGATE: Record<SeriesField, 'avg' | 'max' | 'min'> = {
  speedKmh: 'avg',
  socPct: 'avg',
  totalVoltageV: 'avg',
  totalCurrentA: 'avg',
  odometerKm: 'max',
  lon: 'avg',
  lat: 'avg',
  alarmLevel: 'max',
  h2RemainingPct: 'avg',
  h2MaxPressureMpa: 'max',
  maxCellVoltageV: 'max',
  minCellVoltageV: 'min',
  maxTempC: 'max',
  minTempC: 'min',
};

export class UnknownSeriesFieldError extends Error {
  readonly code = 'NEV_UNKNOWN_SERIES_FIELD';
  constructor(readonly field: string) {
    super(`unknown series field "${field}"; known: ${Object.keys(SERIES_FIELDS).join(', ')}`);
    this.name = 'UnknownSeriesFieldError';
  }
}

export function isSeriesField(f: string): f is SeriesField {
  return Object.hasOwn(SERIES_FIELDS, f);
}

export function historySeries(
  db: Database.Database,
  vin: string,
  fromMs: number,
  toMs: number,
  fields: readonly string[],
  stepMs?: number,
): HistorySeries {
  const checked = fields.map((f) => {
    if (!isSeriesField(f)) throw new UnknownSeriesFieldError(f);
    return f;
  });
  const values: Record<string, (number | null)[]> = {};
  for (const f of checked) values[f] = [];
  const t: number[] = [];
  const cols = checked.map((f, i) => (stepMs ? `${AGGREGATE[f]}(${SERIES_FIELDS[f]})` : SERIES_FIELDS[f]) + ` AS c${i}`);
  const select = cols.length ? ', ' + cols.join(', ') : '';
  let rows: Record<string, number | null>[];
  if (stepMs && stepMs > 0) {
    // Integer division buckets from fromMs; the bucket start is the point's time.
    const step = Math.max(1, Math.floor(stepMs));
    const from = Math.floor(fromMs);
    rows = db
      .prepare<[number, number, number, number, string, number, number], Record<string, number | null>>(
        `SELECT ? + CAST((at - ?) / ? AS INTEGER) * ? AS t${select} FROM history WHERE vin = ? AND at >= ? AND at <= ? GROUP BY t ORDER BY t`,
      )
      .all(from, from, step, step, vin, fromMs, toMs);
  } else {
    rows = db
      .prepare<[string, number, number], Record<string, number | null>>(
        `SELECT at AS t${select} FROM history WHERE vin = ? AND at >= ? AND at <= ? ORDER BY at, seq`,
      )
      .all(vin, fromMs, toMs);
  }
  for (const r of rows) {
    t.push(r.t ?? 0);
    checked.forEach((f, i) => values[f].push(r[`c${i}`] ?? null));
  }
  return { t, values };
}
