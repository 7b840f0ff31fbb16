// Field readers and writers with the standard's special codes: for a field of width w, raw max-1
// is "abnormal" and raw max is "invalid" (spec, notation; e.g. GB/T 32960.3-2016 Table 9).
// phys = (raw - offset) / divisor — division by a power of ten keeps decimals exact (122/10 = 12.2).
import type { Writer } from './bytes.js';
import type { Ctx } from './context.js';
import { GbtEncodeError } from './errors.js';
import type { Enum, Num, Special } from './model.js';

function special(raw: number, abnormal: number): Special | undefined {
  return raw === abnormal ? 'abnormal' : raw === abnormal + 1 ? 'invalid' : undefined;
}

function rangeCheck(c: Ctx, name: string, start: number, raw: number, max: number): void {
  if (raw > max) c.warn(start, name, `${name} raw value ${raw} exceeds ${max}`);
}

/** BYTE with FE/FF codes. */
export function n8(c: Ctx, name: string, div = 1, off = 0, max = 253): Num {
  const start = c.p;
  const raw = c.u8(name);
  let v: Num;
  if (raw >= 0xfe) v = raw === 0xfe ? 'abnormal' : 'invalid';
  else {
    if (raw > max) rangeCheck(c, name, start, raw, max);
    v = div === 1 ? raw - off : (raw - off) / div;
  }
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
}

/** WORD with FFFE/FFFF codes. */
export function n16(c: Ctx, name: string, div = 1, off = 0, max = 65531): Num {
  const start = c.p;
  const raw = c.u16(name);
  let v: Num;
  if (raw >= 0xfffe) v = raw === 0xfffe ? 'abnormal' : 'invalid';
  else {
    if (raw > max) rangeCheck(c, name, start, raw, max);
    v = div === 1 ? raw - off : (raw - off) / div;
  }
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
}

/** DWORD with FFFFFFFE/FFFFFFFF codes. */
export function n32(c: Ctx, name: string, div = 1, off = 0, max = 0xfffffffb): Num {
  const start = c.p;
  const raw = c.u32(name);
  let v: Num;
  if (raw >= 0xfffffffe) v = raw === 0xfffffffe ? 'abnormal' : 'invalid';
  else {
    if (raw > max) rangeCheck(c, name, start, raw, max);
    v = div === 1 ? raw - off : (raw - off) / div;
  }
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
}

/** A plain integer without special codes (serials, counts that define structure). */
export function u8f(c: Ctx, name: string): number {
  const start = c.p;
  const v = c.u8(name);
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
}

export function u16f(c: Ctx, name: string): number {
  const start = c.p;
  const v = c.u16(name);
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
}

export function u32f(c: Ctx, name: string): number {
  const start = c.p;
  const v = c.u32(name);
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
}

/** What a count field says: n entries follow, or a special code and none. */
export type Count = Readonly<{ n: number; special?: Special }>;

// Shared, frozen results: a realtime frame reads about ten counts, and an object per count was a
// measurable share of the decoder's garbage (bench/codec.bench.ts).
const COUNTS: readonly Count[] = Array.from({ length: 256 }, (_, n) => Object.freeze({ n }));
const ABNORMAL_COUNT: Count = Object.freeze({ n: 0, special: 'abnormal' });
const INVALID_COUNT: Count = Object.freeze({ n: 0, special: 'invalid' });

/** A count BYTE that may hold FE/FF; returns the number of entries that follow (0 when special). */
export function count8(c: Ctx, name: string): Count {
  const start = c.p;
  const raw = c.u8(name);
  const s = special(raw, 0xfe);
  if (c.trace) c.trace.field(name, start, c.p, s ?? raw);
  return s ? (s === 'abnormal' ? ABNORMAL_COUNT : INVALID_COUNT) : COUNTS[raw];
}

/** A count WORD that may hold FFFE/FFFF. */
export function count16(c: Ctx, name: string): Count {
  const start = c.p;
  const raw = c.u16(name);
  const s = special(raw, 0xfffe);
  if (c.trace) c.trace.field(name, start, c.p, s ?? raw);
  return s ? (s === 'abnormal' ? ABNORMAL_COUNT : INVALID_COUNT) : raw < 256 ? COUNTS[raw] : { n: raw };
}

/** Enumerated BYTE: names[raw] when defined, FE/FF codes, else the raw number. */
export function e8<N extends string>(c: Ctx, name: string, names: readonly (N | undefined)[]): Enum<N> {
  const start = c.p;
  const raw = c.u8(name);
  const v: Enum<N> = raw >= 0xfe ? (raw === 0xfe ? 'abnormal' : 'invalid') : (names[raw] ?? raw);
  if (typeof v === 'number') c.warn(start, name, `${name} code 0x${raw.toString(16)} is not defined`);
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
}

// ------------------------------------------------------------------------------------------
// Fast-path value helpers for readRealtimeItems when no tracer is attached (info/*.ts `read…Fast`).
// The caller reads the raw integer straight from the frame; the helper gives exactly the value the
// reader above gives. Where that reader would warn, the helper sets `FAST.bad` instead, and the
// caller gives up: the item is then read again by its full codec, which raises the warning.

/** Set when a fast reader met a value the full reader warns about. */
export const FAST = { bad: false };

/** n8 on a raw BYTE. */
export function f8(raw: number, div: number, off: number, max: number): Num {
  if (raw >= 0xfe) return raw === 0xfe ? 'abnormal' : 'invalid';
  if (raw > max) FAST.bad = true;
  return div === 1 ? raw - off : (raw - off) / div;
}

/** n16 on a raw WORD. */
export function f16(raw: number, div: number, off: number, max: number): Num {
  if (raw >= 0xfffe) return raw === 0xfffe ? 'abnormal' : 'invalid';
  if (raw > max) FAST.bad = true;
  return div === 1 ? raw - off : (raw - off) / div;
}

/** n32 on a raw DWORD. */
export function f32(raw: number, div: number, off: number, max: number): Num {
  if (raw >= 0xfffffffe) return raw === 0xfffffffe ? 'abnormal' : 'invalid';
  if (raw > max) FAST.bad = true;
  return div === 1 ? raw - off : (raw - off) / div;
}

/** e8 on a raw BYTE. */
export function fe8<N extends string>(raw: number, names: readonly (N | undefined)[]): Enum<N> {
  if (raw >= 0xfe) return raw === 0xfe ? 'abnormal' : 'invalid';
  const v = names[raw];
  if (v === undefined) {
    FAST.bad = true;
    return raw;
  }
  return v;
}

/** Big-endian WORD at p (the caller has checked the bounds). */
export function be16(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

/** Big-endian DWORD at p, as Cursor.u32 computes it. */
export function be32(b: Uint8Array, p: number): number {
  return b[p] * 0x1000000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
}

// ------------------------------------------------------------------------------------------
// Writers

function toRaw(v: Num, div: number, off: number, abnormal: number, what: string): number {
  if (v === 'abnormal') return abnormal;
  if (v === 'invalid') return abnormal + 1;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new GbtEncodeError(`${what}: not a number (${String(v)})`);
  const raw = Math.round(v * div + off);
  if (raw < 0 || raw > abnormal + 1) throw new GbtEncodeError(`${what}: ${v} is outside the field's wire range`);
  return raw;
}

export function w8(w: Writer, v: Num, what: string, div = 1, off = 0): void {
  w.u8(toRaw(v, div, off, 0xfe, what));
}

export function w16(w: Writer, v: Num, what: string, div = 1, off = 0): void {
  w.u16(toRaw(v, div, off, 0xfffe, what));
}

export function w32(w: Writer, v: Num, what: string, div = 1, off = 0): void {
  w.u32(toRaw(v, div, off, 0xfffffffe, what));
}

export function wCount8(w: Writer, n: number, s: Special | undefined, what: string): void {
  if (s) w.u8(s === 'abnormal' ? 0xfe : 0xff);
  else if (n > 0xfd) throw new GbtEncodeError(`${what}: ${n} entries do not fit a BYTE count`);
  else w.u8(n);
}

export function wCount16(w: Writer, n: number, s: Special | undefined, what: string): void {
  if (s) w.u16(s === 'abnormal' ? 0xfffe : 0xffff);
  else if (n > 0xfffd) throw new GbtEncodeError(`${what}: ${n} entries do not fit a WORD count`);
  else w.u16(n);
}

export function we8<N extends string>(w: Writer, v: Enum<N>, names: readonly (N | undefined)[], what: string): void {
  if (v === 'abnormal') return w.u8(0xfe);
  if (v === 'invalid') return w.u8(0xff);
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new GbtEncodeError(`${what}: ${v} is not a byte`);
    return w.u8(v);
  }
  const i = names.indexOf(v);
  if (i < 0) throw new GbtEncodeError(`${what}: unknown value "${v}"`);
  w.u8(i);
}

/** Writes a plain integer checked against its width. */
export function wInt(w: Writer, v: number, bytes: 1 | 2 | 4, what: string): void {
  const max = bytes === 1 ? 0xff : bytes === 2 ? 0xffff : 0xffffffff;
  if (!Number.isInteger(v) || v < 0 || v > max) throw new GbtEncodeError(`${what}: ${v} does not fit ${bytes} byte(s)`);
  if (bytes === 1) w.u8(v);
  else if (bytes === 2) w.u16(v);
  else w.u32(v);
}
