// What one decoded realtime/reissue frame says about the vehicle's state: the scalar fields of
// LatestState (for the map and fleet list) and the key columns of a history row. Pure functions.
import { createHash } from 'node:crypto';
import type { Frame, InfoItem, Num, RealtimeBody } from '@nevhub/gbt32960';
import type { LatestState } from './types.js';

/** Numeric LatestState fields that are also history columns and chart series. */
export const SERIES_FIELDS = {
  speedKmh: 'speed_kmh',
  socPct: 'soc_pct',
  totalVoltageV: 'voltage_v',
  totalCurrentA: 'current_a',
  odometerKm: 'odometer_km',
  lon: 'lon',
  lat: 'lat',
  alarmLevel: 'alarm_level',
  h2RemainingPct: 'h2_remaining_pct',
  h2MaxPressureMpa: 'h2_max_pressure_mpa',
  maxCellVoltageV: 'max_cell_v',
  minCellVoltageV: 'min_cell_v',
  maxTempC: 'max_temp_c',
  minTempC: 'min_temp_c',
} as const;
export type SeriesField = keyof typeof SERIES_FIELDS;

export type StateFields = Omit<LatestState, 'vin' | 'at' | 'receivedAt' | 'online'>;

/**
 * Fields the frame reports. A key set to null means "the frame carries this field but its value
 * is abnormal/invalid (0xFE/0xFF, spec §8.1)": the merged latest state drops it rather than
 * showing a stale value as current. A key that is absent means "not in this frame": keep.
 */
export type FrameSummary = { [K in keyof StateFields]?: StateFields[K] | null };

const num = (v: Num | undefined): number | null => (typeof v === 'number' ? v : null);
const enumText = (v: string | number): string => String(v);

/** [max, min] of the numeric values (abnormal/invalid codes skipped), null when there are none. */
class Extremes {
  max = Number.NEGATIVE_INFINITY;
  min = Number.POSITIVE_INFINITY;
  add(values: readonly Num[]): void {
    for (const v of values) {
      if (typeof v !== 'number') continue;
      if (v > this.max) this.max = v;
      if (v < this.min) this.min = v;
    }
  }
  get empty(): boolean {
    return this.max === Number.NEGATIVE_INFINITY;
  }
}

export function isRealtime(frame: Frame): boolean {
  return frame.command === 'realtime' || frame.command === 'reissue';
}

export function itemsOf(frame: Frame): InfoItem[] {
  const items = (frame.body as Partial<RealtimeBody>).items;
  return Array.isArray(items) ? items : [];
}

/** The state fields carried by one realtime/reissue frame. */
export function summarizeFrame(frame: Frame): FrameSummary {
  const s: FrameSummary = {};
  const items = itemsOf(frame);
  let hasExtremes = false;
  for (const it of items) {
    switch (it.type) {
      case 'vehicle':
        s.speedKmh = num(it.speedKmh);
        s.socPct = num(it.socPct);
        s.totalVoltageV = num(it.totalVoltageV);
        s.totalCurrentA = num(it.totalCurrentA);
        s.odometerKm = num(it.odometerKm);
        s.vehicleState = enumText(it.vehicleState);
        s.chargingState = enumText(it.chargingState);
        break;
      case 'position':
        // An invalid fix (status bit 0, spec §10.2) keeps the last known position on the map.
        if (it.valid) {
          s.lon = it.longitude;
          s.lat = it.latitude;
        }
        break;
      case 'alarm':
        s.alarmLevel = num(it.maxLevel);
        s.alarmFlags = it.flags;
        break;
      case 'fuelCell':
        s.h2MaxPressureMpa = num(it.h2MaxPressureMpa);
        if ('h2RemainingPct' in it) s.h2RemainingPct = num(it.h2RemainingPct);
        break;
      case 'extremes':
        // 2016 reports the extremes itself (spec §8.6); prefer them over a partial cell list.
        hasExtremes = true;
        s.maxCellVoltageV = num(it.maxCellVoltageV);
        s.minCellVoltageV = num(it.minCellVoltageV);
        s.maxTempC = num(it.maxTempC);
        s.minTempC = num(it.minTempC);
        break;
      default:
        break;
    }
  }
  if (!hasExtremes) {
    // 2025 has no extremes item (spec §14): compute them from the cell and probe arrays.
    let cells: Extremes | undefined;
    let temps: Extremes | undefined;
    for (const it of items) {
      if (it.type === 'cellVoltages') for (const p of it.packs) (cells ??= new Extremes()).add(p.cellVoltagesV);
      else if (it.type === 'probeTemperatures') {
        temps ??= new Extremes();
        for (const p of it.packs) if (Array.isArray(p.temperaturesC)) temps.add(p.temperaturesC);
      }
    }
    if (cells) {
      s.maxCellVoltageV = cells.empty ? null : cells.max;
      s.minCellVoltageV = cells.empty ? null : cells.min;
    }
    if (temps) {
      s.maxTempC = temps.empty ? null : temps.max;
      s.minTempC = temps.empty ? null : temps.min;
    }
  }
  return s;
}

/** Applies a frame summary on top of a previous state (see FrameSummary for null). */
export function mergeSummary(previous: StateFields, summary: FrameSummary): StateFields {
  const next: Record<string, unknown> = { ...previous };
  for (const [k, v] of Object.entries(summary)) {
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  return next;
}

/** Collection time of a frame in epoch ms (spec §2: Beijing time), else the receive time. */
export function collectedAtMs(frame: Frame, receivedAt: number): number {
  if (frame.time === null) return receivedAt;
  const ms = Date.parse(frame.time);
  return Number.isNaN(ms) ? receivedAt : ms;
}

/**
 * Hash of the data a frame carries (its items), independent of the command (realtime vs reissue)
 * and of the 2025 signature (SM2 signatures are randomised, so a re-signed copy differs there).
 */
export function contentHash(frame: Frame): string {
  // 64 bits are plenty: collisions only matter between frames of one VIN and one second.
  return createHash('sha1').update(JSON.stringify(itemsOf(frame))).digest('hex').slice(0, 16);
}
