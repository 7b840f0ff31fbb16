// Probe temperatures. 2016 type 0x09 (spec §8.9) and 2025 type 0x08 (§9.8) share one layout:
// pack count BYTE, then per pack: no. BYTE, probe count WORD (FFFE/FFFF: no list follows),
// N temperature BYTEs (1 °C, −40, valid 0–250, FE/FF).
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import type { Num, ProbePack, ProbeTemperaturesItem, Version } from '../model.js';
import { FAST, count8, count16, f8, n8, w8, wCount8, wCount16 } from '../values.js';
import { listLength, readTempArray, scopeWarnings, tempArrayMixed, warningCount, writeTempArray } from './arrays.js';
import type { ItemCodec } from './registry.js';

/**
 * readTempArray(…, 250) without a tracer over n BYTEs at p (bounds checked by the caller): the same
 * values, or undefined where it would warn. 1 °C, −40, valid raw 0–250 (§8.9, §9.8) as literals,
 * for the reason given at cellVoltages.ts cellsFast.
 */
function temperaturesFast(b: Uint8Array, p: number, n: number): Num[] | undefined {
  const out = new Array<Num>(n);
  for (let i = 0; i < n; i++, p++) {
    const raw = b[p];
    if (raw > 250) return tempArrayMixed(b, p - i, n, 250);
    out[i] = raw - 40; // TEMP_OFFSET
  }
  return out;
}

/**
 * readRealtimeItems' path without a tracer: the item probeTemperaturesCodec.decode gives, or
 * undefined (nothing consumed) for a special pack count, a value that reader would warn about, or
 * too few bytes.
 */
export function readProbeTemperaturesFast(c: Ctx, p: number, typeId: number): ProbeTemperaturesItem | undefined {
  const b = c.b;
  const end = c.end;
  if (p >= end) return undefined;
  const maxPacks = c.version === 2016 ? 250 : 50;
  const count = b[p++];
  if (count >= 0xfe || count > maxPacks) return undefined;
  FAST.bad = false;
  const packs = new Array<ProbePack>(count);
  for (let i = 0; i < count; i++) {
    if (p + 3 > end) return undefined;
    const pack = f8(b[p], 1, 0, maxPacks);
    const n = (b[p + 1] << 8) | b[p + 2];
    p += 3;
    let temperaturesC: ProbePack['temperaturesC'];
    if (n >= 0xfffe) temperaturesC = n === 0xfffe ? 'abnormal' : 'invalid';
    else {
      if (p + n > end) return undefined;
      const t = temperaturesFast(b, p, n);
      if (t === undefined) return undefined;
      temperaturesC = t;
      p += n;
    }
    packs[i] = { pack, temperaturesC };
  }
  if (FAST.bad) return undefined;
  c.p = p;
  return { type: 'probeTemperatures', typeId: typeId as 0x08 | 0x09, packs };
}

export const probeTemperaturesCodec: ItemCodec<ProbeTemperaturesItem> = {
  decode(c: Ctx, typeId: number): ProbeTemperaturesItem {
    const maxPacks = c.version === 2016 ? 250 : 50;
    const countStart = c.p;
    const count = count8(c, 'packCount');
    // Pre-sized to the count (a pushed-to [] reserves 17 slots). Special counts leave it empty.
    const packs: ProbePack[] = count.special ? [] : new Array<ProbePack>(count.n);
    const item: ProbeTemperaturesItem = { type: 'probeTemperatures', typeId: typeId as 0x08 | 0x09, packs };
    if (count.special) {
      item.packCount = count.special;
      return item;
    }
    if (count.n > maxPacks) c.warn(countStart, 'packCount', `packCount ${count.n} exceeds ${maxPacks}`);
    for (let i = 0; i < count.n; i++) {
      const before = warningCount(c);
      if (c.trace) c.trace.enter(`packs[${i}]`);
      // Pack no. 1–250 (2016) / 1–50 (2025); FE/FF read as special codes (see cellVoltages.ts).
      const pack = n8(c, 'pack', 1, 0, maxPacks);
      const probes = count16(c, 'probeCount');
      const temperaturesC = probes.special ?? readTempArray(c, probes.n, 'temperaturesC', 250);
      packs[i] = { pack, temperaturesC };
      if (c.trace) c.trace.leave();
      if (warningCount(c) > before) scopeWarnings(c, before, `packs[${i}]`);
    }
    return item;
  },

  encode(w: Writer, it: ProbeTemperaturesItem, _version: Version): void {
    wCount8(w, it.packs.length, it.packCount, 'packCount');
    if (it.packCount) return;
    for (const p of it.packs) {
      w8(w, p.pack, 'pack');
      const t = p.temperaturesC;
      wCount16(w, listLength(t), typeof t === 'string' ? t : undefined, 'probeCount');
      if (typeof t !== 'string') writeTempArray(w, t, 'temperaturesC');
    }
  },
};
