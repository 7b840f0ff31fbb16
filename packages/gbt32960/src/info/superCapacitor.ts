// Super-capacitor items (2025, spec §9.9). 0x31: one system per item, NO count prefix (several
// systems = repeated 0x31 items): no. BYTE, total voltage WORD 0.1 V, total current WORD 0.1 A
// −3000 A, cell count WORD + cell WORDs 0.001 V, probe count WORD + probe BYTEs −40.
// 0x32: extremes, 18 bytes, cell/probe codes are WORDs.
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import type { SuperCapacitorExtremesItem, SuperCapacitorItem, Version } from '../model.js';
import { count16, n8, n16, w8, w16, wCount16 } from '../values.js';
import { TEMP_OFFSET, listLength, readTempArray, readWordArray, writeTempArray, writeWordArray } from './arrays.js';
import type { ItemCodec } from './registry.js';

/** Total current: 0.1 A with −3000 A, raw offset 30000, valid raw 0–60000 (§9.9). */
const CURRENT_OFFSET = 30000;

export const superCapacitorCodec: ItemCodec<SuperCapacitorItem> = {
  decode(c: Ctx): SuperCapacitorItem {
    const system = n8(c, 'system', 1, 0, 253);
    const totalVoltageV = n16(c, 'totalVoltageV', 10, 0, 10000);
    const totalCurrentA = n16(c, 'totalCurrentA', 10, CURRENT_OFFSET, 60000);
    // Counts FFFE/FFFF: abnormal/invalid, no list follows (§9.9).
    const cells = count16(c, 'cellCount');
    const cellVoltagesV = cells.special ?? readWordArray(c, cells.n, 'cellVoltagesV', 1000, 60000);
    const probes = count16(c, 'probeCount');
    const probeTempsC = probes.special ?? readTempArray(c, probes.n, 'probeTempsC', 250);
    return { type: 'superCapacitor', typeId: 0x31, system, totalVoltageV, totalCurrentA, cellVoltagesV, probeTempsC };
  },

  encode(w: Writer, it: SuperCapacitorItem, _version: Version): void {
    w8(w, it.system, 'system');
    w16(w, it.totalVoltageV, 'totalVoltageV', 10);
    w16(w, it.totalCurrentA, 'totalCurrentA', 10, CURRENT_OFFSET);
    const cells = it.cellVoltagesV;
    wCount16(w, listLength(cells), typeof cells === 'string' ? cells : undefined, 'cellCount');
    if (typeof cells !== 'string') writeWordArray(w, cells, 'cellVoltagesV', 1000);
    const probes = it.probeTempsC;
    wCount16(w, listLength(probes), typeof probes === 'string' ? probes : undefined, 'probeCount');
    if (typeof probes !== 'string') writeTempArray(w, probes, 'probeTempsC');
  },
};

export const superCapacitorExtremesCodec: ItemCodec<SuperCapacitorExtremesItem> = {
  decode(c: Ctx): SuperCapacitorExtremesItem {
    // The transcription gives no codes for the WORD cell/probe codes; FFFE/FFFF are read as
    // abnormal/invalid anyway (spec §16 open point 9).
    return {
      type: 'superCapacitorExtremes',
      typeId: 0x32,
      maxVoltageSystem: n8(c, 'maxVoltageSystem', 1, 0, 253),
      maxVoltageCell: n16(c, 'maxVoltageCell'),
      maxCellVoltageV: n16(c, 'maxCellVoltageV', 1000, 0, 60000),
      minVoltageSystem: n8(c, 'minVoltageSystem', 1, 0, 253),
      minVoltageCell: n16(c, 'minVoltageCell'),
      minCellVoltageV: n16(c, 'minCellVoltageV', 1000, 0, 60000),
      maxTempSystem: n8(c, 'maxTempSystem', 1, 0, 253),
      maxTempProbe: n16(c, 'maxTempProbe'),
      maxTempC: n8(c, 'maxTempC', 1, TEMP_OFFSET, 250),
      minTempSystem: n8(c, 'minTempSystem', 1, 0, 253),
      minTempProbe: n16(c, 'minTempProbe'),
      minTempC: n8(c, 'minTempC', 1, TEMP_OFFSET, 250),
    };
  },

  encode(w: Writer, it: SuperCapacitorExtremesItem, _version: Version): void {
    w8(w, it.maxVoltageSystem, 'maxVoltageSystem');
    w16(w, it.maxVoltageCell, 'maxVoltageCell');
    w16(w, it.maxCellVoltageV, 'maxCellVoltageV', 1000);
    w8(w, it.minVoltageSystem, 'minVoltageSystem');
    w16(w, it.minVoltageCell, 'minVoltageCell');
    w16(w, it.minCellVoltageV, 'minCellVoltageV', 1000);
    w8(w, it.maxTempSystem, 'maxTempSystem');
    w16(w, it.maxTempProbe, 'maxTempProbe');
    w8(w, it.maxTempC, 'maxTempC', 1, TEMP_OFFSET);
    w8(w, it.minTempSystem, 'minTempSystem');
    w16(w, it.minTempProbe, 'minTempProbe');
    w8(w, it.minTempC, 'minTempC', 1, TEMP_OFFSET);
  },
};
