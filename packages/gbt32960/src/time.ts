// The 6-byte time field: YY MM DD hh mm ss, binary, Beijing time GMT+8 (spec §2).
import type { Writer } from './bytes.js';
import type { Ctx } from './context.js';
import { GbtEncodeError } from './errors.js';

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** Formats raw components as ISO 8601 with +08:00. Out-of-range components are kept as they are. */
export function formatTime(y: number, mo: number, d: number, h: number, mi: number, s: number): string {
  return `${2000 + y}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}+08:00`;
}

/** Two-digit forms of every byte value and the years 2000–2255: a time field is six table reads
 * instead of six number→string conversions. Out-of-range bytes read as formatTime would. */
const PAD2: readonly string[] = Array.from({ length: 256 }, (_, n) => pad2(n));
const YEARS: readonly string[] = Array.from({ length: 256 }, (_, n) => String(2000 + n));

const ZERO = 48; // "0"
const DASH = 45;
const COLON = 58;
/** Tens and units digit codes of a value 0–99. */
function t(v: number): number {
  return ZERO + ((v / 10) | 0);
}
function u(v: number): number {
  return ZERO + (v % 10);
}

/**
 * "20YY-MM-DDThh:mm:ss+08:00" for two-digit components, built by one fromCharCode call: a flat
 * 25-byte string instead of a chain of concatenations (about 200 bytes of garbage per frame).
 */
function flatTime(y: number, mo: number, d: number, h: number, mi: number, s: number): string {
  // t/u are module-level functions, not closures: under tsx (esbuild keepNames) a closure made per
  // call is also renamed per call, which cost more than the whole time field.
  return String.fromCharCode(
    ZERO + 2, ZERO, t(y), u(y), DASH, t(mo), u(mo), DASH, t(d), u(d), 84 /* T */,
    t(h), u(h), COLON, t(mi), u(mi), COLON, t(s), u(s),
    43 /* + */, ZERO, ZERO + 8, COLON, ZERO, ZERO,
  );
}

export function readTime(c: Ctx, name = 'time'): string {
  const start = c.p;
  c.need(6, name);
  const b = c.b;
  const p = c.p;
  const y = b[p], mo = b[p + 1], d = b[p + 2], h = b[p + 3], mi = b[p + 4], s = b[p + 5];
  c.p = p + 6;
  if (y > 99 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) {
    c.warn(start, name, `time ${y}-${mo}-${d} ${h}:${mi}:${s} is not a valid date`);
  }
  const v =
    y <= 99 && mo <= 99 && d <= 99 && h <= 99 && mi <= 99 && s <= 99
      ? flatTime(y, mo, d, h, mi, s)
      : YEARS[y] + '-' + PAD2[mo] + '-' + PAD2[d] + 'T' + PAD2[h] + ':' + PAD2[mi] + ':' + PAD2[s] + '+08:00';
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
}

/** The time string of the 6 bytes at b[p] (caller checks the bounds; no range warning): readTime's
 * value without a cursor, for scan.ts. */
export function timeAt(b: Uint8Array, p: number): string {
  const y = b[p], mo = b[p + 1], d = b[p + 2], h = b[p + 3], mi = b[p + 4], s = b[p + 5];
  return y <= 99 && mo <= 99 && d <= 99 && h <= 99 && mi <= 99 && s <= 99
    ? flatTime(y, mo, d, h, mi, s)
    : YEARS[y] + '-' + PAD2[mo] + '-' + PAD2[d] + 'T' + PAD2[h] + ':' + PAD2[mi] + ':' + PAD2[s] + '+08:00';
}

const TIME_RE = /^(\d{4})-(\d{2,3})-(\d{2,3})T(\d{2,3}):(\d{2,3}):(\d{2,3})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Wire components of a time string. Strings with +08:00 keep their components exactly; other
 * offsets (or Z) are converted to Beijing time. */
export function timeComponents(text: string, what = 'time'): number[] {
  const m = TIME_RE.exec(text);
  if (!m) throw new GbtEncodeError(`${what}: "${text}" is not an ISO 8601 time`);
  const zone = m[7];
  if (zone === undefined || zone === '+08:00' || zone === '+0800') {
    const parts = [Number(m[1]) - 2000, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
    if (parts.some((v) => v < 0 || v > 255)) throw new GbtEncodeError(`${what}: "${text}" has no wire form`);
    return parts;
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new GbtEncodeError(`${what}: "${text}" is not a valid time`);
  return dateComponents(new Date(ms));
}

/** Wire components of an instant, in Beijing time. */
export function dateComponents(d: Date): number[] {
  const t = new Date(d.getTime() + 8 * 3600_000);
  return [
    t.getUTCFullYear() - 2000,
    t.getUTCMonth() + 1,
    t.getUTCDate(),
    t.getUTCHours(),
    t.getUTCMinutes(),
    t.getUTCSeconds(),
  ];
}

/** An instant as the model's time string. */
export function beijingTime(d: Date): string {
  const [y, mo, day, h, mi, s] = dateComponents(d);
  return formatTime(y, mo, day, h, mi, s);
}

/** Model time string → Date (UTC instant). */
export function timeToDate(text: string): Date {
  return new Date(Date.parse(text));
}

/** Digit value of the character at i, or -1. */
function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two digits at i as a number, or -1. */
function two(text: string, i: number): number {
  const a = digit(text, i);
  const b = digit(text, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/**
 * The model's own form, "2025-10-27T20:02:02+08:00", read without the regular expression: the
 * encoder writes one per frame. Returns false for anything else (timeComponents decides).
 */
function writeBeijingTime(w: Writer, text: string): boolean {
  if (text.length !== 25 || !text.endsWith('+08:00')) return false;
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') return false;
  const hi = two(text, 0);
  const lo = two(text, 2);
  const mo = two(text, 5);
  const d = two(text, 8);
  const h = two(text, 11);
  const mi = two(text, 14);
  const s = two(text, 17);
  if (hi < 0 || lo < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return false;
  const y = hi * 100 + lo - 2000;
  if (y < 0 || y > 255) return false;
  w.u8(y);
  w.u8(mo);
  w.u8(d);
  w.u8(h);
  w.u8(mi);
  w.u8(s);
  return true;
}

export function writeTime(w: Writer, text: string, what = 'time'): void {
  if (writeBeijingTime(w, text)) return;
  for (const v of timeComponents(text, what)) w.u8(v);
}
