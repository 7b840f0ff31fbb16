// Vehicle position (type 0x05). 2016: status BYTE, longitude DWORD, latitude DWORD (9 bytes,
// spec §8.5); 2025 adds a coordinate-system BYTE after the status (10 bytes, §9.5). Coordinates
// are |degrees|·10⁶ with the hemisphere in the status bits (§10.2); no abnormal/invalid codes.
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import { GbtEncodeError } from '../errors.js';
import type { PositionItem, Version } from '../model.js';
import { FAST, be32, e8, fe8, we8 } from '../values.js';
import type { ItemCodec } from './registry.js';

/** §10.2: bit 0 = 1 invalid fix, bit 1 = 1 south, bit 2 = 1 west. */
const INVALID_BIT = 0x01;
const SOUTH_BIT = 0x02;
const WEST_BIT = 0x04;
const MICRODEGREES = 1_000_000;

/** 2025 coordinate system (§9.5): 01 WGS-84, 02 GCJ-02, 03 other; FE/FF. */
export const COORDINATE_SYSTEMS = [undefined, 'wgs84', 'gcj02', 'other'] as const;

function coordinate(c: Ctx, name: string, negative: boolean, maxDegrees: number): number {
  const start = c.p;
  const raw = c.u32(name);
  const abs = raw / MICRODEGREES;
  // Zero stays +0 whatever the hemisphere bit says (the bit is kept in `status`).
  const v = negative && raw !== 0 ? -abs : abs;
  if (raw > maxDegrees * MICRODEGREES) c.warn(start, name, `${name} ${abs}° exceeds ${maxDegrees}°`);
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
}

/** `coordinate` on a raw DWORD; sets FAST.bad where it would warn. */
function fastCoordinate(raw: number, negative: boolean, maxDegrees: number): number {
  const abs = raw / MICRODEGREES;
  if (raw > maxDegrees * MICRODEGREES) FAST.bad = true;
  return negative && raw !== 0 ? -abs : abs;
}

/**
 * readRealtimeItems' path without a tracer: the item positionCodec.decode gives, or undefined
 * (nothing consumed) where that reader would warn or run past the data unit.
 */
export function readPositionFast(c: Ctx, p: number): PositionItem | undefined {
  const v2025 = c.version === 2025;
  const next = p + (v2025 ? 10 : 9);
  if (next > c.end) return undefined;
  const b = c.b;
  FAST.bad = false;
  const status = b[p];
  const valid = (status & INVALID_BIT) === 0;
  const at = v2025 ? p + 2 : p + 1;
  const longitude = fastCoordinate(be32(b, at), (status & WEST_BIT) !== 0, 180);
  const latitude = fastCoordinate(be32(b, at + 4), (status & SOUTH_BIT) !== 0, 90);
  if (!v2025) {
    if (FAST.bad) return undefined;
    c.p = next;
    return { type: 'position', typeId: 0x05, valid, longitude, latitude, status };
  }
  const coordinateSystem = fe8(b[p + 1], COORDINATE_SYSTEMS);
  if (FAST.bad) return undefined;
  c.p = next;
  return { type: 'position', typeId: 0x05, valid, longitude, latitude, status, coordinateSystem };
}

export const positionCodec: ItemCodec<PositionItem> = {
  decode(c: Ctx): PositionItem {
    const start = c.p;
    const status = c.u8('status');
    const valid = (status & INVALID_BIT) === 0;
    if (c.trace) c.trace.field('status', start, c.p, { valid, south: (status & SOUTH_BIT) !== 0, west: (status & WEST_BIT) !== 0 });
    const coordinateSystem = c.version === 2025 ? e8(c, 'coordinateSystem', COORDINATE_SYSTEMS) : undefined;
    const longitude = coordinate(c, 'longitude', (status & WEST_BIT) !== 0, 180);
    const latitude = coordinate(c, 'latitude', (status & SOUTH_BIT) !== 0, 90);
    // One literal per edition (same key order as adding coordinateSystem afterwards).
    return coordinateSystem === undefined
      ? { type: 'position', typeId: 0x05, valid, longitude, latitude, status }
      : { type: 'position', typeId: 0x05, valid, longitude, latitude, status, coordinateSystem };
  },

  encode(w: Writer, it: PositionItem, version: Version): void {
    // The raw status is the base (reserved bits round-trip); validity and the hemisphere of a
    // non-zero coordinate come from the model, so a hand-built item needs no status arithmetic.
    let status = (it.status ?? 0) & ~INVALID_BIT;
    if (!it.valid) status |= INVALID_BIT;
    if (it.longitude !== 0) status = it.longitude < 0 ? status | WEST_BIT : status & ~WEST_BIT;
    if (it.latitude !== 0) status = it.latitude < 0 ? status | SOUTH_BIT : status & ~SOUTH_BIT;
    w.u8(status & 0xff);
    if (version === 2025) we8(w, it.coordinateSystem ?? 'invalid', COORDINATE_SYSTEMS, 'coordinateSystem');
    w.u32(microdegrees(it.longitude, 'longitude'));
    w.u32(microdegrees(it.latitude, 'latitude'));
  },
};

function microdegrees(v: number, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new GbtEncodeError(`${what}: not a number (${String(v)})`);
  const raw = Math.round(Math.abs(v) * MICRODEGREES);
  if (raw > 0xffffffff) throw new GbtEncodeError(`${what}: ${v} does not fit a DWORD of microdegrees`);
  return raw;
}
