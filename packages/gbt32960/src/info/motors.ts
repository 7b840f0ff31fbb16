// Drive motors (type 0x02, both editions). 2016: count BYTE + 12 bytes per motor (spec §8.2);
// 2025: count BYTE + 10 bytes per motor, speed offset −32000 rpm, torque DWORD, no U/I (§9.2).
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import type { DriveMotor, DriveMotorsItem, Version } from '../model.js';
import { FAST, be16, be32, count8, e8, f8, f16, f32, fe8, n8, n16, n32, u8f, w8, w16, w32, wCount8, we8, wInt } from '../values.js';
import { TEMP_OFFSET, scopeWarnings, warningCount } from './arrays.js';
import type { ItemCodec } from './registry.js';

/** Motor state (§8.2): 01 consuming power, 02 generating, 03 off, 04 ready; FE/FF. */
export const MOTOR_STATES = [undefined, 'consuming', 'generating', 'off', 'ready'] as const;

/** 2016 speed: 1 rpm, raw offset 20000 (§8.2). */
const SPEED_OFFSET_2016 = 20000;
/** 2016 torque: 0.1 N·m, raw offset 20000 (= −2000.0 N·m) (§8.2). */
const TORQUE_OFFSET_2016 = 20000;
/** 2016 controller DC-bus current: 0.1 A, raw offset 10000 (= −1000 A) (§8.2). */
const CURRENT_OFFSET_2016 = 10000;
/** 2025 speed: 1 rpm, raw offset 32000 (§9.2). */
const SPEED_OFFSET_2025 = 32000;
/** 2025 torque: DWORD 0.1 N·m, raw offset 200000 (= −20000.0 N·m) (§9.2). */
const TORQUE_OFFSET_2025 = 200000;

function readMotor2016(c: Ctx): DriveMotor {
  // Motor serial has no abnormal/invalid codes in 2016 (§8.2 "—"): kept as the raw byte.
  const seq = u8f(c, 'seq');
  const state = e8(c, 'state', MOTOR_STATES);
  const controllerTempC = n8(c, 'controllerTempC', 1, TEMP_OFFSET, 250);
  const speedRpm = n16(c, 'speedRpm', 1, SPEED_OFFSET_2016);
  const torqueNm = n16(c, 'torqueNm', 10, TORQUE_OFFSET_2016);
  const tempC = n8(c, 'tempC', 1, TEMP_OFFSET, 250);
  const controllerVoltageV = n16(c, 'controllerVoltageV', 10, 0, 60000);
  const controllerCurrentA = n16(c, 'controllerCurrentA', 10, CURRENT_OFFSET_2016, 20000);
  return { seq, state, controllerTempC, speedRpm, torqueNm, tempC, controllerVoltageV, controllerCurrentA };
}

function readMotor2025(c: Ctx): DriveMotor {
  const seq = n8(c, 'seq', 1, 0, 253);
  const state = e8(c, 'state', MOTOR_STATES);
  const controllerTempC = n8(c, 'controllerTempC', 1, TEMP_OFFSET, 250);
  const speedRpm = n16(c, 'speedRpm', 1, SPEED_OFFSET_2025);
  const torqueNm = n32(c, 'torqueNm', 10, TORQUE_OFFSET_2025, 400000);
  const tempC = n8(c, 'tempC', 1, TEMP_OFFSET, 250);
  return { seq, state, controllerTempC, speedRpm, torqueNm, tempC };
}

/**
 * readRealtimeItems' path without a tracer: the item driveMotorsCodec.decode gives, or undefined
 * (nothing consumed) for a special count, a value that reader would warn about, or too few bytes.
 */
export function readDriveMotorsFast(c: Ctx, p: number): DriveMotorsItem | undefined {
  const b = c.b;
  if (p >= c.end) return undefined;
  const n = b[p];
  const v2016 = c.version === 2016;
  const next = p + 1 + n * (v2016 ? 12 : 10);
  if (n >= 0xfe || next > c.end) return undefined;
  FAST.bad = false;
  const motors = new Array<DriveMotor>(n);
  let q = p + 1;
  for (let i = 0; i < n; i++) {
    if (v2016) {
      motors[i] = {
        seq: b[q],
        state: fe8(b[q + 1], MOTOR_STATES),
        controllerTempC: f8(b[q + 2], 1, TEMP_OFFSET, 250),
        speedRpm: f16(be16(b, q + 3), 1, SPEED_OFFSET_2016, 65531),
        torqueNm: f16(be16(b, q + 5), 10, TORQUE_OFFSET_2016, 65531),
        tempC: f8(b[q + 7], 1, TEMP_OFFSET, 250),
        controllerVoltageV: f16(be16(b, q + 8), 10, 0, 60000),
        controllerCurrentA: f16(be16(b, q + 10), 10, CURRENT_OFFSET_2016, 20000),
      };
      q += 12;
    } else {
      motors[i] = {
        seq: f8(b[q], 1, 0, 253),
        state: fe8(b[q + 1], MOTOR_STATES),
        controllerTempC: f8(b[q + 2], 1, TEMP_OFFSET, 250),
        speedRpm: f16(be16(b, q + 3), 1, SPEED_OFFSET_2025, 65531),
        torqueNm: f32(be32(b, q + 5), 10, TORQUE_OFFSET_2025, 400000),
        tempC: f8(b[q + 9], 1, TEMP_OFFSET, 250),
      };
      q += 10;
    }
  }
  if (FAST.bad) return undefined;
  c.p = next;
  return { type: 'driveMotors', typeId: 0x02, motors };
}

export const driveMotorsCodec: ItemCodec<DriveMotorsItem> = {
  decode(c: Ctx): DriveMotorsItem {
    const count = count8(c, 'motorCount');
    // Pre-sized to the count (a pushed-to [] reserves 17 slots). Special counts leave it empty.
    const motors: DriveMotor[] = count.special ? [] : new Array<DriveMotor>(count.n);
    const item: DriveMotorsItem = { type: 'driveMotors', typeId: 0x02, motors };
    if (count.special) {
      item.motorCount = count.special;
      return item;
    }
    const read = c.version === 2016 ? readMotor2016 : readMotor2025;
    for (let i = 0; i < count.n; i++) {
      const before = warningCount(c);
      if (c.trace) c.trace.enter(`motors[${i}]`);
      motors[i] = read(c);
      if (c.trace) c.trace.leave();
      if (warningCount(c) > before) scopeWarnings(c, before, `motors[${i}]`);
    }
    return item;
  },

  encode(w: Writer, it: DriveMotorsItem, version: Version): void {
    wCount8(w, it.motors.length, it.motorCount, 'motorCount');
    if (it.motorCount) return;
    for (const m of it.motors) {
      if (version === 2016) {
        if (typeof m.seq !== 'number') w8(w, m.seq, 'seq');
        else wInt(w, m.seq, 1, 'seq');
      } else w8(w, m.seq, 'seq');
      we8(w, m.state, MOTOR_STATES, 'state');
      w8(w, m.controllerTempC, 'controllerTempC', 1, TEMP_OFFSET);
      if (version === 2016) {
        w16(w, m.speedRpm, 'speedRpm', 1, SPEED_OFFSET_2016);
        w16(w, m.torqueNm, 'torqueNm', 10, TORQUE_OFFSET_2016);
        w8(w, m.tempC, 'tempC', 1, TEMP_OFFSET);
        w16(w, m.controllerVoltageV ?? 'invalid', 'controllerVoltageV', 10);
        w16(w, m.controllerCurrentA ?? 'invalid', 'controllerCurrentA', 10, CURRENT_OFFSET_2016);
      } else {
        w16(w, m.speedRpm, 'speedRpm', 1, SPEED_OFFSET_2025);
        w32(w, m.torqueNm, 'torqueNm', 10, TORQUE_OFFSET_2025);
        w8(w, m.tempC, 'tempC', 1, TEMP_OFFSET);
      }
    }
  },
};
