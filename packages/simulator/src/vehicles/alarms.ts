// Alarm levels and general flags (spec §10.3; levels §8.7 / §9.6). Thresholds are OEM-defined in
// the standard; these follow common practice: insulation 500 / 100 Ω/V (GB 18384), hydrogen at
// 10 / 25 / 50 % of the 4 % LFL (platform-requirements §2.4), cell spread 80 / 200 mV.
import type { AlarmState } from './snapshot.js';
import type { FaultEffects } from './faults.js';

export const FLAG = {
  temperatureDifference: 0,
  batteryHighTemperature: 1,
  socLow: 4,
  socJump: 8,
  poorConsistency: 10,
  insulation: 11,
  thermalEvent: 23,
  hydrogenLeak: 24,
} as const;

/** OEM fault codes carried in the fault lists (2016 has no hydrogen flag bit). */
export const FAULT_CODE = { thermalRunaway: 0x00010001, hydrogenLeak: 0x00020401 } as const;

export interface AlarmInputs {
  edition: 2016 | 2025;
  fx: FaultEffects;
  reportedSocPct: number;
  insulationKOhm: number;
  voltageV: number;
  maxProbeC: number;
  minProbeC: number;
  h2ConcentrationPct: number;
}

/** Shared result for the common no-alarm case (one per vehicle-second otherwise); never mutated. */
const NO_ALARM: AlarmState = { maxLevel: 0, bits: 0, levels: [], batteryFaults: [], otherFaults: [] };

export function computeAlarm(a: AlarmInputs): AlarmState {
  // Fast path: none of the conditions below can hold (same thresholds, checked without allocating).
  const quiet =
    a.fx.thermal <= 0 &&
    !a.fx.socJumpActive &&
    a.maxProbeC <= 55 &&
    a.maxProbeC - a.minProbeC <= 8 &&
    a.reportedSocPct >= 10 &&
    a.h2ConcentrationPct < 0.4 &&
    (a.voltageV <= 0 || (a.insulationKOhm * 1000) / a.voltageV >= 500);
  if (quiet) return NO_ALARM;
  const levels = new Map<number, number>();
  const set = (bit: number, level: number): void => {
    levels.set(bit, Math.max(levels.get(bit) ?? 0, level));
  };
  const batteryFaults: number[] = [];
  const otherFaults: number[] = [];
  let extraLevel = 0;
  const { fx } = a;
  const spreadV = fx.thermal > 0 ? Math.min(1, fx.thermal) ** 2 * 0.4 : 0;
  if (spreadV > 0.08) set(FLAG.poorConsistency, spreadV > 0.2 ? 2 : 1);
  if (a.maxProbeC - a.minProbeC > 8) set(FLAG.temperatureDifference, a.maxProbeC - a.minProbeC > 15 ? 2 : 1);
  if (a.maxProbeC > 55) set(FLAG.batteryHighTemperature, 2);
  if (fx.thermal >= 1) {
    // The fault instant: thermal event (2025 bit 23, always level 4) / level 3 in 2016.
    batteryFaults.push(FAULT_CODE.thermalRunaway);
    set(FLAG.batteryHighTemperature, 3);
    set(FLAG.temperatureDifference, 3);
    if (a.edition === 2025) set(FLAG.thermalEvent, 4);
  }
  if (a.voltageV > 0) {
    const ohmPerV = (a.insulationKOhm * 1000) / a.voltageV;
    if (ohmPerV < 100) set(FLAG.insulation, 3);
    else if (ohmPerV < 500) set(FLAG.insulation, 2);
  }
  if (fx.socJumpActive) set(FLAG.socJump, fx.socJumpLevel);
  if (a.reportedSocPct < 10) set(FLAG.socLow, 1);
  const h2 = a.h2ConcentrationPct;
  const h2Level = h2 >= 2.0 ? 3 : h2 >= 1.0 ? 2 : h2 >= 0.4 ? 1 : 0;
  if (h2Level > 0) {
    if (a.edition === 2025) set(FLAG.hydrogenLeak, h2Level);
    else {
      otherFaults.push(FAULT_CODE.hydrogenLeak);
      extraLevel = h2Level;
    }
  }
  let bits = 0;
  let maxLevel = extraLevel;
  const list: [number, number][] = [];
  for (const [bit, level] of [...levels.entries()].sort((x, y) => x[0] - y[0])) {
    // 2016 defines bits 0–18 and levels 0–3 only (spec §8.7, §10.3).
    const lv = a.edition === 2016 ? Math.min(3, level) : level;
    if (a.edition === 2016 && bit > 18) continue;
    bits |= 1 << bit;
    maxLevel = Math.max(maxLevel, lv);
    list.push([bit, lv]);
  }
  return { maxLevel, bits: bits >>> 0, levels: list, batteryFaults, otherFaults };
}
