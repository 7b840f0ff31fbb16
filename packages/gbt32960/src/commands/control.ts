// Terminal control (0x82), Annex B (spec §11.4): time, command ID, command parameters.
// Remote upgrade (0x01) parameters: the standard contradicts itself on the field order (Table
// B.11 sentence: URL first; Table B.12 data table: URL 9th, address/port/deadline binary). We send
// the table order with binary fields (as EMQX does) and read positionally, falling back to the
// all-text URL-first form when the first field starts with a URL scheme (spec §16 point 6).
import type { Writer } from '../bytes.js';
import { toHex, fromHex } from '../bytes.js';
import type { Ctx } from '../context.js';
import { GbtEncodeError } from '../errors.js';
import type { AlarmControlParams, TerminalControlBody, UpgradeParams } from '../model.js';
import { bytesToText, textToBytes } from '../strings.js';
import { u8f } from '../values.js';
import type { CommandCodec } from './registry.js';

export const CONTROLS: Record<number, string> = {
  0x01: 'remoteUpgrade',
  0x02: 'shutdown',
  0x03: 'reset',
  0x04: 'factoryReset',
  0x05: 'disconnect',
  0x06: 'alarm',
  0x07: 'openSamplingLink',
};

export function controlName(id: number): string {
  return CONTROLS[id] ?? (id >= 0x80 && id <= 0xfe ? `user0x${id.toString(16)}` : `reserved0x${id.toString(16)}`);
}

export function controlId(name: string): number | undefined {
  for (const [id, n] of Object.entries(CONTROLS)) if (n === name) return Number(id);
  return undefined;
}

const SEP = 0x3b; // ';'
const ALARM_LEVELS = ['none', 'level1', 'level2', 'level3', 'level4'] as const;

/** Splits the table-order binary form positionally; returns null when the bytes do not fit it. */
function parseUpgradeTable(b: Uint8Array): UpgradeParams | null {
  let p = 0;
  const str = (): string | null => {
    const i = b.indexOf(SEP, p);
    if (i < 0) return null;
    const s = bytesToText(b.subarray(p, i));
    p = i + 1;
    return s;
  };
  const fixed = (n: number): Uint8Array | null => {
    // A field is either empty (just ';') or exactly n bytes followed by ';'.
    if (b[p] === SEP) {
      p++;
      return new Uint8Array(0);
    }
    if (p + n >= b.length || b[p + n] !== SEP) return null;
    const out = b.subarray(p, p + n);
    p += n + 1;
    return out;
  };
  const apn = str();
  const user = str();
  const password = str();
  if (apn === null || user === null || password === null) return null;
  const addr = fixed(6);
  const port = fixed(2);
  const maker = fixed(4);
  const hw = fixed(5);
  const fw = fixed(5);
  if (!addr || !port || !maker || !hw || !fw) return null;
  // The URL runs to the last ';'; the final 2 bytes (or nothing) are the deadline.
  const last = b.lastIndexOf(SEP);
  if (last < p - 1) return null;
  const url = last >= p ? bytesToText(b.subarray(p, last)) : '';
  const tail = last >= p ? b.subarray(last + 1) : b.subarray(p);
  if (tail.length !== 0 && tail.length !== 2) return null;
  let address = '';
  if (addr.length === 6) {
    address =
      addr[0] === 0 && addr[1] === 0 ? `${addr[2]}.${addr[3]}.${addr[4]}.${addr[5]}` : bytesToText(addr);
  }
  return {
    apn,
    user,
    password,
    address,
    port: port.length === 2 ? (port[0] << 8) | port[1] : null,
    manufacturerId: bytesToText(maker),
    hardwareVersion: bytesToText(hw),
    firmwareVersion: bytesToText(fw),
    url,
    deadlineMin: tail.length === 2 ? (tail[0] << 8) | tail[1] : null,
    form: 'table',
  };
}

/** The all-text, URL-first form (JT/T 808 order; SmallChi/JTNewEnergy). */
function parseUpgradeText(b: Uint8Array): UpgradeParams | null {
  const parts = bytesToText(b).split(';');
  if (parts.length < 10) return null;
  const [url, apn, user, password, address, port, maker, hw, fw, deadline] = parts;
  return {
    apn,
    user,
    password,
    address,
    port: port === '' ? null : Number(port),
    manufacturerId: maker,
    hardwareVersion: hw,
    firmwareVersion: fw,
    url,
    deadlineMin: deadline === '' ? null : Number(deadline),
    form: 'urlFirstText',
  };
}

export function parseUpgrade(b: Uint8Array): UpgradeParams | null {
  const head = bytesToText(b.subarray(0, 8)).toLowerCase();
  if (/^(ftp|http|https|sftp):/.test(head)) return parseUpgradeText(b) ?? parseUpgradeTable(b);
  return parseUpgradeTable(b) ?? parseUpgradeText(b);
}

function addressBytes(address: string): Uint8Array {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (m) return Uint8Array.from([0, 0, ...m.slice(1, 5).map(Number)]);
  const b = textToBytes(address, 'upgrade address');
  if (b.length !== 6) throw new GbtEncodeError('upgrade address: an IPv4 address or exactly 6 bytes (BYTE[6], Table B.12)');
  return b;
}

function fixedText(text: string, n: number, what: string): Uint8Array {
  const b = textToBytes(text, what);
  if (b.length !== 0 && b.length !== n) throw new GbtEncodeError(`${what} must be ${n} characters`);
  return b;
}

export function encodeUpgrade(u: UpgradeParams): Uint8Array {
  const parts: Uint8Array[] = [];
  const sep = Uint8Array.of(SEP);
  if (u.form === 'urlFirstText') {
    const text = [u.url, u.apn, u.user, u.password, u.address, u.port ?? '', u.manufacturerId, u.hardwareVersion, u.firmwareVersion, u.deadlineMin ?? ''].join(';');
    return textToBytes(text, 'upgrade');
  }
  const word = (v: number | null): Uint8Array => (v === null ? new Uint8Array(0) : Uint8Array.of(v >> 8, v & 0xff));
  for (const p of [
    textToBytes(u.apn, 'apn'),
    textToBytes(u.user, 'user'),
    textToBytes(u.password, 'password'),
    u.address === '' ? new Uint8Array(0) : addressBytes(u.address),
    word(u.port),
    fixedText(u.manufacturerId, 4, 'manufacturerId'),
    fixedText(u.hardwareVersion, 5, 'hardwareVersion'),
    fixedText(u.firmwareVersion, 5, 'firmwareVersion'),
    textToBytes(u.url, 'url'),
  ]) {
    parts.push(p, sep);
  }
  parts.push(word(u.deadlineMin));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const terminalControlCodec: CommandCodec<TerminalControlBody> = {
  hasTime: true,
  decode(c: Ctx) {
    const id = u8f(c, 'controlId');
    const control = controlName(id);
    const start = c.p;
    const rest = c.b.subarray(c.p, c.end);
    c.p = c.end;
    let params: TerminalControlBody['params'] = {};
    if (id === 0x01 && rest.length > 0) {
      const u = parseUpgrade(rest);
      params = u && reencodes(u, rest) ? u : { hex: toHex(rest) };
    } else if (id === 0x06 && rest.length > 0) {
      const lv = rest[0];
      const level = lv === 0xff ? 'invalid' : lv === 0xfe ? 'abnormal' : (ALARM_LEVELS[lv] ?? lv);
      params = { level, message: bytesToText(rest.subarray(1)) } satisfies AlarmControlParams;
    } else if (rest.length > 0) {
      params = { hex: toHex(rest) };
    }
    if (c.trace && rest.length > 0) c.trace.field('params', start, c.end, params);
    return { controlId: id, control, params };
  },
  encode(w: Writer, body: TerminalControlBody) {
    w.u8(body.controlId);
    const p = body.params;
    if ('hex' in p) {
      const b = fromHex((p).hex);
      if (!b) throw new GbtEncodeError('control params hex is not hex');
      w.bytes(b);
    } else if ('url' in p) {
      w.bytes(encodeUpgrade(p));
    } else if ('level' in p) {
      const lv = p.level;
      w.u8(lv === 'invalid' ? 0xff : lv === 'abnormal' ? 0xfe : typeof lv === 'number' ? lv : ALARM_LEVELS.indexOf(lv));
      w.bytes(textToBytes(p.message, 'alarm message'));
    }
  },
};

/** True when the parsed form writes back the same bytes. Text that decoded to characters with no
 * GB 18030 two-byte code cannot be written back, so it is kept as hex (decodeFrame never throws). */
function reencodes(u: UpgradeParams, rest: Uint8Array): boolean {
  try {
    return equal(encodeUpgrade(u), rest);
  } catch (e) {
    if (e instanceof GbtEncodeError) return false;
    throw e;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
