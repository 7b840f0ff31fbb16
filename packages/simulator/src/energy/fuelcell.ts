// Fuel-cell system and on-board hydrogen storage (35 MPa type-III tanks). The stack follows the
// traction demand with a ramp limit and an SOC-keeping term (the battery buffers transients);
// hydrogen use follows Faraday's law, 1.0447e-5 g/s per cell per ampere (platform-requirements
// §2.5), plus a few percent purge loss. Tank pressure follows mass and gas temperature (ideal gas).

export interface FuelCellSpec {
  stackCells: number;
  maxPowerKw: number;
  /** Usable hydrogen at 35 MPa / 15 °C, kg. */
  tankKg: number;
  nominalMpa: number;
  tanks: number;
}

export interface FuelCellState {
  on: boolean;
  powerW: number;
  stackCurrentA: number;
  stackVoltageV: number;
  h2Kg: number;
  gasTempC: number;
  coolantTempC: number;
  dcdcTempC: number;
  /** Highest hydrogen concentration at any sensor, % volume. */
  h2ConcentrationPct: number;
  /** Hydrogen consumed since start, kg (for tests and stats). */
  consumedKg: number;
}

const V0 = 0.92;
const K = 0.00085;
const MAX_CELL_A = 420;
const FARADAY_KG_PER_CELL_AS = 1.0447e-8;
const PURGE = 1.03;

export class FuelCell {
  readonly spec: FuelCellSpec;
  readonly state: FuelCellState;

  constructor(spec: FuelCellSpec, fillPct: number, ambientC: number) {
    this.spec = spec;
    this.state = {
      on: false,
      powerW: 0,
      stackCurrentA: 0,
      stackVoltageV: 0,
      h2Kg: (spec.tankKg * fillPct) / 100,
      gasTempC: ambientC,
      coolantTempC: ambientC,
      dcdcTempC: ambientC + 3,
      h2ConcentrationPct: 0.0004,
      consumedKg: 0,
    };
  }

  remainingPct(): number {
    return (100 * this.state.h2Kg) / this.spec.tankKg;
  }

  pressureMpa(): number {
    const s = this.state;
    return (this.spec.nominalMpa * (s.h2Kg / this.spec.tankKg) * (s.gasTempC + 273.15)) / 288.15;
  }

  maxPowerW(): number {
    const n = this.spec.stackCells;
    return Math.min(this.spec.maxPowerKw * 1000, n * (V0 * MAX_CELL_A - K * MAX_CELL_A * MAX_CELL_A));
  }

  /** Runs the stack at (up to) `targetW` for dt seconds; returns the net power delivered. */
  step(targetW: number, dt: number, ambientC: number): number {
    const s = this.state;
    const n = this.spec.stackCells;
    let want = s.on && s.h2Kg > 0.05 ? Math.max(0, Math.min(targetW, this.maxPowerW())) : 0;
    if (s.on && want < 4000 && s.h2Kg > 0.05) want = 4000; // idle floor keeps the stack humid and warm
    const ramp = 5000 * dt;
    s.powerW = Math.max(s.powerW - ramp * 2, Math.min(s.powerW + ramp, want));
    if (!s.on) s.powerW = 0;
    if (s.powerW > 0) {
      const disc = V0 * V0 - (4 * K * s.powerW) / n;
      const i = (V0 - Math.sqrt(Math.max(0, disc))) / (2 * K);
      s.stackCurrentA = i;
      s.stackVoltageV = n * (V0 - K * i);
    } else {
      s.stackCurrentA = 0;
      s.stackVoltageV = s.on ? n * V0 : 0;
    }
    const used = n * s.stackCurrentA * FARADAY_KG_PER_CELL_AS * PURGE * dt;
    s.h2Kg = Math.max(0, s.h2Kg - used);
    s.consumedKg += used;
    const load = s.powerW / (this.spec.maxPowerKw * 1000);
    const coolantTarget = s.on ? 58 + 14 * load : ambientC;
    s.coolantTempC += (coolantTarget - s.coolantTempC) * Math.min(1, dt / 120);
    const dcdcTarget = ambientC + 4 + (s.on ? 18 * load : 0);
    s.dcdcTempC += (dcdcTarget - s.dcdcTempC) * Math.min(1, dt / 300);
    // Tank gas cools back to ambient after refuelling heated it.
    s.gasTempC += (ambientC - s.gasTempC) * Math.min(1, dt / 1800);
    return s.powerW;
  }

  /** Refuels at a station for dt seconds at ~1.2 kg/min up to 98 %; returns true when full. */
  refuel(dt: number): boolean {
    const s = this.state;
    const full = this.spec.tankKg * 0.98;
    const added = Math.min(full - s.h2Kg, (1.2 / 60) * dt);
    if (added > 0) {
      s.h2Kg += added;
      // Compression heating during a fast fill (≈ +20 K over a full fill).
      s.gasTempC += (20 * added) / this.spec.tankKg;
    }
    return s.h2Kg >= full - 1e-6;
  }

  /** Air and hydrogen inlet pressures (gauge kPa) for the 0x30 stack item. */
  inletPressuresKpa(): { air: number; h2: number } {
    const load = this.state.powerW / (this.spec.maxPowerKw * 1000);
    const air = this.state.on ? 20 + 140 * load : 0;
    return { air, h2: this.state.on ? air + 30 : 0 };
  }
}
