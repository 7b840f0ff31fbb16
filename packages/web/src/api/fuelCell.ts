// The fuel-cell view arrives in two shapes: the flat contract ({ latest: { stackVoltageV, ... },
// t, series }) and the platform's model-based one ({ latest: { fuelCell: FuelCell2016Item |
// FuelCell2025Item, fuelCellStacks, h2RemainingPct, ... }, series: { t, series: { 'fuelCell.voltageV',
// ... } } }). Both are turned into one shape here. Stack voltage/current come from the 2016 fuel-cell
// item (spec §8.3) or, in 2025, from the first stack of the 0x30 body (spec §9.9); the 2016 H₂
// concentration is in ppm, the 2025 one in % (spec §9.3).
import type { FuelCellLatest } from './types.js';

export interface FuelCellView {
  latest: FuelCellLatest | null;
  t: number[];
  series: { stackVoltageV?: (number | null)[]; stackCurrentA?: (number | null)[]; h2RemainingPct?: (number | null)[] };
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Physical numbers only: 'abnormal' / 'invalid' codes (spec §8.1 FE/FF) show as missing. */
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const first = (...vs: unknown[]): number | null => {
  for (const v of vs) {
    const n = num(v);
    if (n != null) return n;
  }
  return null;
};

function pickSeries(series: Rec, keys: string[]): (number | null)[] | undefined {
  for (const k of keys) {
    const s = series[k];
    if (Array.isArray(s) && s.some((x) => typeof x === 'number')) return s as (number | null)[];
  }
  return undefined;
}

function latestOf(raw: unknown): FuelCellLatest | null {
  if (!isRec(raw)) return null;
  if ('stackVoltageV' in raw || 'stackCurrentA' in raw) return raw as unknown as FuelCellLatest;
  const fc = isRec(raw.fuelCell) ? raw.fuelCell : {};
  const stacks = isRec(raw.fuelCellStacks) && Array.isArray(raw.fuelCellStacks.stacks) ? (raw.fuelCellStacks.stacks as unknown[]) : [];
  const stack = isRec(stacks[0]) ? stacks[0] : {};
  const dcdc = fc.dcdcState;
  return {
    stackVoltageV: first(fc.voltageV, stack.voltageV),
    stackCurrentA: first(fc.currentA, stack.currentA),
    h2RemainingPct: first(raw.h2RemainingPct, fc.h2RemainingPct),
    h2MaxPressureMpa: first(raw.h2MaxPressureMpa, fc.h2MaxPressureMpa),
    h2MaxConcentrationPct: num(fc.h2MaxConcentrationPct),
    h2MaxConcentrationPpm: num(fc.h2MaxConcentrationPpm),
    h2MaxTempC: num(fc.h2MaxTempC),
    dcdcState: typeof dcdc === 'string' || typeof dcdc === 'number' ? dcdc : null,
  };
}

export function normalizeFuelCell(raw: unknown): FuelCellView {
  if (!isRec(raw)) return { latest: null, t: [], series: {} };
  const nested = isRec(raw.series) && Array.isArray(raw.series.t);
  const t = (nested ? (raw.series as Rec).t : raw.t) as number[] | undefined;
  const series = (nested ? (raw.series as Rec).series : raw.series) as Rec | undefined;
  const s = isRec(series) ? series : {};
  return {
    latest: latestOf(raw.latest),
    t: Array.isArray(t) ? t : [],
    series: {
      stackVoltageV: pickSeries(s, ['stackVoltageV', 'fuelCell.voltageV', 'fuelCellStacks.stacks.0.voltageV']),
      stackCurrentA: pickSeries(s, ['stackCurrentA', 'fuelCell.currentA', 'fuelCellStacks.stacks.0.currentA']),
      h2RemainingPct: pickSeries(s, ['h2RemainingPct']),
    },
  };
}
