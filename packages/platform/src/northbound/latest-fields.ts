// Latest-state fields from one decoded realtime frame (spec §8 for 2016, §9 for 2025). Values the
// standard marks abnormal/invalid (strings) are skipped, so the previous good value stays shown.
import type { Frame, InfoItem, Num, RealtimeBody } from '@nevhub/gbt32960';
import { timeToDate } from '@nevhub/gbt32960';
import type { LatestState } from '../store/types.js';

function num(v: Num | undefined | null): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function put<K extends keyof LatestState>(out: Partial<LatestState>, key: K, v: LatestState[K] | undefined): void {
  if (v !== undefined) out[key] = v;
}

/** Collection time (ms) of a frame, falling back to the receive time. */
export function frameTimeMs(frame: Frame, receivedAt: number): number {
  if (!frame.time) return receivedAt;
  const t = timeToDate(frame.time).getTime();
  return Number.isFinite(t) ? t : receivedAt;
}

export function latestFieldsFromFrame(frame: Frame, receivedAt: number): Partial<LatestState> {
  const out: Partial<LatestState> = { at: frameTimeMs(frame, receivedAt), receivedAt };
  const items: InfoItem[] = (frame.body as RealtimeBody).items ?? [];
  for (const it of items) {
    switch (it.type) {
      case 'vehicle':
        put(out, 'speedKmh', num(it.speedKmh));
        put(out, 'socPct', num(it.socPct));
        put(out, 'totalVoltageV', num(it.totalVoltageV));
        put(out, 'totalCurrentA', num(it.totalCurrentA));
        put(out, 'odometerKm', num(it.odometerKm));
        if (typeof it.vehicleState === 'string' && it.vehicleState !== 'abnormal' && it.vehicleState !== 'invalid') out.vehicleState = it.vehicleState;
        if (typeof it.chargingState === 'string' && it.chargingState !== 'abnormal' && it.chargingState !== 'invalid') out.chargingState = it.chargingState;
        break;
      case 'position':
        // Bit 0 of the status byte = fix invalid (spec §10.2): keep the last valid position.
        if (it.valid) {
          out.lon = it.longitude;
          out.lat = it.latitude;
        }
        break;
      case 'alarm':
        put(out, 'alarmLevel', num(it.maxLevel));
        out.alarmFlags = it.flags;
        break;
      case 'fuelCell':
        put(out, 'h2MaxPressureMpa', num(it.h2MaxPressureMpa));
        if ('h2RemainingPct' in it) put(out, 'h2RemainingPct', num(it.h2RemainingPct));
        break;
      case 'extremes':
        put(out, 'maxCellVoltageV', num(it.maxCellVoltageV));
        put(out, 'minCellVoltageV', num(it.minCellVoltageV));
        put(out, 'maxTempC', num(it.maxTempC));
        put(out, 'minTempC', num(it.minTempC));
        break;
      default:
        break;
    }
  }
  return out;
}
