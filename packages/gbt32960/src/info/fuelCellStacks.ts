// Fuel-cell stacks (2025 type 0x30, spec §9.9): stack count BYTE (FE/FF: no stacks follow), then per
// stack: no. BYTE, voltage WORD 0.1 V, current WORD 0.1 A, H₂ and air inlet pressure WORD 0.1 kPa
// −100 kPa, air inlet temperature BYTE −40, coolant-outlet probe count WORD and N BYTEs (−40).
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import type { FuelCellStack, FuelCellStacksItem, Version } from '../model.js';
import { count8, count16, n8, n16, w8, w16, wCount8, wCount16 } from '../values.js';
import { TEMP_OFFSET, listLength, readTempArray, scopeWarnings, warningCount, writeTempArray } from './arrays.js';
import type { ItemCodec } from './registry.js';

/** Inlet pressures: 0.1 kPa with −100 kPa, i.e. raw offset 1000, valid raw 0–5000 (§9.9). */
const PRESSURE_OFFSET = 1000;

function readStack(c: Ctx): FuelCellStack {
  const stack = n8(c, 'stack', 1, 0, 253);
  const voltageV = n16(c, 'voltageV', 10, 0, 20000);
  const currentA = n16(c, 'currentA', 10, 0, 20000);
  const h2InletPressureKpa = n16(c, 'h2InletPressureKpa', 10, PRESSURE_OFFSET, 5000);
  const airInletPressureKpa = n16(c, 'airInletPressureKpa', 10, PRESSURE_OFFSET, 5000);
  const airInletTempC = n8(c, 'airInletTempC', 1, TEMP_OFFSET, 250);
  const probes = count16(c, 'coolantProbeCount');
  const coolantOutletTempsC = probes.special ?? readTempArray(c, probes.n, 'coolantOutletTempsC', 250);
  return { stack, voltageV, currentA, h2InletPressureKpa, airInletPressureKpa, airInletTempC, coolantOutletTempsC };
}

export const fuelCellStacksCodec: ItemCodec<FuelCellStacksItem> = {
  decode(c: Ctx): FuelCellStacksItem {
    const count = count8(c, 'stackCount');
    const stacks: FuelCellStack[] = [];
    const item: FuelCellStacksItem = { type: 'fuelCellStacks', typeId: 0x30, stacks };
    if (count.special) {
      item.stackCount = count.special;
      return item;
    }
    for (let i = 0; i < count.n; i++) {
      const before = warningCount(c);
      if (c.trace) c.trace.enter(`stacks[${i}]`);
      stacks.push(readStack(c));
      if (c.trace) c.trace.leave();
      if (warningCount(c) > before) scopeWarnings(c, before, `stacks[${i}]`);
    }
    return item;
  },

  encode(w: Writer, it: FuelCellStacksItem, _version: Version): void {
    wCount8(w, it.stacks.length, it.stackCount, 'stackCount');
    if (it.stackCount) return;
    for (const s of it.stacks) {
      w8(w, s.stack, 'stack');
      w16(w, s.voltageV, 'voltageV', 10);
      w16(w, s.currentA, 'currentA', 10);
      w16(w, s.h2InletPressureKpa, 'h2InletPressureKpa', 10, PRESSURE_OFFSET);
      w16(w, s.airInletPressureKpa, 'airInletPressureKpa', 10, PRESSURE_OFFSET);
      w8(w, s.airInletTempC, 'airInletTempC', 1, TEMP_OFFSET);
      const t = s.coolantOutletTempsC;
      wCount16(w, listLength(t), typeof t === 'string' ? t : undefined, 'coolantProbeCount');
      if (typeof t !== 'string') writeTempArray(w, t, 'coolantOutletTempsC');
    }
  },
};
