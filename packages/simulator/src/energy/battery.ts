// Traction battery: Coulomb counting, OCV(SOC) − I·R terminal voltage, per-cell spread and
// lumped thermal model. Current sign: discharge positive, charge negative (spec §8.1).
import type { Rng } from '../rng.js';
import { ocv, type Chemistry } from './ocv.js';

export interface BatterySpec {
  chemistry: Chemistry;
  /** Packs connected in parallel to one DC bus, each reported as one subsystem. */
  packs: number;
  /** Series cells (minimum parallel units) per pack. */
  cellsPerPack: number;
  /** Capacity of one pack in Ah. */
  packAh: number;
  /** Resistance of one series cell group in ohms. */
  cellOhm: number;
  probesPerPack: number;
  /** Thermal mass of one pack in J/K. */
  packHeatJK: number;
}

export interface BatteryState {
  /** Charge remaining in all packs together, Ah (the Coulomb counter). */
  chargeAh: number;
  /** Mean pack temperature, °C. */
  tempC: number;
  /** Last terminal voltage and total current. */
  voltageV: number;
  currentA: number;
}

export class Battery {
  readonly spec: BatterySpec;
  readonly capacityAh: number;
  /** Fixed per-cell OCV offsets (manufacturing spread), V. */
  readonly cellOffsetV: Float32Array;
  /** Fixed per-probe temperature offsets, °C. */
  readonly probeOffsetC: Float32Array;
  readonly state: BatteryState;

  constructor(spec: BatterySpec, socPct: number, ambientC: number, rng: Rng) {
    this.spec = spec;
    this.capacityAh = spec.packAh * spec.packs;
    const cells = spec.packs * spec.cellsPerPack;
    this.cellOffsetV = new Float32Array(cells);
    for (let i = 0; i < cells; i++) this.cellOffsetV[i] = Math.max(-0.012, Math.min(0.012, rng.normal(0, 0.004)));
    this.probeOffsetC = new Float32Array(spec.packs * spec.probesPerPack);
    for (let i = 0; i < this.probeOffsetC.length; i++) this.probeOffsetC[i] = rng.normal(0, 0.7);
    this.state = { chargeAh: (this.capacityAh * socPct) / 100, tempC: ambientC + 2, voltageV: 0, currentA: 0 };
    this.state.voltageV = this.openCircuitV();
  }

  socPct(): number {
    return (100 * this.state.chargeAh) / this.capacityAh;
  }

  /** Pack (= bus) open-circuit voltage. */
  openCircuitV(): number {
    return this.spec.cellsPerPack * ocv(this.spec.chemistry, this.socPct());
  }

  /** Equivalent resistance of the bus (packs in parallel); rises in the cold. */
  resistanceOhm(): number {
    const cold = this.state.tempC < 15 ? 1 + (15 - this.state.tempC) * 0.03 : 1;
    return (this.spec.cellsPerPack * this.spec.cellOhm * cold) / this.spec.packs;
  }

  /** Current that delivers `powerW` at the terminals (negative power = charging). */
  currentFor(powerW: number): number {
    const v = this.openCircuitV();
    const r = this.resistanceOhm();
    const disc = v * v - 4 * r * powerW;
    // Beyond the maximum power point the BMS limits power; use the limit.
    if (disc <= 0) return v / (2 * r);
    return (v - Math.sqrt(disc)) / (2 * r);
  }

  /**
   * Applies `currentA` for `dt` seconds. SOC integrates the current exactly (Coulomb counting), so
   * reported SOC and ∫I·dt agree; the pack warms with I²R and relaxes to ambient (≈ 1 h), with
   * active cooling above 35 °C.
   */
  step(currentA: number, dt: number, ambientC: number): void {
    const s = this.state;
    const maxAh = this.capacityAh;
    s.chargeAh = Math.max(0, Math.min(maxAh, s.chargeAh - (currentA * dt) / 3600));
    const r = this.resistanceOhm();
    const heatW = currentA * currentA * r;
    const heatJK = this.spec.packHeatJK * this.spec.packs;
    const cooling = s.tempC > 35 ? 4 : 1;
    s.tempC += dt * (heatW / heatJK - ((s.tempC - ambientC) * cooling) / 3600);
    s.currentA = currentA;
    s.voltageV = this.openCircuitV() - currentA * r;
  }
}
