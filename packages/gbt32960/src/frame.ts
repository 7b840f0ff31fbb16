// Frame envelope (spec §1): start(2) command(1) response(1) VIN(17) encryption(1) length WORD,
// data unit, BCC. decodeFrame never throws on any input; encodeFrame throws GbtEncodeError only for
// a model that has no wire form.
import { Writer, fromHex, toHex, type Tracer } from './bytes.js';
import { bcc } from './bcc.js';
import { Ctx } from './context.js';
import type { KeyProvider } from './crypto.js';
import { DecodeFailure, GbtEncodeError } from './errors.js';
import type { Quirk } from './lenient.js';
import {
  COMMAND_IDS,
  RESPONSE_IDS,
  type Body,
  type CommandName,
  type EncryptionName,
  type Frame,
  type ResponseName,
  type Version,
} from './model.js';
import { bytesToText } from './strings.js';
import { readTime, writeTime } from './time.js';
import { encryptionId, encryptionName } from './commands/session.js';
import { COMMANDS } from './commands/table.js';
import type { CommandCodec } from './commands/registry.js';
import { activationResponseCodec } from './commands/activation.js';
import { paramReplyCodec } from './commands/params.js';

export const START_2016 = 0x23; // "##"
export const START_2025 = 0x24; // "$$"
export const HEADER_LENGTH = 24;
/** Total frame length = 25 + L (spec §1). */
export const FRAME_OVERHEAD = 25;
/** Data-unit length is a WORD, 0…65531 (spec §1). */
export const MAX_DATA_LENGTH = 65531;
const VIN_BYTES = 17;

export interface DecodeOptions {
  /** Lenient-mode quirks to accept (lenient.ts); none by default. */
  lenient?: readonly Quirk[] | ReadonlySet<Quirk>;
  /** Decrypts encrypted data units. */
  keys?: KeyProvider;
  /** Receives every field with its byte range (explain.ts). */
  trace?: Tracer;
}

// Byte → name tables (arrays, not Maps: read once per frame on the hot path).
const COMMAND_NAMES: CommandName[] = new Array<CommandName>(256).fill('custom');
for (const [k, v] of Object.entries(COMMAND_IDS)) COMMAND_NAMES[v] = k as CommandName;
const RESPONSE_NAMES: ResponseName[] = new Array<ResponseName>(256).fill('unknown');
for (const [k, v] of Object.entries(RESPONSE_IDS)) RESPONSE_NAMES[v] = k as ResponseName;

export function commandName(id: number): CommandName {
  return COMMAND_NAMES[id & 0xff];
}
export function responseName(id: number): ResponseName {
  return RESPONSE_NAMES[id & 0xff];
}

const NO_QUIRKS: ReadonlySet<Quirk> = new Set();

const vinCodes: number[] = new Array<number>(VIN_BYTES).fill(0);

/** The 17-byte unique ID. Plain ASCII (the usual case) is built with one fromCharCode call, which
 * gives a flat string about twice as fast as per-character concatenation (bench/codec.bench.ts). */
function vinOf(b: Uint8Array): string {
  let end = 4 + VIN_BYTES;
  while (end > 4 && b[end - 1] === 0) end--;
  const n = end - 4;
  let high = 0;
  for (let i = 4; i < end; i++) high |= b[i];
  if (high >= 0x80) return bytesToText(b.subarray(4, 4 + VIN_BYTES));
  if (n === VIN_BYTES) {
    // A full 17-character VIN (the usual case): direct arguments, no scratch array or spread.
    return String.fromCharCode(
      b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
      b[13], b[14], b[15], b[16], b[17], b[18], b[19], b[20],
    );
  }
  for (let i = 0; i < n; i++) vinCodes[i] = b[4 + i];
  // Writing index i ≤ length appends, so the scratch array stays packed between calls.
  vinCodes.length = n;
  return String.fromCharCode(...vinCodes);
}

/** Decodes one complete frame (as returned by FrameSplitter). Never throws. */
export function decodeFrame(b: Uint8Array, options: DecodeOptions = {}): Frame {
  const lenient: ReadonlySet<Quirk> =
    options.lenient === undefined ? NO_QUIRKS : options.lenient instanceof Set ? options.lenient : new Set(options.lenient);
  const version: Version = b.length > 0 && b[0] === START_2025 ? 2025 : 2016;
  const frame: Frame = {
    ok: false,
    version,
    command: 'custom',
    commandId: 0,
    response: 'unknown',
    responseId: 0,
    vin: '',
    encryption: 'unknown',
    encryptionId: 0,
    time: null,
    body: {},
  };
  const start = b.length >= 2 && b[0] === b[1] && (b[0] === START_2016 || b[0] === START_2025);
  if (!start) return fail(frame, 'GBT_ERR_START', 0, 'frame does not start with "##" or "$$"');
  if (b.length > 2) {
    frame.commandId = b[2];
    frame.command = commandName(b[2]);
  }
  if (b.length > 3) {
    frame.responseId = b[3];
    frame.response = responseName(b[3]);
  }
  if (b.length >= 4 + VIN_BYTES) frame.vin = vinOf(b);
  if (b.length > 21) {
    frame.encryptionId = b[21];
    frame.encryption = encryptionName(b[21]);
  }
  if (b.length < HEADER_LENGTH) return fail(frame, 'GBT_ERR_TRUNCATED', b.length, `header needs ${HEADER_LENGTH} bytes, got ${b.length}`);
  const dataLength = (b[22] << 8) | b[23];
  if (dataLength > MAX_DATA_LENGTH) {
    return fail(frame, 'GBT_ERR_LENGTH', 22, `data-unit length ${dataLength} exceeds ${MAX_DATA_LENGTH}`);
  }
  const total = FRAME_OVERHEAD + dataLength;
  if (b.length < total) {
    return fail(frame, 'GBT_ERR_TRUNCATED', b.length, `frame needs ${total} bytes (L=${dataLength}), got ${b.length}`);
  }
  if (b.length > total) {
    return fail(frame, 'GBT_ERR_LENGTH', total, `${b.length - total} byte(s) after the BCC: length field says L=${dataLength}`);
  }
  const dataEnd = HEADER_LENGTH + dataLength;
  const expected = bcc(b, 2, dataEnd);
  const trace = options.trace;
  if (trace) {
    trace.field('start', 0, 2, version === 2016 ? '##' : '$$');
    trace.field('command', 2, 3, frame.command);
    trace.field('response', 3, 4, frame.response);
    trace.field('vin', 4, 21, frame.vin);
    trace.field('encryption', 21, 22, frame.encryption);
    trace.field('dataLength', 22, 24, dataLength);
  }
  let quirks: Quirk[] | undefined;
  if (expected !== b[dataEnd]) {
    const message = `BCC is 0x${b[dataEnd].toString(16).padStart(2, '0')}, computed 0x${expected.toString(16).padStart(2, '0')}`;
    if (!lenient.has('ignoreBcc')) {
      if (trace) trace.field('bcc', dataEnd, dataEnd + 1, b[dataEnd]);
      return fail(frame, 'GBT_ERR_BCC', dataEnd, message);
    }
    (frame.warnings ??= []).push({ code: 'GBT_ERR_BCC', message, offset: dataEnd });
    quirks = ['ignoreBcc'];
  }

  let encId = frame.encryptionId;
  if (encId === 0 && lenient.has('zeroEncryptionByte')) {
    encId = 0x01;
    (quirks ??= []).push('zeroEncryptionByte');
  }
  const isReply = frame.responseId !== RESPONSE_IDS.command;
  let c = new Ctx(b, HEADER_LENGTH, dataEnd, version, lenient, trace);
  try {
    if (encId >= 0x02 && encId <= 0x05) {
      const cipher = b.subarray(HEADER_LENGTH, dataEnd);
      const plain = options.keys?.decrypt(
        { vin: frame.vin, version, commandId: frame.commandId, encryption: frame.encryption },
        cipher,
      );
      if (!plain) {
        frame.body = { encrypted: true, hex: toHex(cipher) };
        if (trace) trace.field('encryptedData', HEADER_LENGTH, dataEnd, 'encrypted');
        c.p = dataEnd;
      } else {
        // Offsets inside a decrypted data unit are relative to the plaintext.
        c = new Ctx(plain, 0, plain.length, version, lenient, trace);
        decodeBody(c, frame, isReply);
      }
    } else {
      decodeBody(c, frame, isReply);
    }
  } catch (e) {
    if (e instanceof DecodeFailure) {
      collect(frame, c, quirks);
      return fail(frame, e.code, e.offset, e.message);
    }
    throw e;
  }
  if (trace) trace.field('bcc', dataEnd, dataEnd + 1, b[dataEnd]);
  collect(frame, c, quirks);
  frame.ok = true;
  return frame;
}

function collect(frame: Frame, c: Ctx, quirks: Quirk[] | undefined): void {
  if (c.warnings) frame.warnings = frame.warnings ? [...frame.warnings, ...c.warnings] : c.warnings;
  // No allocation on the common path (no quirk used).
  if (quirks === undefined && c.quirksUsed === undefined) return;
  const all = [...(quirks ?? []), ...(c.quirksUsed ?? [])];
  if (all.length > 0) frame.quirks = all;
}

function fail(frame: Frame, code: DecodeFailure['code'], offset: number, message: string): Frame {
  frame.ok = false;
  frame.error = { code, message, offset };
  return frame;
}

function codecFor(commandId: number): CommandCodec | undefined {
  return COMMANDS[commandId];
}

function decodeBody(c: Ctx, frame: Frame, isReply: boolean): void {
  const id = frame.commandId;
  const length = c.end - c.p;
  if (isReply) {
    // Replies (spec §4): accept time-only, echoed and empty data units; 0x0A (or a reply to 0x09,
    // baichangda's framing) carries the 2-byte activation response.
    if (length === 0) return;
    if (id === COMMAND_IDS.activationResponse || (id === COMMAND_IDS.activation && length === 2)) {
      frame.body = activationResponseCodec.decode(c, true);
      return;
    }
    const codec = codecFor(id);
    // The time-calibration reply carries the platform's time although the request is empty (§6.5).
    if (codec && !codec.hasTime && id !== COMMAND_IDS.timeSync) {
      frame.body = codec.decode(c, true);
      return;
    }
    frame.time = readTime(c);
    if (c.p === c.end) return;
    const replyCodec = id === COMMAND_IDS.paramQuery ? paramReplyCodec : codec;
    if (replyCodec) {
      const at = c.p;
      try {
        frame.body = replyCodec.decode(c, true);
        return;
      } catch (e) {
        if (!(e instanceof DecodeFailure)) throw e;
        c.p = at;
      }
    }
    frame.body = { hex: toHex(c.b, c.p, c.end) };
    if (c.trace) c.trace.field('replyData', c.p, c.end, 'uninterpreted');
    c.p = c.end;
    return;
  }
  const codec = codecFor(id);
  if (!codec) {
    // Platform-exchange custom commands (0xC0–0xFE) and reserved ones: passed through as bytes.
    frame.body = { hex: toHex(c.b, c.p, c.end) };
    if (c.trace && c.end > c.p) c.trace.field('data', c.p, c.end, 'custom');
    c.p = c.end;
    return;
  }
  if (codec.hasTime) frame.time = readTime(c);
  frame.body = codec.decode(c, false);
}

/** What encodeFrame needs: the model without the derived fields. */
export interface FrameInput {
  version: Version;
  command: CommandName;
  /** Required for `custom`; otherwise derived from `command`. */
  commandId?: number;
  /** Default `command` (0xFE). */
  response?: ResponseName;
  responseId?: number;
  vin: string;
  /** Default `none`. */
  encryption?: EncryptionName;
  encryptionId?: number;
  time?: string | null;
  body: Body;
}

export interface EncodeOptions {
  keys?: KeyProvider;
}

function commandIdOf(f: FrameInput): number {
  if (f.command === 'custom') {
    if (f.commandId === undefined) throw new GbtEncodeError('a custom command needs commandId');
    return f.commandId;
  }
  const id = COMMAND_IDS[f.command];
  if (id === undefined) throw new GbtEncodeError(`unknown command "${String(f.command)}"`);
  return id;
}

function responseIdOf(f: FrameInput): number {
  const name = f.response ?? 'command';
  if (name === 'unknown') {
    if (f.responseId === undefined) throw new GbtEncodeError('response "unknown" needs responseId');
    return f.responseId;
  }
  const id = RESPONSE_IDS[name];
  if (id === undefined) throw new GbtEncodeError(`unknown response "${String(name)}"`);
  return id;
}

function isEmpty(body: Body): boolean {
  for (const _ in body) return false;
  return true;
}

/** One writer reused by every encodeFrame call: allocating a fresh buffer (and growing it past
 * 256 bytes for a typical realtime frame) cost about a third of an encode. A nested call — a key
 * provider's encrypt() that itself encodes a frame — finds it busy and takes its own. */
const scratch = new Writer(1024);
let scratchBusy = false;
/** A scratch buffer grown past this by a huge frame is dropped rather than kept for ever. */
const SCRATCH_KEEP_BYTES = 64 * 1024;

/** Encodes a frame. Throws GbtEncodeError when the model holds a value with no wire form. */
export function encodeFrame(f: FrameInput, options: EncodeOptions = {}): Uint8Array {
  if (scratchBusy) return encodeInto(new Writer(256), f, options);
  scratchBusy = true;
  try {
    scratch.reset();
    return encodeInto(scratch, f, options);
  } finally {
    if (scratch.buf.length > SCRATCH_KEEP_BYTES) scratch.buf = new Uint8Array(1024);
    scratchBusy = false;
  }
}

function encodeInto(w: Writer, f: FrameInput, options: EncodeOptions): Uint8Array {
  const cmd = commandIdOf(f);
  const resp = responseIdOf(f);
  const enc = encryptionId(f.encryption ?? 'none', f.encryptionId, 'encryption');
  const start = f.version === 2025 ? START_2025 : f.version === 2016 ? START_2016 : -1;
  if (start < 0) throw new GbtEncodeError(`version must be 2016 or 2025, got ${String(f.version)}`);
  w.u8(start);
  w.u8(start);
  w.u8(cmd);
  w.u8(resp);
  const vin = f.vin;
  if (vin.length > VIN_BYTES) throw new GbtEncodeError(`VIN "${vin}" is longer than 17 bytes`);
  for (let i = 0; i < VIN_BYTES; i++) {
    const ch = i < vin.length ? vin.charCodeAt(i) : 0;
    if (ch > 0xff) throw new GbtEncodeError(`VIN "${vin}" is not ASCII`);
    w.u8(ch);
  }
  w.u8(enc);
  w.u16(0); // length, filled below
  const bodyStart = w.p;
  const body = f.body;
  if ('encrypted' in body && body.encrypted) {
    const b = fromHex(body.hex);
    if (!b) throw new GbtEncodeError('encrypted body: hex is not hex');
    w.bytes(b);
  } else {
    writeDataUnit(w, f, cmd, resp !== RESPONSE_IDS.command);
    if (enc >= 0x02 && enc <= 0x05) {
      if (!options.keys?.encrypt) throw new GbtEncodeError(`encryption ${f.encryption ?? ''} needs a key provider`);
      const plain = w.buf.slice(bodyStart, w.p);
      const cipher = options.keys.encrypt(
        { vin: f.vin, version: f.version, commandId: cmd, encryption: f.encryption ?? 'none' },
        plain,
      );
      w.p = bodyStart;
      w.bytes(cipher);
    }
  }
  const length = w.p - bodyStart;
  if (length > MAX_DATA_LENGTH) throw new GbtEncodeError(`data unit of ${length} bytes exceeds ${MAX_DATA_LENGTH}`);
  w.setU16(bodyStart - 2, length);
  w.u8(bcc(w.buf, 2, w.p));
  return w.result();
}

function writeDataUnit(w: Writer, f: FrameInput, cmd: number, isReply: boolean): void {
  const body = f.body;
  if (isReply) {
    if (cmd === COMMAND_IDS.activationResponse || (cmd === COMMAND_IDS.activation && 'status' in body)) {
      activationResponseCodec.encode(w, body as never, f.version, true);
      return;
    }
    const codec = codecFor(cmd);
    if (codec && !codec.hasTime && cmd !== COMMAND_IDS.timeSync) {
      codec.encode(w, body, f.version, true);
      return;
    }
    if (f.time == null) {
      if (!isEmpty(body)) throw new GbtEncodeError('a reply with a body needs its time');
      return;
    }
    writeTime(w, f.time);
    if (isEmpty(body)) return;
    if ('hex' in body) {
      const b = fromHex(body.hex);
      if (!b) throw new GbtEncodeError('reply hex is not hex');
      w.bytes(b);
      return;
    }
    const replyCodec = cmd === COMMAND_IDS.paramQuery ? paramReplyCodec : codec;
    if (!replyCodec) throw new GbtEncodeError(`no body codec for reply to 0x${cmd.toString(16)}`);
    replyCodec.encode(w, body, f.version, true);
    return;
  }
  const codec = codecFor(cmd);
  if (!codec) {
    if (!('hex' in body)) throw new GbtEncodeError(`command 0x${cmd.toString(16)} needs a hex body`);
    const b = fromHex(body.hex);
    if (!b) throw new GbtEncodeError('custom command hex is not hex');
    w.bytes(b);
    return;
  }
  if (codec.hasTime) {
    if (f.time == null) throw new GbtEncodeError(`${f.command} needs a time`);
    writeTime(w, f.time);
  }
  codec.encode(w, body, f.version, false);
}

export { vinOf };
