// Hot loops shared by the array-carrying items: cell voltages (WORD, 0.001 V), probe temperatures
// (BYTE, 1 °C, −40) and DWORD fault-code lists. Bounds are checked once per array, `c.trace` once
// per array, and strings are built only for warnings (spec §8.8, §8.9, §9.7–§9.9).
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import { GbtEncodeError } from '../errors.js';
import type { Num, Special } from '../model.js';
import { w8, w16 } from '../values.js';

/** Temperature BYTE offset: phys = raw − 40 °C (spec §8.2, §8.9, §9.8). */
export const TEMP_OFFSET = 40;

/**
 * n WORDs scaled by 1/div with FFFE abnormal / FFFF invalid (e.g. cell voltages, 0.001 V,
 * valid raw 0–60000: spec §8.8, §9.7, §9.9 0x31).
 */
export function readWordArray(c: Ctx, n: number, name: string, div: number, max: number): Num[] {
  c.need(2 * n, name);
  const b = c.b;
  let p = c.p;
  // Pre-sized: cheaper than growing by push for a known count (measured).
  const out = new Array<Num>(n);
  if (c.trace) {
    for (let i = 0; i < n; i++, p += 2) {
      const raw = (b[p] << 8) | b[p + 1];
      const v: Num = raw >= 0xfffe ? (raw === 0xfffe ? 'abnormal' : 'invalid') : raw / div;
      if (typeof v === 'number' && raw > max) c.warn(p, `${name}[${i}]`, `${name}[${i}] raw value ${raw} exceeds ${max}`);
      c.trace.field(`${name}[${i}]`, p, p + 2, v);
      out[i] = v;
    }
  } else {
    // No call inside the hot loop: out-of-range values are only flagged, and warned about (in
    // index order, as before) by a second pass that runs only when there is one.
    const from = p;
    let over = false;
    for (let i = 0; i < n; i++, p += 2) {
      const raw = (b[p] << 8) | b[p + 1];
      if (raw < 0xfffe) {
        if (raw > max) over = true;
        out[i] = raw / div;
      } else out[i] = raw === 0xfffe ? 'abnormal' : 'invalid';
    }
    if (over) warnWords(c, from, n, name, max);
  }
  c.p = p;
  return out;
}

function warnWords(c: Ctx, from: number, n: number, name: string, max: number): void {
  const b = c.b;
  for (let i = 0, p = from; i < n; i++, p += 2) {
    const raw = (b[p] << 8) | b[p + 1];
    if (raw < 0xfffe && raw > max) c.warn(p, `${name}[${i}]`, `${name}[${i}] raw value ${raw} exceeds ${max}`);
  }
}

/**
 * n temperature BYTEs, phys = raw − 40. With `specials` FE/FF are abnormal/invalid (§8.9, §9.8);
 * without (2016 fuel-cell probes, §8.3 "—") every byte is a temperature.
 */
export function readTempArray(c: Ctx, n: number, name: string, max: number, specials = true): Num[] {
  c.need(n, name);
  const b = c.b;
  let p = c.p;
  // Pre-sized and indexed like readWordArray: about twice as fast as push for 32 probes (measured).
  const out = new Array<Num>(n);
  if (c.trace) {
    for (let i = 0; i < n; i++, p++) {
      const raw = b[p];
      const v: Num = specials && raw >= 0xfe ? (raw === 0xfe ? 'abnormal' : 'invalid') : raw - TEMP_OFFSET;
      if (typeof v === 'number' && raw > max) c.warn(p, `${name}[${i}]`, `${name}[${i}] raw value ${raw} exceeds ${max}`);
      c.trace.field(`${name}[${i}]`, p, p + 1, v);
      out[i] = v;
    }
  } else if (specials) {
    for (let i = 0; i < n; i++, p++) {
      const raw = b[p];
      if (raw > max) {
        if (raw >= 0xfe) {
          out[i] = raw === 0xfe ? 'abnormal' : 'invalid';
          continue;
        }
        c.warn(p, `${name}[${i}]`, `${name}[${i}] raw value ${raw} exceeds ${max}`);
      }
      out[i] = raw - TEMP_OFFSET;
    }
  } else {
    for (let i = 0; i < n; i++, p++) {
      const raw = b[p];
      if (raw > max) c.warn(p, `${name}[${i}]`, `${name}[${i}] raw value ${raw} exceeds ${max}`);
      out[i] = raw - TEMP_OFFSET;
    }
  }
  c.p = p;
  return out;
}

/**
 * The fast readers' arrays (cellVoltages.ts, probeTemperatures.ts) hand over to these when they
 * meet a special code: readWordArray / readTempArray values from p without a tracer, or undefined
 * where those would warn. A separate allocation site from the fast loops, whose arrays V8 then
 * keeps allocating as plain number arrays (it learns the element kind per allocation site).
 */
export function wordArrayMixed(b: Uint8Array, p: number, n: number, div: number, max: number): Num[] | undefined {
  const out = new Array<Num>(n);
  for (let i = 0; i < n; i++, p += 2) {
    const raw = (b[p] << 8) | b[p + 1];
    if (raw < 0xfffe) {
      if (raw > max) return undefined;
      out[i] = raw / div;
    } else out[i] = raw === 0xfffe ? 'abnormal' : 'invalid';
  }
  return out;
}

/** See wordArrayMixed: readTempArray (with special codes) values, or undefined where it would warn. */
export function tempArrayMixed(b: Uint8Array, p: number, n: number, max: number): Num[] | undefined {
  const out = new Array<Num>(n);
  for (let i = 0; i < n; i++, p++) {
    const raw = b[p];
    if (raw > max) {
      if (raw < 0xfe) return undefined;
      out[i] = raw === 0xfe ? 'abnormal' : 'invalid';
    } else out[i] = raw - TEMP_OFFSET;
  }
  return out;
}

/** n DWORD fault codes (OEM-defined, no scaling: spec §8.7). */
export function readDwordList(c: Ctx, n: number, name: string): number[] {
  c.need(4 * n, name);
  const b = c.b;
  let p = c.p;
  const out: number[] = [];
  for (let i = 0; i < n; i++, p += 4) {
    const v = b[p] * 0x1000000 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
    if (c.trace) c.trace.field(`${name}[${i}]`, p, p + 4, v);
    out.push(v);
  }
  c.p = p;
  return out;
}

/** w16 per value (same raw values, same errors), with the capacity reserved once per array. */
export function writeWordArray(w: Writer, values: readonly Num[], what: string, div: number): void {
  const n = values.length;
  w.grow(2 * n);
  const buf = w.buf;
  let p = w.p;
  for (let i = 0; i < n; i++, p += 2) {
    const v = values[i];
    let raw: number;
    if (typeof v === 'number' && Number.isFinite(v)) {
      raw = Math.round(v * div);
      if (raw < 0 || raw > 0xffff) {
        w.p = p;
        return w16(w, v, what, div); // throws the range error
      }
    } else if (v === 'abnormal') raw = 0xfffe;
    else if (v === 'invalid') raw = 0xffff;
    else {
      w.p = p;
      return w16(w, v, what, div); // throws "not a number"
    }
    buf[p] = raw >>> 8;
    buf[p + 1] = raw & 0xff;
  }
  w.p = p;
}

/** w8 with the −40 °C offset per value (same raw values, same errors), capacity reserved once. */
export function writeTempArray(w: Writer, values: readonly Num[], what: string): void {
  const n = values.length;
  w.grow(n);
  const buf = w.buf;
  let p = w.p;
  for (let i = 0; i < n; i++, p++) {
    const v = values[i];
    let raw: number;
    if (typeof v === 'number' && Number.isFinite(v)) {
      raw = Math.round(v + TEMP_OFFSET);
      if (raw < 0 || raw > 0xff) {
        w.p = p;
        return w8(w, v, what, 1, TEMP_OFFSET); // throws the range error
      }
    } else if (v === 'abnormal') raw = 0xfe;
    else if (v === 'invalid') raw = 0xff;
    else {
      w.p = p;
      return w8(w, v, what, 1, TEMP_OFFSET); // throws "not a number"
    }
    buf[p] = raw;
  }
  w.p = p;
}

export function writeDwordList(w: Writer, values: readonly number[], what: string): void {
  for (const v of values) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new GbtEncodeError(`${what}: ${v} is not a DWORD`);
    w.u32(v);
  }
}

/** Length of a list whose count field may instead hold a special code. */
export function listLength(list: readonly unknown[] | Special): number {
  return typeof list === 'string' ? 0 : list.length;
}

/**
 * Rewrites the field path of warnings raised while reading one entry of a list (e.g. a pack), so
 * that `items[3].voltageV` becomes `items[3].packs[1].voltageV`. Costs nothing when no warning was
 * raised, which keeps per-entry path strings off the hot path.
 */
export function scopeWarnings(c: Ctx, from: number, scope: string): void {
  const list = c.warnings;
  if (!list) return;
  const prefix = c.path ? `${c.path}.` : '';
  for (let i = from; i < list.length; i++) {
    const wn = list[i];
    if (wn.field === undefined) continue;
    const rest = prefix && wn.field.startsWith(prefix) ? wn.field.slice(prefix.length) : wn.field;
    wn.field = `${prefix}${scope}.${rest}`;
  }
}

export function warningCount(c: Ctx): number {
  return c.warnings ? c.warnings.length : 0;
}
