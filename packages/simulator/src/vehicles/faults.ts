// Vehicle-side fault effects (scenario events with a start time): each returns how far the fault
// has progressed so that physics and alarms can read it without keeping timers of their own.

export const VEHICLE_FAULTS = ['thermalRunaway', 'insulationDecline', 'socJump', 'h2Leak', 'gnssLoss'] as const;
export type VehicleFaultKind = (typeof VEHICLE_FAULTS)[number];

export interface VehicleFault {
  kind: VehicleFaultKind;
  /** Simulated seconds after the run start. */
  startS: number;
  /** Ramp / hold time, seconds. */
  durationS: number;
  /** socJump: SOC step in percentage points; h2Leak: peak concentration in % vol. */
  magnitude?: number;
  /** socJump: alarm level to report (default 2). */
  level?: number;
  /** thermalRunaway: which cell (0-based over all packs); default chosen by the vehicle. */
  cell?: number;
}

export interface FaultEffects {
  /** Thermal runaway progress: 0 before, 0…1 during the drift, ≥ 1 from the fault instant. */
  thermal: number;
  /** Seconds since the thermal fault instant (negative before). */
  thermalSinceS: number;
  thermalCell: number;
  /** Insulation resistance multiplier (1 = healthy). */
  insulationFactor: number;
  socOffsetPct: number;
  socJumpActive: boolean;
  socJumpLevel: number;
  h2LeakPct: number;
  gnssLost: boolean;
}

export function effectsAt(faults: readonly VehicleFault[], tS: number, defaultCell: number): FaultEffects {
  const fx: FaultEffects = {
    thermal: 0,
    thermalSinceS: -1,
    thermalCell: defaultCell,
    insulationFactor: 1,
    socOffsetPct: 0,
    socJumpActive: false,
    socJumpLevel: 2,
    h2LeakPct: 0,
    gnssLost: false,
  };
  for (const f of faults) {
    const dt = tS - f.startS;
    if (dt < 0) continue;
    const p = dt / Math.max(1, f.durationS);
    switch (f.kind) {
      case 'thermalRunaway':
        fx.thermal = p;
        fx.thermalSinceS = dt - f.durationS;
        if (f.cell !== undefined) fx.thermalCell = f.cell;
        break;
      case 'insulationDecline':
        // Exponential decline to ~0.4 % of healthy over the duration, then held.
        fx.insulationFactor = Math.exp(-5.5 * Math.min(1, p));
        break;
      case 'socJump':
        if (p < 1) {
          fx.socOffsetPct = f.magnitude ?? -20;
          fx.socJumpActive = true;
          fx.socJumpLevel = f.level ?? 2;
        }
        break;
      case 'h2Leak':
        fx.h2LeakPct = (f.magnitude ?? 2.5) * Math.min(1, p);
        break;
      case 'gnssLoss':
        if (p < 1) fx.gnssLost = true;
        break;
    }
  }
  return fx;
}
