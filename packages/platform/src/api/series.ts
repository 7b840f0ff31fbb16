// Time series from stored history records (the decoded model, spec/data-model.md), for stores that
// have no native historySeries(). A field is named like the data model:
//   speedKmh, socPct, h2RemainingPct, ...   first item that carries the key;
//   lon, lat, alarmLevel                     position longitude/latitude, alarm maxLevel;
//   fuelCell.voltageV, fuelCellStacks.stacks.0.voltageV   item type, then a path inside it.
// Downsampling: with step > 0, samples fall into buckets [k·step, (k+1)·step) and each bucket holds
// the mean of its numeric values (null when none); `t` is the bucket start.
import type { CellVoltagesItem, InfoItem, ProbeTemperaturesItem, RealtimeBody } from '@nevhub/gbt32960';
import type { HistoryRecord } from '../store/types.js';

export interface Series {
  t: number[];
  series: Record<string, (number | null)[]>;
}

const ALIASES: Record<string, string> = { lon: 'position.longitude', lat: 'position.latitude', alarmLevel: 'alarm.maxLevel' };

function itemsOf(r: HistoryRecord): InfoItem[] {
  return (r.frame.body as RealtimeBody).items ?? [];
}

function walk(x: unknown, path: readonly string[]): unknown {
  let cur = x;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** The value of `field` in one record, or null (absent, abnormal or invalid). */
export function fieldValue(items: readonly InfoItem[], field: string): number | null {
  const name = ALIASES[field] ?? field;
  const dot = name.indexOf('.');
  let v: unknown;
  if (dot < 0) {
    for (const it of items) {
      if (name in it) {
        v = (it as unknown as Record<string, unknown>)[name];
        if (typeof v === 'number') break;
      }
    }
  } else {
    const type = name.slice(0, dot);
    const rest = name.slice(dot + 1).split('.');
    const it = items.find((i) => i.type === type);
    v = it && walk(it, rest);
  }
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function seriesFromHistory(records: readonly HistoryRecord[], fields: readonly string[], stepMs: number): Series {
  const t: number[] = [];
  const series: Record<string, (number | null)[]> = {};
  for (const f of fields) series[f] = [];
  if (!(stepMs > 0)) {
    for (const r of records) {
      t.push(r.at);
      const items = itemsOf(r);
      for (const f of fields) series[f].push(fieldValue(items, f));
    }
    return { t, series };
  }
  let bucket = Number.NaN;
  let sums: number[] = [];
  let counts: number[] = [];
  const close = (): void => {
    if (Number.isNaN(bucket)) return;
    t.push(bucket);
    fields.forEach((f, i) => series[f].push(counts[i] > 0 ? sums[i] / counts[i] : null));
  };
  for (const r of records) {
    const b = Math.floor(r.at / stepMs) * stepMs;
    if (b !== bucket) {
      close();
      bucket = b;
      sums = fields.map(() => 0);
      counts = fields.map(() => 0);
    }
    const items = itemsOf(r);
    fields.forEach((f, i) => {
      const v = fieldValue(items, f);
      if (v !== null) {
        sums[i] += v;
        counts[i]++;
      }
    });
  }
  close();
  return { t, series };
}

function nums(xs: readonly unknown[] | string): (number | null)[] {
  if (typeof xs === 'string') return [];
  return xs.map((v) => (typeof v === 'number' ? v : null));
}

export interface CellSeries {
  t: number[];
  cellVoltagesV: (number | null)[][];
  temperaturesC: (number | null)[][];
}

/**
 * Cell voltages and probe temperatures per record, all packs concatenated in pack order (2016
 * 0x08/0x09 §8.8–8.9, 2025 0x07/0x08 §9.7–9.8). With step > 0 the last record of each bucket is kept.
 */
export function cellsFromHistory(records: readonly HistoryRecord[], stepMs: number): CellSeries {
  const out: CellSeries = { t: [], cellVoltagesV: [], temperaturesC: [] };
  let lastBucket = Number.NaN;
  for (const r of records) {
    const items = itemsOf(r);
    const cv = items.find((i): i is CellVoltagesItem => i.type === 'cellVoltages');
    const pt = items.find((i): i is ProbeTemperaturesItem => i.type === 'probeTemperatures');
    if (!cv && !pt) continue;
    const volts = cv ? cv.packs.flatMap((p) => nums(p.cellVoltagesV)) : [];
    const temps = pt ? pt.packs.flatMap((p) => nums(p.temperaturesC)) : [];
    const b = stepMs > 0 ? Math.floor(r.at / stepMs) * stepMs : r.at;
    if (stepMs > 0 && b === lastBucket) {
      const i = out.t.length - 1;
      out.cellVoltagesV[i] = volts;
      out.temperaturesC[i] = temps;
      continue;
    }
    lastBucket = b;
    out.t.push(b);
    out.cellVoltagesV.push(volts);
    out.temperaturesC.push(temps);
  }
  return out;
}

/** The fuel-cell fields charted by /fuel-cell (2016 §8.3, 2025 §9.3 and stacks 0x30 §9.9). */
export const FUEL_CELL_FIELDS = [
  'h2RemainingPct',
  'h2MaxPressureMpa',
  'h2MaxTempC',
  'h2MaxConcentrationPct',
  'h2MaxConcentrationPpm',
  'fuelCell.voltageV',
  'fuelCell.currentA',
  'fuelCell.consumptionKgPer100Km',
  'fuelCellStacks.stacks.0.voltageV',
  'fuelCellStacks.stacks.0.currentA',
  'fuelCellStacks.stacks.0.h2InletPressureKpa',
] as const;

/** The fuel-cell related items of the newest record that has any. */
export function latestFuelCell(records: readonly HistoryRecord[]): Record<string, unknown> {
  for (let i = records.length - 1; i >= 0; i--) {
    const items = itemsOf(records[i]);
    const fc = items.find((it) => it.type === 'fuelCell');
    const stacks = items.find((it) => it.type === 'fuelCellStacks');
    if (fc || stacks) return { at: records[i].at, fuelCell: fc ?? null, fuelCellStacks: stacks ?? null };
  }
  return { at: null, fuelCell: null, fuelCellStacks: null };
}
