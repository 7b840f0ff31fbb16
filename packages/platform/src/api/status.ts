// Vehicle status for the map and the fleet list, derived from the latest state. One rule, in order:
//   offline    — not connected (LatestState.online false);
//   alarm      — highest alarm level ≥ 3: "stop immediately or call for help" (spec §8.7; 2025
//                adds 4 = thermal event, §9.6), so level 1–2 warnings (drive on, maybe limited)
//                do not repaint the fleet red;
//   charging   — charging state parkedCharging or drivingCharging (spec §8.1, field 2);
//   refuelling — an FCEV whose H2 remaining rose in the last REFUEL_WINDOW_MS while stopped
//                (told by the live feed, which sees consecutive frames), see RefuelTracker;
//   driving    — speed > 0 or vehicle state "started";
//   parked     — otherwise.
import type { LatestState, VehicleRecord } from '../store/types.js';

export const VEHICLE_STATUSES = ['driving', 'charging', 'refuelling', 'parked', 'offline', 'alarm'] as const;
export type VehicleStatus = (typeof VEHICLE_STATUSES)[number];

export const ALARM_STATUS_LEVEL = 3;
export const REFUEL_WINDOW_MS = 10 * 60_000;

export function deriveStatus(s: Partial<LatestState> | undefined, refuelling = false): VehicleStatus {
  if (!s?.online) return 'offline';
  if ((s.alarmLevel ?? 0) >= ALARM_STATUS_LEVEL) return 'alarm';
  if (s.chargingState === 'parkedCharging' || s.chargingState === 'drivingCharging') return 'charging';
  if (refuelling && !((s.speedKmh ?? 0) > 0)) return 'refuelling';
  if ((s.speedKmh ?? 0) > 0 || s.vehicleState === 'started') return 'driving';
  return 'parked';
}

/**
 * Remembers when each vehicle's H2 remaining last went up (a refuelling stop, 2025 fuel-cell item
 * h2RemainingPct, spec §9.3). Fed with consecutive states of one vehicle.
 */
export class RefuelTracker {
  private readonly lastPct = new Map<string, number>();
  private readonly roseAt = new Map<string, number>();

  observe(vin: string, h2RemainingPct: number | undefined, at: number): void {
    if (h2RemainingPct === undefined) return;
    const prev = this.lastPct.get(vin);
    // 0.5 point: above sensor noise, below what a few minutes at a dispenser adds.
    if (prev !== undefined && h2RemainingPct > prev + 0.5) this.roseAt.set(vin, at);
    this.lastPct.set(vin, h2RemainingPct);
  }

  isRefuelling(vin: string, now: number): boolean {
    const t = this.roseAt.get(vin);
    return t !== undefined && now - t <= REFUEL_WINDOW_MS;
  }
}

export const VEHICLE_TYPES = ['taxi', 'bus', 'car', 'sanitation', 'other'] as const;
export type VehicleType = (typeof VEHICLE_TYPES)[number];

export function vehicleTypeOf(v: Pick<VehicleRecord, 'vehicleType'> | undefined): VehicleType {
  const t = v?.vehicleType;
  return (VEHICLE_TYPES as readonly string[]).includes(t ?? '') ? (t as VehicleType) : 'other';
}
