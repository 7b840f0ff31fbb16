// Fleet energy and hydrogen used "today" (Beijing calendar day, spec §2 wire time is Beijing time),
// integrated from consecutive states of each vehicle as the live feed sees them. Counted since the
// process started (not rebuilt from history on restart): a dashboard figure, not a billing one.
import type { LatestState } from '../store/types.js';

const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;
/** Gaps longer than this are not integrated (vehicle was off or out of coverage). */
const MAX_GAP_MS = 5 * 60_000;
/**
 * Usable H2 of a fuel-cell truck's tanks, kg: turns a drop of h2RemainingPct (2025 §9.3) into kg.
 * A typical 8 × 140 L, 35 MPa installation holds about 25 kg.
 */
export const H2_TANK_KG = 25;

export function beijingDay(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS);
}

export class DailyTotals {
  private day = -1;
  private energyKwh = 0;
  private hydrogenKg = 0;

  /** Adds what happened between two states of one vehicle. */
  add(prev: Partial<LatestState> | undefined, next: Partial<LatestState>): void {
    if (!prev || prev.at === undefined || next.at === undefined) return;
    const day = beijingDay(next.at);
    if (day !== this.day) {
      if (day < this.day) return; // a late frame of yesterday
      this.day = day;
      this.energyKwh = 0;
      this.hydrogenKg = 0;
    }
    const dt = next.at - prev.at;
    if (dt <= 0 || dt > MAX_GAP_MS) return;
    const v = next.totalVoltageV;
    const a = next.totalCurrentA;
    // Discharge is positive (spec §8.1 current sign): only energy drawn from the battery counts.
    if (v !== undefined && a !== undefined && a > 0) this.energyKwh += (v * a * dt) / 3_600_000 / 1000;
    const h0 = prev.h2RemainingPct;
    const h1 = next.h2RemainingPct;
    if (h0 !== undefined && h1 !== undefined && h1 < h0) this.hydrogenKg += ((h0 - h1) / 100) * H2_TANK_KG;
  }

  snapshot(now = Date.now()): { energyTodayKwh: number; hydrogenTodayKg: number } {
    if (beijingDay(now) !== this.day) return { energyTodayKwh: 0, hydrogenTodayKg: 0 };
    return { energyTodayKwh: Math.round(this.energyKwh * 10) / 10, hydrogenTodayKg: Math.round(this.hydrogenKg * 10) / 10 };
  }
}
