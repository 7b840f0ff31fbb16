// Fuel cell (type 0x03). 2016: one block with voltage, current, consumption and a probe list
// (18 + N bytes, spec §8.3); 2025: the on-board hydrogen system only (12 bytes, §9.3) — the
// stack values moved to 0x30 (fuelCellStacks.ts).
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import { GbtEncodeError } from '../errors.js';
import type { FuelCell2016Item, FuelCell2025Item, Version } from '../model.js';
import { count16, e8, n8, n16, w8, w16, wCount16, we8 } from '../values.js';
import { TEMP_OFFSET, listLength, readTempArray, writeTempArray } from './arrays.js';
import type { ItemCodec } from './registry.js';
import { ON_OFF } from './vehicle.js';

/** 2016 H₂ max temperature: 0.1 °C, −40 °C → raw offset 400 (§8.3). */
const H2_TEMP_OFFSET_2016 = 400;

function decode2016(c: Ctx): FuelCell2016Item {
  const voltageV = n16(c, 'voltageV', 10, 0, 20000);
  const currentA = n16(c, 'currentA', 10, 0, 20000);
  const consumptionKgPer100Km = n16(c, 'consumptionKgPer100Km', 100, 0, 60000);
  const count = count16(c, 'probeCount');
  // Probe temperatures define no abnormal/invalid codes (§8.3 "—"); valid raw 0–240.
  const probeTempsC = count.special ?? readTempArray(c, count.n, 'probeTempsC', 240, false);
  const h2MaxTempC = n16(c, 'h2MaxTempC', 10, H2_TEMP_OFFSET_2016, 2400);
  const h2MaxTempProbe = n8(c, 'h2MaxTempProbe', 1, 0, 252);
  // 1 mg/kg, valid 0–60000 (§8.3); the model names it ppm (by mass).
  const h2MaxConcentrationPpm = n16(c, 'h2MaxConcentrationPpm', 1, 0, 60000);
  const h2MaxConcentrationSensor = n8(c, 'h2MaxConcentrationSensor', 1, 0, 252);
  // H₂ max pressure has no abnormal/invalid codes in 2016 (§8.3 "—"): every raw value is a pressure.
  const start = c.p;
  const pressureRaw = c.u16('h2MaxPressureMpa');
  const h2MaxPressureMpa = pressureRaw / 10;
  if (pressureRaw > 1000) c.warn(start, 'h2MaxPressureMpa', `h2MaxPressureMpa raw value ${pressureRaw} exceeds 1000`);
  if (c.trace) c.trace.field('h2MaxPressureMpa', start, c.p, h2MaxPressureMpa);
  const h2MaxPressureSensor = n8(c, 'h2MaxPressureSensor', 1, 0, 252);
  const dcdcState = e8(c, 'dcdcState', ON_OFF);
  return {
    type: 'fuelCell',
    typeId: 0x03,
    voltageV,
    currentA,
    consumptionKgPer100Km,
    probeTempsC,
    h2MaxTempC,
    h2MaxTempProbe,
    h2MaxConcentrationPpm,
    h2MaxConcentrationSensor,
    h2MaxPressureMpa,
    h2MaxPressureSensor,
    dcdcState,
  };
}

function decode2025(c: Ctx): FuelCell2025Item {
  // 2025: H₂ max temperature is 1 °C with −40 offset, valid 0–250 (§9.3).
  const h2MaxTempC = n16(c, 'h2MaxTempC', 1, TEMP_OFFSET, 250);
  const h2MaxTempProbe = n8(c, 'h2MaxTempProbe', 1, 0, 253);
  // 0.0001 % volume fraction, valid 0–60000 = 0–6 % (§9.3).
  const h2MaxConcentrationPct = n16(c, 'h2MaxConcentrationPct', 10000, 0, 60000);
  const h2MaxConcentrationSensor = n8(c, 'h2MaxConcentrationSensor', 1, 0, 253);
  const h2MaxPressureMpa = n16(c, 'h2MaxPressureMpa', 10, 0, 1000);
  const h2MaxPressureSensor = n8(c, 'h2MaxPressureSensor', 1, 0, 253);
  const dcdcState = e8(c, 'dcdcState', ON_OFF);
  const h2RemainingPct = n8(c, 'h2RemainingPct', 1, 0, 100);
  const dcdcTempC = n8(c, 'dcdcTempC', 1, TEMP_OFFSET, 250);
  return {
    type: 'fuelCell',
    typeId: 0x03,
    h2MaxTempC,
    h2MaxTempProbe,
    h2MaxConcentrationPct,
    h2MaxConcentrationSensor,
    h2MaxPressureMpa,
    h2MaxPressureSensor,
    dcdcState,
    h2RemainingPct,
    dcdcTempC,
  };
}

export const fuelCellCodec: ItemCodec<FuelCell2016Item | FuelCell2025Item> = {
  decode(c: Ctx): FuelCell2016Item | FuelCell2025Item {
    return c.version === 2016 ? decode2016(c) : decode2025(c);
  },

  encode(w: Writer, it: FuelCell2016Item | FuelCell2025Item, version: Version): void {
    if (version === 2016) {
      if (!('voltageV' in it)) throw new GbtEncodeError('fuelCell: a 2016 item needs voltageV, currentA, probeTempsC (2025 layout given)');
      w16(w, it.voltageV, 'voltageV', 10);
      w16(w, it.currentA, 'currentA', 10);
      w16(w, it.consumptionKgPer100Km, 'consumptionKgPer100Km', 100);
      const probes = it.probeTempsC;
      wCount16(w, listLength(probes), typeof probes === 'string' ? probes : undefined, 'probeCount');
      if (typeof probes !== 'string') writeTempArray(w, probes, 'probeTempsC');
      w16(w, it.h2MaxTempC, 'h2MaxTempC', 10, H2_TEMP_OFFSET_2016);
      w8(w, it.h2MaxTempProbe, 'h2MaxTempProbe');
      w16(w, it.h2MaxConcentrationPpm, 'h2MaxConcentrationPpm');
      w8(w, it.h2MaxConcentrationSensor, 'h2MaxConcentrationSensor');
      w16(w, it.h2MaxPressureMpa, 'h2MaxPressureMpa', 10);
      w8(w, it.h2MaxPressureSensor, 'h2MaxPressureSensor');
      we8(w, it.dcdcState, ON_OFF, 'dcdcState');
      return;
    }
    if (!('h2RemainingPct' in it)) throw new GbtEncodeError('fuelCell: a 2025 item needs h2RemainingPct and dcdcTempC (2016 layout given)');
    w16(w, it.h2MaxTempC, 'h2MaxTempC', 1, TEMP_OFFSET);
    w8(w, it.h2MaxTempProbe, 'h2MaxTempProbe');
    w16(w, it.h2MaxConcentrationPct, 'h2MaxConcentrationPct', 10000);
    w8(w, it.h2MaxConcentrationSensor, 'h2MaxConcentrationSensor');
    w16(w, it.h2MaxPressureMpa, 'h2MaxPressureMpa', 10);
    w8(w, it.h2MaxPressureSensor, 'h2MaxPressureSensor');
    we8(w, it.dcdcState, ON_OFF, 'dcdcState');
    w8(w, it.h2RemainingPct, 'h2RemainingPct');
    w8(w, it.dcdcTempC, 'dcdcTempC', 1, TEMP_OFFSET);
  },
};
