// Session commands: vehicle login/logout (spec §6.1–6.2), platform login/logout (§6.3–6.4),
// heartbeat and time calibration (§6.5).
import type { Ctx } from '../context.js';
import { DecodeFailure, GbtEncodeError } from '../errors.js';
import {
  ENCRYPTION_IDS,
  type EmptyBody,
  type EncryptionName,
  type PlatformLoginBody,
  type SerialBody,
  type Version,
  type VehicleLogin2025Body,
  type VehicleLoginBody,
} from '../model.js';
import { readText, writeText } from '../strings.js';
import { count8, n8, u16f, w8, wCount8, wInt } from '../values.js';
import type { CommandCodec } from './registry.js';

/** Serial numbers: 1…65531, +1 per login, reset daily (§6.1). */
function serial(c: Ctx): number {
  const start = c.p;
  const v = u16f(c, 'serial');
  if (v < 1 || v > 65531) c.warn(start, 'serial', `serial ${v} is outside 1…65531`);
  return v;
}

function checkEnd(c: Ctx, what: string): void {
  if (c.p !== c.end) {
    throw new DecodeFailure('GBT_ERR_BODY_LENGTH', c.p, `${what}: ${c.end - c.p} byte(s) after the end of the data unit`);
  }
}

const ICCID_BYTES = 20;
/** 2025 pack codes are fixed 24-character GB/T 34014 codes (§6.1). */
const PACK_CODE_2025 = 24;

export const vehicleLoginCodec: CommandCodec<VehicleLoginBody | VehicleLogin2025Body> = {
  hasTime: true,
  decode(c) {
    const s = serial(c);
    const iccid = readText(c, ICCID_BYTES, 'iccid');
    if (c.version === 2016) {
      const packCount = n8(c, 'packCount', 1, 0, 250);
      const packCodeLength = n8(c, 'packCodeLength', 1, 0, 50);
      const n = typeof packCount === 'number' ? packCount : 0;
      const m = typeof packCodeLength === 'number' ? packCodeLength : 0;
      const packCodes: string[] = [];
      if (m > 0) for (let i = 0; i < n; i++) packCodes.push(readText(c, m, `packCodes[${i}]`));
      checkEnd(c, 'vehicle login');
      return { serial: s, iccid, packCount, packCodeLength, packCodes };
    }
    const bms = count8(c, 'bmsCount');
    const perBms: number[] = [];
    for (let i = 0; i < bms.n; i++) perBms.push(c.u8(`packsPerBms[${i}]`));
    const packCodes: string[][] = perBms.map((m, i) => {
      const codes: string[] = [];
      for (let j = 0; j < m; j++) codes.push(readText(c, PACK_CODE_2025, `packCodes[${i}][${j}]`));
      return codes;
    });
    checkEnd(c, 'vehicle login');
    return { serial: s, iccid, bmsCount: bms.special ?? bms.n, packCodes };
  },
  encode(w, body, version) {
    wInt(w, body.serial, 2, 'serial');
    writeText(w, body.iccid, ICCID_BYTES, 'iccid');
    if (version === 2016) {
      const b = body as VehicleLoginBody;
      w8(w, b.packCount, 'packCount');
      w8(w, b.packCodeLength, 'packCodeLength');
      const m = typeof b.packCodeLength === 'number' ? b.packCodeLength : 0;
      for (const code of b.packCodes) writeText(w, code, m, 'packCode');
      return;
    }
    const b = body as VehicleLogin2025Body;
    if (typeof b.bmsCount !== 'number') wCount8(w, 0, b.bmsCount, 'bmsCount');
    else {
      if (b.bmsCount !== b.packCodes.length) throw new GbtEncodeError('bmsCount disagrees with packCodes');
      wCount8(w, b.packCodes.length, undefined, 'bmsCount');
    }
    for (const codes of b.packCodes) wInt(w, codes.length, 1, 'packsPerBms');
    for (const codes of b.packCodes) for (const code of codes) writeText(w, code, PACK_CODE_2025, 'packCode');
  },
};

/** Vehicle logout (0x04) and platform logout (0x06): time + serial of the login (§6.2, §6.4). */
export const serialCodec: CommandCodec<SerialBody> = {
  hasTime: true,
  decode(c) {
    const s = serial(c);
    checkEnd(c, 'logout');
    return { serial: s };
  },
  encode(w, body) {
    wInt(w, body.serial, 2, 'serial');
  },
};

const ENCRYPTION_NAMES = new Map<number, EncryptionName>(
  Object.entries(ENCRYPTION_IDS).map(([k, v]) => [v, k as EncryptionName]),
);
/** Byte → name, an array read once per frame on the decode path (like COMMAND_NAMES). */
const ENCRYPTION_BY_BYTE: EncryptionName[] = Array.from({ length: 256 }, (_, i) => ENCRYPTION_NAMES.get(i) ?? 'unknown');

export function encryptionName(id: number): EncryptionName {
  return (id & 0xff) === id ? ENCRYPTION_BY_BYTE[id] : (ENCRYPTION_NAMES.get(id) ?? 'unknown');
}
export function encryptionId(name: EncryptionName, raw: number | undefined, what: string): number {
  if (name === 'unknown') {
    if (raw === undefined) throw new GbtEncodeError(`${what}: "unknown" needs its raw id`);
    return raw;
  }
  const id = ENCRYPTION_IDS[name];
  if (id === undefined) throw new GbtEncodeError(`${what}: unknown encryption "${String(name)}"`);
  return raw !== undefined && encryptionName(raw) === name ? raw : id;
}

/** Platform login (0x05), L = 41: time, serial, username 12, password 20, encryption rule (§6.3). */
export const platformLoginCodec: CommandCodec<PlatformLoginBody> = {
  hasTime: true,
  decode(c) {
    const s = serial(c);
    const username = readText(c, 12, 'username');
    const password = readText(c, 20, 'password');
    const ruleStart = c.p;
    const encryptionRuleId = c.u8('encryptionRule');
    const encryptionRule = encryptionName(encryptionRuleId);
    if (c.trace) c.trace.field('encryptionRule', ruleStart, c.p, encryptionRule);
    checkEnd(c, 'platform login');
    return { serial: s, username, password, encryptionRule, encryptionRuleId };
  },
  encode(w, body) {
    wInt(w, body.serial, 2, 'serial');
    writeText(w, body.username, 12, 'username');
    writeText(w, body.password, 20, 'password');
    w.u8(encryptionId(body.encryptionRule, body.encryptionRuleId, 'encryptionRule'));
  },
};

/** Heartbeat (0x07) and time calibration (0x08) requests: empty data unit (§6.5). */
export const emptyCodec: CommandCodec<EmptyBody> = {
  hasTime: false,
  decode(c) {
    if (c.p !== c.end) {
      if (!c.lenient.has('payloadOnEmptyCommand')) {
        throw new DecodeFailure('GBT_ERR_BODY_LENGTH', c.p, `this command has an empty data unit, got ${c.end - c.p} byte(s)`);
      }
      c.usedQuirk('payloadOnEmptyCommand');
      c.p = c.end;
    }
    return {};
  },
  encode() {},
};

export function isVersion(v: unknown): v is Version {
  return v === 2016 || v === 2025;
}
