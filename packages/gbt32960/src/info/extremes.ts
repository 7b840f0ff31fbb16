// Extreme values (2016 type 0x06, 14 bytes, spec §8.6; removed in 2025). Pack and cell/probe
// numbers 1–250, cell voltages 0.001 V (0–15000), temperatures 1 °C −40 (0–250); FE/FF, FFFE/FFFF.
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import type { ExtremesItem, Version } from '../model.js';
import { n8, n16, w8, w16 } from '../values.js';
import { TEMP_OFFSET } from './arrays.js';
import type { ItemCodec } from './registry.js';

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
