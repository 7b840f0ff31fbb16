// One sampled vehicle state: plain numbers, cheap to keep (the terminal buffers the last 30 s for
// the level-3 pre-fault reissue and stores them during link loss). Cell voltages and probe
// temperatures are derived from it when a frame is built (report.ts).
import type { ChargingState, OperatingMode } from '@nevhub/gbt32960';

export interface Snapshot {
  /** Simulated time, ms since the epoch. */
  timeMs: number;
  on: boolean;
  charging: ChargingState;
  mode: OperatingMode;
  speedKmh: number;
  odometerKm: number;
  voltageV: number;
  currentA: number;
  /** True SOC (Coulomb counter). */
  socPct: number;
  /** SOC as the BMS reports it (differs during an SOC-jump fault). */
  reportedSocPct: number;
  insulationKOhm: number;
  gear: 'N' | 'D' | 'P';
  driving: boolean;
  braking: boolean;
  acceleratorPct: number;
  brakePct: number;
  motorRpm: number;
  motorTorqueNm: number;
  motorState: 'consuming' | 'generating' | 'off' | 'ready';
  motorTempC: number;
  controllerTempC: number;
  /** Per-motor DC-bus current, A. */
  motorCurrentA: number;
  lat: number;
  lon: number;
  posValid: boolean;
  packTempC: number;
  /** Thermal-runaway state (0 = healthy). */
  thermal: number;
  thermalCell: number;
  /** Extra heat at the probe next to the faulty cell, °C. */
  faultHeatC: number;
  /** Voltage lost by the faulty cell, V. */
  faultDropV: number;
  fc?: {
    on: boolean;
    voltageV: number;
    currentA: number;
    h2Kg: number;
    remainingPct: number;
    pressureMpa: number;
    gasTempC: number;
    coolantTempC: number;
    dcdcTempC: number;
    concentrationPct: number;
    airKpa: number;
    h2Kpa: number;
    kgPer100Km: number;
  };
  engine?: { running: boolean; rpm: number; lPer100Km: number };
  alarm: AlarmState;
}

export interface AlarmState {
  maxLevel: number;
  /** General alarm flag bits (spec §10.3). */
  bits: number;
  /** 2025 per-flag levels [bit, level]. */
  levels: [number, number][];
  batteryFaults: number[];
  otherFaults: number[];
}
