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
    for (let i = 0; i < n; i++, p += 2) {
      const raw = (b[p] << 8) | b[p + 1];
      if (raw < 0xfffe) {
        if (raw > max) c.warn(p, `${name}[${i}]`, `${name}[${i}] raw value ${raw} exceeds ${max}`);
        out[i] = raw / div;
      } else out[i] = raw === 0xfffe ? 'abnormal' : 'invalid';
    }
  }
  c.p = p;
  return out;
}

/**
 * n temperature BYTEs, phys = raw − 40. With `specials` FE/FF are abnormal/invalid (§8.9, §9.8);
 * without (2016 fuel-cell probes, §8.3 "—") every byte is a temperature.
 */
export function readTempArray(c: Ctx, n: number, name: string, max: number, specials = true): Num[] {
  c.need(n, name);
  const b = c.b;
  let p = c.p;
  const end = p + n;
  const out: Num[] = [];
  if (c.trace) {
    for (let i = 0; p < end; i++, p++) {
      const raw = b[p];
      const v: Num = specials && raw >= 0xfe ? (raw === 0xfe ? 'abnormal' : 'invalid') : raw - TEMP_OFFSET;
      if (typeof v === 'number' && raw > max) c.warn(p, `${name}[${i}]`, `${name}[${i}] raw value ${raw} exceeds ${max}`);
      c.trace.field(`${name}[${i}]`, p, p + 1, v);
      out.push(v);
    }
  } else if (specials) {
    for (; p < end; p++) {
      const raw = b[p];
      if (raw > max) {
        if (raw >= 0xfe) {
          out.push(raw === 0xfe ? 'abnormal' : 'invalid');
          continue;
        }
        const i = n - (end - p);
        c.warn(p, `${name}[${i}]`, `${name}[${i}] raw value ${raw} exceeds ${max}`);
      }
      out.push(raw - TEMP_OFFSET);
    }
  } else {
    for (; p < end; p++) {
      const raw = b[p];
      if (raw > max) {
        const i = n - (end - p);
        c.warn(p, `${name}[${i}]`, `${name}[${i}] raw value ${raw} exceeds ${max}`);
      }
      out.push(raw - TEMP_OFFSET);
    }
  }
  c.p = p;
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

export function writeWordArray(w: Writer, values: readonly Num[], what: string, div: number): void {
  for (const v of values) w16(w, v, what, div);
}

export function writeTempArray(w: Writer, values: readonly Num[], what: string): void {
  for (const v of values) w8(w, v, what, 1, TEMP_OFFSET);
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
