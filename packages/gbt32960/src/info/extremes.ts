// Extreme values (2016 type 0x06, 14 bytes, spec §8.6; removed in 2025). Pack and cell/probe
// numbers 1–250, cell voltages 0.001 V (0–15000), temperatures 1 °C −40 (0–250); FE/FF, FFFE/FFFF.
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import type { ExtremesItem, Version } from '../model.js';
import { FAST, be16, f8, f16, n8, n16, w8, w16 } from '../values.js';
import { TEMP_OFFSET } from './arrays.js';
import type { ItemCodec } from './registry.js';

/**
 * readRealtimeItems' path without a tracer: the item extremesCodec.decode gives, or undefined
 * (nothing consumed) where that reader would warn or run past the data unit.
 */
export function readExtremesFast(c: Ctx, p: number): ExtremesItem | undefined {
  if (p + 14 > c.end) return undefined;
  const b = c.b;
  FAST.bad = false;
  const item: ExtremesItem = {
    type: 'extremes',
    typeId: 0x06,
    maxVoltagePack: f8(b[p], 1, 0, 250),
    maxVoltageCell: f8(b[p + 1], 1, 0, 250),
    maxCellVoltageV: f16(be16(b, p + 2), 1000, 0, 15000),
    minVoltagePack: f8(b[p + 4], 1, 0, 250),
    minVoltageCell: f8(b[p + 5], 1, 0, 250),
    minCellVoltageV: f16(be16(b, p + 6), 1000, 0, 15000),
    maxTempPack: f8(b[p + 8], 1, 0, 250),
    maxTempProbe: f8(b[p + 9], 1, 0, 250),
    maxTempC: f8(b[p + 10], 1, TEMP_OFFSET, 250),
    minTempPack: f8(b[p + 11], 1, 0, 250),
    minTempProbe: f8(b[p + 12], 1, 0, 250),
    minTempC: f8(b[p + 13], 1, TEMP_OFFSET, 250),
  };
  if (FAST.bad) return undefined;
  c.p = p + 14;
  return item;
}

export const extremesCodec: ItemCodec<ExtremesItem> = {
  decode(c: Ctx): ExtremesItem {
    return {
      type: 'extremes',
      typeId: 0x06,
      maxVoltagePack: n8(c, 'maxVoltagePack', 1, 0, 250),
      maxVoltageCell: n8(c, 'maxVoltageCell', 1, 0, 250),
      maxCellVoltageV: n16(c, 'maxCellVoltageV', 1000, 0, 15000),
      minVoltagePack: n8(c, 'minVoltagePack', 1, 0, 250),
      minVoltageCell: n8(c, 'minVoltageCell', 1, 0, 250),
      minCellVoltageV: n16(c, 'minCellVoltageV', 1000, 0, 15000),
      maxTempPack: n8(c, 'maxTempPack', 1, 0, 250),
      maxTempProbe: n8(c, 'maxTempProbe', 1, 0, 250),
      maxTempC: n8(c, 'maxTempC', 1, TEMP_OFFSET, 250),
      minTempPack: n8(c, 'minTempPack', 1, 0, 250),
      minTempProbe: n8(c, 'minTempProbe', 1, 0, 250),
      minTempC: n8(c, 'minTempC', 1, TEMP_OFFSET, 250),
    };
  },

  encode(w: Writer, it: ExtremesItem, _version: Version): void {
    w8(w, it.maxVoltagePack, 'maxVoltagePack');
    w8(w, it.maxVoltageCell, 'maxVoltageCell');
    w16(w, it.maxCellVoltageV, 'maxCellVoltageV', 1000);
    w8(w, it.minVoltagePack, 'minVoltagePack');
    w8(w, it.minVoltageCell, 'minVoltageCell');
    w16(w, it.minCellVoltageV, 'minCellVoltageV', 1000);
    w8(w, it.maxTempPack, 'maxTempPack');
    w8(w, it.maxTempProbe, 'maxTempProbe');
    w8(w, it.maxTempC, 'maxTempC', 1, TEMP_OFFSET);
    w8(w, it.minTempPack, 'minTempPack');
    w8(w, it.minTempProbe, 'minTempProbe');
    w8(w, it.minTempC, 'minTempC', 1, TEMP_OFFSET);
  },
};
