// Road-load power: P = (m·a + m·g·Crr + ½·ρ·CdA·v²)·v at the wheels (grade ≈ 0 in Baoding's flat
// centre), divided by the drivetrain efficiency when driving and multiplied by it when
// regenerating; regeneration is capped and fades out at low speed.

export interface RoadLoadSpec {
  massKg: number;
  cda: number;
  crr: number;
  /** Battery-to-wheel efficiency. */
  efficiency: number;
  maxMotorKw: number;
  maxRegenKw: number;
}

const G = 9.81;
const RHO = 1.2;

export interface WheelPower {
  /** Electrical power at the DC bus for traction, W (negative = regeneration). */
  tractionW: number;
  /** Mechanical power at the wheels, W. */
  wheelW: number;
  /** Wheel force, N. */
  forceN: number;
}

export function roadLoad(spec: RoadLoadSpec, speedMs: number, accelMs2: number): WheelPower {
  const v = Math.max(0, speedMs);
  const force = spec.massKg * accelMs2 + (v > 0.1 ? spec.massKg * G * spec.crr : 0) + 0.5 * RHO * spec.cda * v * v;
  const wheelW = force * v;
  let tractionW: number;
  if (wheelW >= 0) tractionW = Math.min(wheelW / spec.efficiency, spec.maxMotorKw * 1000);
  else {
    const fade = Math.min(1, v / 4); // friction brakes take over below ~15 km/h
    tractionW = Math.max(wheelW * spec.efficiency * 0.85 * fade, -spec.maxRegenKw * 1000);
  }
  return { tractionW, wheelW, forceN: force };
}
