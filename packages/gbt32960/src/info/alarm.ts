// Alarm (2016 type 0x07, spec §8.7; 2025 type 0x06, §9.6): highest level BYTE, general flags
// DWORD (§10.3), four fault-code lists (count BYTE + DWORDs) and, in 2025, N5 × {flag bit, level}.
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import { GbtEncodeError } from '../errors.js';
import type { AlarmItem, FlagLevel, Special, Version } from '../model.js';
import { FAST, be32, count8, f8, n8, w8, wCount8 } from '../values.js';
import { listLength, readDwordList, writeDwordList } from './arrays.js';
import type { ItemCodec } from './registry.js';

/** General alarm flags by bit (§10.3); 2016 defines bits 0–18, 2025 bits 0–27. */
export const ALARM_FLAGS = [
  'temperatureDifference', // 0
  'batteryHighTemperature', // 1
  'energyStorageOverVoltage', // 2
  'energyStorageUnderVoltage', // 3
  'socLow', // 4
  'cellOverVoltage', // 5 (2025: minimum parallel unit over-voltage)
  'cellUnderVoltage', // 6 (2025: minimum parallel unit under-voltage)
  'socHigh', // 7
  'socJump', // 8
  'energyStorageMismatch', // 9
  'cellPoorConsistency', // 10 (2025: minimum parallel unit consistency)
  'insulation', // 11
  'dcdcTemperature', // 12
  'brakeSystem', // 13
  'dcdcState', // 14
  'motorControllerTemperature', // 15
  'highVoltageInterlock', // 16
  'motorTemperature', // 17
  'chargeOverCharge', // 18 (energy-storage device over-charge)
  'motorOverSpeed', // 19, 2025 only
  'motorOverCurrent', // 20, 2025 only
  'superCapacitorOverTemperature', // 21, 2025 only
  'superCapacitorOverVoltage', // 22, 2025 only
  'thermalEvent', // 23, 2025 only (RESS thermal event, implies a level-4 fault)
  'hydrogenLeak', // 24, 2025 only
  'hydrogenPressureAbnormal', // 25, 2025 only
  'hydrogenTemperatureAbnormal', // 26, 2025 only
  'fuelCellStackOverTemperature', // 27, 2025 only
] as const;

/** Highest defined flag bit + 1 per edition (§10.3: 2016 bits 19–31 and 2025 bits 28–31 reserved). */
const DEFINED_BITS = { 2016: 19, 2025: 28 } as const;

/** Flag names of one edition, reserved bits as `bitN`, built once. */
const FLAG_NAMES: Record<Version, string[]> = {
  2016: Array.from({ length: 32 }, (_, i) => (i < DEFINED_BITS[2016] ? ALARM_FLAGS[i] : `bit${i}`)),
  2025: Array.from({ length: 32 }, (_, i) => (i < DEFINED_BITS[2025] ? ALARM_FLAGS[i] : `bit${i}`)),
};

export function flagName(bit: number, version: Version): string {
  return FLAG_NAMES[version][bit] ?? `bit${bit}`;
}

export function flagBit(name: string, version: Version): number {
  const i = FLAG_NAMES[version].indexOf(name);
  if (i >= 0) return i;
  const m = /^bit(\d+)$/.exec(name);
  if (m && Number(m[1]) <= 0xff) return Number(m[1]);
  throw new GbtEncodeError(`alarm flag "${name}" does not exist in ${version}`);
}

function flagsOf(bits: number, version: Version): string[] {
  const names = FLAG_NAMES[version];
  const out: string[] = [];
  for (let i = 0; bits !== 0 && i < 32; i++) {
    if (bits & (1 << i)) out.push(names[i]);
  }
  return out;
}

function faultList(c: Ctx, name: string, countName: string, max: number): number[] | Special {
  const start = c.p;
  const count = count8(c, countName);
  if (count.special) return count.special;
  if (count.n > max) c.warn(start, countName, `${countName} ${count.n} exceeds ${max}`);
  return readDwordList(c, count.n, name);
}

/** Where the fast alarm reader is: the next byte to read (module state, no object per list). */
let fastAt = 0;

/** faultList from fastAt; undefined where it would warn or run past `end`. */
function fastFaultList(b: Uint8Array, end: number, max: number): number[] | Special | undefined {
  let p = fastAt;
  if (p >= end) return undefined;
  const n = b[p++];
  if (n >= 0xfe) {
    fastAt = p;
    return n === 0xfe ? 'abnormal' : 'invalid';
  }
  if (n > max || p + 4 * n > end) return undefined;
  const out: number[] = [];
  for (let i = 0; i < n; i++, p += 4) out.push(be32(b, p));
  fastAt = p;
  return out;
}

/**
 * readRealtimeItems' path without a tracer: the item alarmCodec.decode gives, or undefined
 * (nothing consumed) where that reader would warn or run past the data unit.
 */
export function readAlarmFast(c: Ctx, p: number, typeId: number): AlarmItem | undefined {
  const b = c.b;
  const end = c.end;
  if (p + 5 > end) return undefined;
  const v2025 = c.version === 2025;
  FAST.bad = false;
  const maxLevel = f8(b[p], 1, 0, v2025 ? 4 : 3);
  const flagBits = be32(b, p + 1);
  const flags = flagBits === 0 ? [] : flagsOf(flagBits, c.version);
  const maxCount = v2025 ? 253 : 252;
  fastAt = p + 5;
  const batteryFaults = fastFaultList(b, end, maxCount);
  if (batteryFaults === undefined) return undefined;
  const motorFaults = fastFaultList(b, end, maxCount);
  if (motorFaults === undefined) return undefined;
  const engineFaults = fastFaultList(b, end, maxCount);
  if (engineFaults === undefined) return undefined;
  const otherFaults = fastFaultList(b, end, maxCount);
  if (otherFaults === undefined) return undefined;
  const type = 'alarm';
  const id = typeId as 0x06 | 0x07;
  if (!v2025) {
    if (FAST.bad) return undefined;
    c.p = fastAt;
    return { type, typeId: id, maxLevel, flags, flagBits, batteryFaults, motorFaults, engineFaults, otherFaults };
  }
  // N5 × {bit, level} (§9.6), as readFlagLevels.
  let q = fastAt;
  if (q >= end) return undefined;
  const n = b[q++];
  let flagLevels: FlagLevel[] | Special;
  if (n >= 0xfe) flagLevels = n === 0xfe ? 'abnormal' : 'invalid';
  else {
    if (q + 2 * n > end) return undefined;
    const names = FLAG_NAMES[2025];
    flagLevels = [];
    for (let i = 0; i < n; i++, q += 2) {
      const bit = b[q];
      if (bit >= DEFINED_BITS[2025]) return undefined;
      flagLevels.push({ flag: names[bit], bit, level: f8(b[q + 1], 1, 0, 4) });
    }
  }
  if (FAST.bad) return undefined;
  c.p = q;
  return { type, typeId: id, maxLevel, flags, flagBits, batteryFaults, motorFaults, engineFaults, otherFaults, flagLevels };
}

export const alarmCodec: ItemCodec<AlarmItem> = {
  decode(c: Ctx, typeId: number): AlarmItem {
    const v2025 = c.version === 2025;
    // Level 0–3 (2016, §8.7); 0–4 with 4 = thermal-event fault (2025, §9.6); FE/FF.
    const maxLevel = n8(c, 'maxLevel', 1, 0, v2025 ? 4 : 3);
    const start = c.p;
    const flagBits = c.u32('flagBits');
    // `flags` lists the set bits; the raw DWORD is kept in `flagBits` (no special codes, §10.3).
    const flags = flagBits === 0 ? [] : flagsOf(flagBits >>> 0, c.version);
    if (c.trace) c.trace.field('flagBits', start, c.p, flags);
    // Counts 0–252 (2016, §8.7) / 0–253 (2025, §9.6).
    const maxCount = v2025 ? 253 : 252;
    const batteryFaults = faultList(c, 'batteryFaults', 'batteryFaultCount', maxCount);
    const motorFaults = faultList(c, 'motorFaults', 'motorFaultCount', maxCount);
    const engineFaults = faultList(c, 'engineFaults', 'engineFaultCount', maxCount);
    const otherFaults = faultList(c, 'otherFaults', 'otherFaultCount', maxCount);
    const type = 'alarm';
    const id = typeId as 0x06 | 0x07;
    // One literal per edition (same key order as adding flagLevels afterwards).
    if (!v2025) return { type, typeId: id, maxLevel, flags, flagBits, batteryFaults, motorFaults, engineFaults, otherFaults };
    const flagLevels = readFlagLevels(c);
    return { type, typeId: id, maxLevel, flags, flagBits, batteryFaults, motorFaults, engineFaults, otherFaults, flagLevels };
  },

  encode(w: Writer, it: AlarmItem, version: Version): void {
    w8(w, it.maxLevel, 'maxLevel');
    // The raw DWORD and the names are merged, so either one may be set on a hand-built item.
    let bits = it.flagBits ?? 0;
    if (!Number.isInteger(bits) || bits < 0 || bits > 0xffffffff) throw new GbtEncodeError(`flagBits: ${bits} is not a DWORD`);
    for (const name of it.flags ?? []) {
      const bit = flagBit(name, version);
      if (bit > 31) throw new GbtEncodeError(`alarm flag "${name}" is beyond bit 31`);
      bits = (bits | (1 << bit)) >>> 0;
    }
    w.u32(bits);
    writeFaults(w, it.batteryFaults, 'batteryFaults');
    writeFaults(w, it.motorFaults, 'motorFaults');
    writeFaults(w, it.engineFaults, 'engineFaults');
    writeFaults(w, it.otherFaults, 'otherFaults');
    if (version === 2025) {
      const fl = it.flagLevels ?? [];
      wCount8(w, listLength(fl), typeof fl === 'string' ? fl : undefined, 'flagLevelCount');
      if (typeof fl === 'string') return;
      for (const e of fl) {
        const bit = typeof e.bit === 'number' ? e.bit : flagBit(e.flag, version);
        if (!Number.isInteger(bit) || bit < 0 || bit > 0xff) throw new GbtEncodeError(`flagLevels: bit ${bit} is not a byte`);
        w.u8(bit);
        w8(w, e.level, 'flagLevels.level');
      }
    } else if (it.flagLevels !== undefined && listLength(it.flagLevels) > 0) {
      throw new GbtEncodeError('flagLevels exist only in 2025 alarm items');
    }
  },
};

/** 2025 N5 BYTE (0–253) + N5 × {general-flag bit index BYTE, level BYTE} (§9.6). */
function readFlagLevels(c: Ctx): FlagLevel[] | Special {
  const count = count8(c, 'flagLevelCount');
  if (count.special) return count.special;
  const out: FlagLevel[] = [];
  for (let i = 0; i < count.n; i++) {
    const start = c.p;
    const bit = c.u8('flagLevels.bit');
    const flag = flagName(bit, c.version);
    if (c.trace) c.trace.field(`flagLevels[${i}].bit`, start, c.p, flag);
    if (bit >= DEFINED_BITS[2025]) c.warn(start, `flagLevels[${i}].bit`, `flag bit ${bit} is reserved`);
    const level = n8(c, 'flagLevels.level', 1, 0, 4);
    out.push({ flag, bit, level });
  }
  return out;
}

function writeFaults(w: Writer, list: number[] | Special, what: string): void {
  if (typeof list === 'string') return wCount8(w, 0, list, what);
  wCount8(w, list.length, undefined, what);
  writeDwordList(w, list, what);
}
