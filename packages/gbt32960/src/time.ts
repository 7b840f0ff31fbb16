// The 6-byte time field: YY MM DD hh mm ss, binary, Beijing time GMT+8 (spec §2).
import type { Writer } from './bytes.js';
import type { Ctx } from './context.js';
import { GbtEncodeError } from './errors.js';

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/** Formats raw components as ISO 8601 with +08:00. Out-of-range components are kept as they are. */
export function formatTime(y: number, mo: number, d: number, h: number, mi: number, s: number): string {
  return `${2000 + y}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}+08:00`;
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
  const v = formatTime(y, mo, d, h, mi, s);
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
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

export function writeTime(w: Writer, text: string, what = 'time'): void {
  for (const v of timeComponents(text, what)) w.u8(v);
}
