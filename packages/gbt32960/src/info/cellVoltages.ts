// Cell voltages. 2016 type 0x08 (spec §8.8): subsystem count BYTE, then per subsystem no. BYTE,
// voltage WORD, current WORD (−1000 A), total cells WORD, start index WORD, m BYTE (≤ 200 per frame;
// longer packs are split across frames) and m cell WORDs. 2025 type 0x07 (§9.7): pack count BYTE,
// per pack no. BYTE, voltage, current (−3000 A), cell count WORD, cells — no split fields.
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import { GbtEncodeError } from '../errors.js';
import type { CellVoltagePack, CellVoltagesItem, Version } from '../model.js';
import { count8, n8, n16, u8f, u16f, w8, w16, wCount8, wInt } from '../values.js';
import { readWordArray, scopeWarnings, warningCount, writeWordArray } from './arrays.js';
import type { ItemCodec } from './registry.js';

/** Cell voltage: 0.001 V, valid raw 0–60000 (§8.8, §9.7). */
const CELL_DIV = 1000;
const CELL_MAX = 60000;
/** 2016: at most 200 cells per frame (§8.8). */
const MAX_CELLS_PER_FRAME_2016 = 200;

function readPack2016(c: Ctx): CellVoltagePack {
  // Subsystem no. 1–250; the table defines no codes but FE/FF cannot be a number (rtm_con reads
  // 0xFF as invalid), so they are read as special codes — the byte round-trips either way.
  const pack = n8(c, 'pack', 1, 0, 250);
  const voltageV = n16(c, 'voltageV', 10, 0, 10000);
  const currentA = n16(c, 'currentA', 10, 10000, 20000);
  const totalCells = n16(c, 'totalCells');
  const startCell = u16f(c, 'startCell');
  const start = c.p;
  const m = u8f(c, 'cellCount');
  if (m > MAX_CELLS_PER_FRAME_2016) c.warn(start, 'cellCount', `cellCount ${m} exceeds ${MAX_CELLS_PER_FRAME_2016} per frame`);
  const cellVoltagesV = readWordArray(c, m, 'cellVoltagesV', CELL_DIV, CELL_MAX);
  return { pack, voltageV, currentA, totalCells, startCell, cellVoltagesV };
}

function readPack2025(c: Ctx): CellVoltagePack {
  const pack = n8(c, 'pack', 1, 0, 50);
  const voltageV = n16(c, 'voltageV', 10, 0, 60000);
  const currentA = n16(c, 'currentA', 10, 30000, 60000);
  // The cell count is structural (it sizes the list), so it is read as a plain WORD.
  const n = u16f(c, 'cellCount');
  const cellVoltagesV = readWordArray(c, n, 'cellVoltagesV', CELL_DIV, CELL_MAX);
  return { pack, voltageV, currentA, cellVoltagesV };
}

export const cellVoltagesCodec: ItemCodec<CellVoltagesItem> = {
  decode(c: Ctx, typeId: number): CellVoltagesItem {
    const v2016 = c.version === 2016;
    const countStart = c.p;
    const count = count8(c, 'packCount');
    // Pre-sized to the count (a pushed-to [] reserves 17 slots). Special counts leave it empty.
    const packs: CellVoltagePack[] = count.special ? [] : new Array<CellVoltagePack>(count.n);
    const item: CellVoltagesItem = { type: 'cellVoltages', typeId: typeId as 0x07 | 0x08, packs };
    if (count.special) {
      item.packCount = count.special;
      return item;
    }
    const max = v2016 ? 250 : 50;
    if (count.n > max) c.warn(countStart, 'packCount', `packCount ${count.n} exceeds ${max}`);
    for (let i = 0; i < count.n; i++) {
      const before = warningCount(c);
      if (c.trace) c.trace.enter(`packs[${i}]`);
      packs[i] = v2016 ? readPack2016(c) : readPack2025(c);
      if (c.trace) c.trace.leave();
      if (warningCount(c) > before) scopeWarnings(c, before, `packs[${i}]`);
    }
    return item;
  },

  encode(w: Writer, it: CellVoltagesItem, version: Version): void {
    wCount8(w, it.packs.length, it.packCount, 'packCount');
    if (it.packCount) return;
    for (const p of it.packs) {
      const cells = p.cellVoltagesV;
      w8(w, p.pack, 'pack');
      w16(w, p.voltageV, 'voltageV', 10);
      if (version === 2016) {
        w16(w, p.currentA, 'currentA', 10, 10000);
        w16(w, p.totalCells ?? cells.length, 'totalCells');
        wInt(w, p.startCell ?? 1, 2, 'startCell');
        if (cells.length > 0xff) throw new GbtEncodeError(`cellVoltagesV: ${cells.length} cells do not fit the 2016 BYTE count (split at 200 per frame)`);
        w.u8(cells.length);
      } else {
        w16(w, p.currentA, 'currentA', 10, 30000);
        if (cells.length > 0xffff) throw new GbtEncodeError(`cellVoltagesV: ${cells.length} cells do not fit a WORD count`);
        w.u16(cells.length);
      }
      writeWordArray(w, cells, 'cellVoltagesV', CELL_DIV);
    }
  },
};
