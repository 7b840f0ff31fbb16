// Whole-vehicle data (type 0x01). 2016: 20 bytes (Table 9 + Annex B Table B.4 pedals);
// 2025: 18 bytes, no pedals, wider ranges, current offset −3000 A (spec §8.1, §9.1).
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import { GbtEncodeError } from '../errors.js';
import type { Gear, VehicleItem, Version } from '../model.js';
import { FAST, be16, be32, e8, f8, f16, f32, fe8, n8, n16, n32, w8, w16, w32, we8 } from '../values.js';
import type { ItemCodec } from './registry.js';

export const VEHICLE_STATES = [undefined, 'started', 'off', 'other'] as const;
export const CHARGING_STATES = [
  undefined,
  'parkedCharging',
  'drivingCharging',
  'notCharging',
  'chargeComplete',
] as const;
export const OPERATING_MODES = [undefined, 'electric', 'hybrid', 'fuel'] as const;
export const ON_OFF = [undefined, 'working', 'off'] as const;

/** Gear bits 3..0 (Annex A.1): 0 N, 1–12 gears (rtm_con maps the elided 7–12), 13 R, 14 D, 15 P. */
const GEAR_NAMES = ['N', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', 'R', 'D', 'P'] as const;

/** Brake byte 0x65 (101) = brake on without a travel value (Annex B Table B.4). */
const BRAKE_ON = 101;

export function decodeGear(raw: number, version: Version): Gear {
  const gear: Gear = {
    gear: GEAR_NAMES[raw & 0x0f],
    driving: (raw & 0x20) !== 0,
    braking: (raw & 0x10) !== 0,
    // 2025: bit 7 = 1 means the gear value is invalid; 2016: bits 7..6 reserved.
    valid: version === 2016 ? true : (raw & 0x80) === 0,
  };
  const reserved = raw & (version === 2016 ? 0xc0 : 0x40);
  if (reserved) gear.reservedBits = reserved;
  return gear;
}

export function encodeGear(g: Gear, version: Version): number {
  const i = GEAR_NAMES.indexOf(g.gear as (typeof GEAR_NAMES)[number]);
  if (i < 0) throw new GbtEncodeError(`gear: unknown gear "${g.gear}"`);
  let raw = i | (g.braking ? 0x10 : 0) | (g.driving ? 0x20 : 0) | (g.reservedBits ?? 0);
  if (version === 2025 && !g.valid) raw |= 0x80;
  return raw & 0xff;
}

/**
 * readRealtimeItems' path without a tracer: the item vehicleCodec.decode gives, read straight from
 * the bytes after the type code at p; undefined (nothing consumed) where that reader would warn or
 * run past the data unit, and the caller then uses vehicleCodec.decode.
 */
export function readVehicleFast(c: Ctx, p: number): VehicleItem | undefined {
  const v2025 = c.version === 2025;
  const next = p + (v2025 ? 18 : 20);
  if (next > c.end) return undefined;
  const b = c.b;
  FAST.bad = false;
  const vehicleState = fe8(b[p], VEHICLE_STATES);
  const chargingState = fe8(b[p + 1], CHARGING_STATES);
  const operatingMode = fe8(b[p + 2], OPERATING_MODES);
  const speedKmh = f16(be16(b, p + 3), 10, 0, v2025 ? 5000 : 2200);
  const odometerKm = f32(be32(b, p + 5), 10, 0, 9_999_999);
  const totalVoltageV = f16(be16(b, p + 9), 10, 0, v2025 ? 60000 : 10000);
  const totalCurrentA = v2025 ? f16(be16(b, p + 11), 10, 30000, 60000) : f16(be16(b, p + 11), 10, 10000, 20000);
  const socPct = f8(b[p + 13], 1, 0, 100);
  const dcdcState = fe8(b[p + 14], ON_OFF);
  const gear = decodeGear(b[p + 15], c.version);
  if (v2025) {
    const insulationKOhm = f16(be16(b, p + 16), 1, 0, 60000);
    if (FAST.bad) return undefined;
    c.p = next;
    return {
      type: 'vehicle',
      typeId: 0x01,
      vehicleState,
      chargingState,
      operatingMode,
      speedKmh,
      odometerKm,
      totalVoltageV,
      totalCurrentA,
      socPct,
      dcdcState,
      gear,
      insulationKOhm,
    };
  }
  const insulationKOhm = be16(b, p + 16);
  const acceleratorPct = f8(b[p + 18], 1, 0, 100);
  const raw = b[p + 19];
  const brakePct = raw === BRAKE_ON ? 'on' : raw === 0xfe ? 'abnormal' : raw === 0xff ? 'invalid' : raw;
  if (FAST.bad || insulationKOhm > 60000 || (raw > 100 && raw < 0xfe && raw !== BRAKE_ON)) return undefined;
  c.p = next;
  return {
    type: 'vehicle',
    typeId: 0x01,
    vehicleState,
    chargingState,
    operatingMode,
    speedKmh,
    odometerKm,
    totalVoltageV,
    totalCurrentA,
    socPct,
    dcdcState,
    gear,
    insulationKOhm,
    acceleratorPct,
    brakePct,
  };
}

export const vehicleCodec: ItemCodec<VehicleItem> = {
  decode(c: Ctx): VehicleItem {
    const v2025 = c.version === 2025;
    const vehicleState = e8(c, 'vehicleState', VEHICLE_STATES);
    const chargingState = e8(c, 'chargingState', CHARGING_STATES);
    const operatingMode = e8(c, 'operatingMode', OPERATING_MODES);
    const speedKmh = n16(c, 'speedKmh', 10, 0, v2025 ? 5000 : 2200);
    const odometerKm = n32(c, 'odometerKm', 10, 0, 9_999_999);
    const totalVoltageV = n16(c, 'totalVoltageV', 10, 0, v2025 ? 60000 : 10000);
    const totalCurrentA = v2025 ? n16(c, 'totalCurrentA', 10, 30000, 60000) : n16(c, 'totalCurrentA', 10, 10000, 20000);
    const socPct = n8(c, 'socPct', 1, 0, 100);
    const dcdcState = e8(c, 'dcdcState', ON_OFF);
    const gearStart = c.p;
    const gearRaw = c.u8('gear');
    const gear = decodeGear(gearRaw, c.version);
    if (c.trace) c.trace.field('gear', gearStart, c.p, gear);
    // 2016 insulation has no abnormal/invalid codes (Table 9); 2025 adds FFFE/FFFF.
    let insulationKOhm;
    if (v2025) insulationKOhm = n16(c, 'insulationKOhm', 1, 0, 60000);
    else {
      const start = c.p;
      insulationKOhm = c.u16('insulationKOhm');
      if (insulationKOhm > 60000) c.warn(start, 'insulationKOhm', `insulationKOhm ${insulationKOhm} exceeds 60000`);
      if (c.trace) c.trace.field('insulationKOhm', start, c.p, insulationKOhm);
    }
    if (v2025) {
      return {
        type: 'vehicle',
        typeId: 0x01,
        vehicleState,
        chargingState,
        operatingMode,
        speedKmh,
        odometerKm,
        totalVoltageV,
        totalCurrentA,
        socPct,
        dcdcState,
        gear,
        insulationKOhm,
      };
    }
    // 2016 pedals (Annex B Table B.4) are read first and the item built in one literal, in the
    // same key order as before: no properties added to a finished object.
    const acceleratorPct = n8(c, 'acceleratorPct', 1, 0, 100);
    const start = c.p;
    const raw = c.u8('brakePct');
    const brakePct = raw === BRAKE_ON ? 'on' : raw === 0xfe ? 'abnormal' : raw === 0xff ? 'invalid' : raw;
    if (typeof brakePct === 'number' && brakePct > 100) c.warn(start, 'brakePct', `brakePct ${brakePct} exceeds 101`);
    if (c.trace) c.trace.field('brakePct', start, c.p, brakePct);
    return {
      type: 'vehicle',
      typeId: 0x01,
      vehicleState,
      chargingState,
      operatingMode,
      speedKmh,
      odometerKm,
      totalVoltageV,
      totalCurrentA,
      socPct,
      dcdcState,
      gear,
      insulationKOhm,
      acceleratorPct,
      brakePct,
    };
  },

  encode(w: Writer, it: VehicleItem, version: Version): void {
    const v2025 = version === 2025;
    we8(w, it.vehicleState, VEHICLE_STATES, 'vehicleState');
    we8(w, it.chargingState, CHARGING_STATES, 'chargingState');
    we8(w, it.operatingMode, OPERATING_MODES, 'operatingMode');
    w16(w, it.speedKmh, 'speedKmh', 10);
    w32(w, it.odometerKm, 'odometerKm', 10);
    w16(w, it.totalVoltageV, 'totalVoltageV', 10);
    w16(w, it.totalCurrentA, 'totalCurrentA', 10, v2025 ? 30000 : 10000);
    w8(w, it.socPct, 'socPct');
    we8(w, it.dcdcState, ON_OFF, 'dcdcState');
    w.u8(encodeGear(it.gear, version));
    w16(w, it.insulationKOhm, 'insulationKOhm');
    if (!v2025) {
      w8(w, it.acceleratorPct ?? 'invalid', 'acceleratorPct');
      const b = it.brakePct ?? 'invalid';
      if (b === 'on') w.u8(BRAKE_ON);
      else w8(w, b, 'brakePct');
    }
  },
};
