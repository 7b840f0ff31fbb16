// Plug-in hybrid engine: charge-depleting on electricity, the engine starts when the battery is
// low (charge sustaining, with a little extra power to recharge) or the demand exceeds what the
// motor alone should give. Fuel from a flat brake-specific consumption of 250 g/kWh.

export interface EngineSpec {
  maxKw: number;
  /** Engine starts below this SOC and runs until SOC + 3 %. */
  sustainSocPct: number;
}

export interface EngineState {
  running: boolean;
  powerW: number;
  rpm: number;
  /** Current consumption rate, L/100 km (0 when stopped). */
  lPer100Km: number;
  fuelL: number;
}

const BSFC_KG_PER_KWH = 0.25;
const PETROL_KG_PER_L = 0.745;

export class Engine {
  readonly spec: EngineSpec;
  readonly state: EngineState = { running: false, powerW: 0, rpm: 0, lPer100Km: 0, fuelL: 0 };

  constructor(spec: EngineSpec) {
    this.spec = spec;
  }

  /** Decides engine power for a traction demand; returns the power the engine supplies (W). */
  step(demandW: number, socPct: number, speedKmh: number, dt: number, vehicleOn: boolean): number {
    const s = this.state;
    const low = socPct < this.spec.sustainSocPct;
    const release = socPct > this.spec.sustainSocPct + 3;
    if (!vehicleOn) s.running = false;
    else if (low || demandW > 45_000) s.running = true;
    else if (release && demandW < 30_000) s.running = false;
    if (!s.running) {
      s.powerW = 0;
      s.rpm = 0;
      s.lPer100Km = 0;
      return 0;
    }
    const charge = low ? 12_000 : 0;
    s.powerW = Math.max(6000, Math.min(this.spec.maxKw * 1000, demandW + charge));
    s.rpm = 1100 + 3200 * (s.powerW / (this.spec.maxKw * 1000));
    const lPerH = ((s.powerW / 1000) * BSFC_KG_PER_KWH) / PETROL_KG_PER_L;
    s.fuelL += (lPerH * dt) / 3600;
    s.lPer100Km = speedKmh > 3 ? Math.min(600, (lPerH / speedKmh) * 100) : 0;
    return s.powerW;
  }
}
