// Probe temperatures. 2016 type 0x09 (spec §8.9) and 2025 type 0x08 (§9.8) share one layout:
// pack count BYTE, then per pack: no. BYTE, probe count WORD (FFFE/FFFF: no list follows),
// N temperature BYTEs (1 °C, −40, valid 0–250, FE/FF).
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import type { ProbePack, ProbeTemperaturesItem, Version } from '../model.js';
import { count8, count16, n8, w8, wCount8, wCount16 } from '../values.js';
import { listLength, readTempArray, scopeWarnings, warningCount, writeTempArray } from './arrays.js';
import type { ItemCodec } from './registry.js';

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
