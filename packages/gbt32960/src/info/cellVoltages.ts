// Cell voltages. 2016 type 0x08 (spec §8.8): subsystem count BYTE, then per subsystem no. BYTE,
// voltage WORD, current WORD (−1000 A), total cells WORD, start index WORD, m BYTE (≤ 200 per frame;
// longer packs are split across frames) and m cell WORDs. 2025 type 0x07 (§9.7): pack count BYTE,
// per pack no. BYTE, voltage, current (−3000 A), cell count WORD, cells — no split fields.
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import { GbtEncodeError } from '../errors.js';
import type { CellVoltagePack, CellVoltagesItem, Num, Version } from '../model.js';
import { FAST, be16, count8, f8, f16, n8, n16, u8f, u16f, w8, w16, wCount8, wInt } from '../values.js';
import { readWordArray, scopeWarnings, warningCount, wordArrayMixed, writeWordArray } from './arrays.js';
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

/**
 * readWordArray(…, CELL_DIV, CELL_MAX) without a tracer over n WORDs at p (bounds checked by the
 * caller): the same values, or undefined where it would warn. 0.001 V, valid raw 0–60000 (§8.8,
 * §9.7) written as literals: V8 does not fold module constants into the loop, and a divisor
 * passed as a parameter cost a type check per cell in the optimised code. One comparison finds
 * out-of-range and special (FFFE/FFFF) values; two cells per turn take 5–9 % fewer
 * instructions per frame (valgrind) than one.
 */
function cellsFast(b: Uint8Array, p: number, n: number): Num[] | undefined {
  const out = new Array<Num>(n);
  const from = p;
  let i = 0;
  for (; i + 1 < n; i += 2, p += 4) {
    const r0 = (b[p] << 8) | b[p + 1];
    const r1 = (b[p + 2] << 8) | b[p + 3];
    if (r0 > 60000 || r1 > 60000) return wordArrayMixed(b, from, n, CELL_DIV, CELL_MAX);
    out[i] = r0 / 1000; // exact decimal, as readWordArray (not r0 * 0.001)
    out[i + 1] = r1 / 1000;
  }
  if (i < n) {
    const raw = (b[p] << 8) | b[p + 1];
    if (raw > 60000) return wordArrayMixed(b, from, n, CELL_DIV, CELL_MAX);
    out[i] = raw / 1000;
  }
  return out;
}

/**
 * readRealtimeItems' path without a tracer: the item cellVoltagesCodec.decode gives, or undefined
 * (nothing consumed) for a special count, a value that reader would warn about, or too few bytes.
 */
export function readCellVoltagesFast(c: Ctx, p: number, typeId: number): CellVoltagesItem | undefined {
  const b = c.b;
  const end = c.end;
  if (p >= end) return undefined;
  const v2016 = c.version === 2016;
  const count = b[p++];
  if (count >= 0xfe || count > (v2016 ? 250 : 50)) return undefined;
  FAST.bad = false;
  const packs = new Array<CellVoltagePack>(count);
  for (let i = 0; i < count; i++) {
    if (v2016) {
      if (p + 10 > end) return undefined;
      const pack = f8(b[p], 1, 0, 250);
      const voltageV = f16(be16(b, p + 1), 10, 0, 10000);
      const currentA = f16(be16(b, p + 3), 10, 10000, 20000);
      const totalCells = f16(be16(b, p + 5), 1, 0, 65531);
      const startCell = be16(b, p + 7);
      const m = b[p + 9];
      p += 10;
      if (m > MAX_CELLS_PER_FRAME_2016 || p + 2 * m > end) return undefined;
      const cellVoltagesV = cellsFast(b, p, m);
      if (cellVoltagesV === undefined) return undefined;
      p += 2 * m;
      packs[i] = { pack, voltageV, currentA, totalCells, startCell, cellVoltagesV };
    } else {
      if (p + 7 > end) return undefined;
      const pack = f8(b[p], 1, 0, 50);
      const voltageV = f16(be16(b, p + 1), 10, 0, 60000);
      const currentA = f16(be16(b, p + 3), 10, 30000, 60000);
      const n = be16(b, p + 5);
      p += 7;
      if (p + 2 * n > end) return undefined;
      const cellVoltagesV = cellsFast(b, p, n);
      if (cellVoltagesV === undefined) return undefined;
      p += 2 * n;
      packs[i] = { pack, voltageV, currentA, cellVoltagesV };
    }
  }
  if (FAST.bad) return undefined;
  c.p = p;
  return { type: 'cellVoltages', typeId: typeId as 0x07 | 0x08, packs };
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
