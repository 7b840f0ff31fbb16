// The platform's reply to a terminal's command frame (spec §4 "Reply construction", §6.5).
// Default: time-only data unit with the request's time (2016 §6.3.2, the only rule in 2025);
// heartbeat → empty data unit; time calibration → the platform's current time (Beijing, §2).
import { Writer } from './bytes.js';
import { bcc } from './bcc.js';
import { GbtEncodeError } from './errors.js';
import { encodeFrame } from './frame.js';
import { COMMAND_IDS, RESPONSE_IDS, type Frame, type ResponseName } from './model.js';
import { dateComponents, writeTime } from './time.js';

export type ReplyShape = 'timeOnly' | 'echo' | 'empty';

export interface ReplyOptions {
  /** The platform's clock, for time calibration (and requests that carry no time). */
  now?: Date;
  /** Data-unit shape; the default depends on the command (see buildReply). */
  shape?: ReplyShape;
}

const START = { 2016: 0x23, 2025: 0x24 } as const;
const VIN_BYTES = 17;
/** Encryption byte 0x01 "not encrypted" (spec §5): replies are built in the clear. */
const NOT_ENCRYPTED = 0x01;

/** Response code to send: 0x04–0x07 exist only in 2025, so a "##" link gets 0x02 (spec §4 Rule). */
export function replyCode(version: Frame['version'], response: ResponseName): number {
  if (response === 'command' || response === 'unknown') {
    throw new GbtEncodeError(`"${response}" is not a reply code`);
  }
  const id: number | undefined = RESPONSE_IDS[response];
  if (id === undefined) throw new GbtEncodeError(`unknown response "${String(response)}"`);
  if (version === 2016 && id >= 0x04 && id <= 0x07) return RESPONSE_IDS.error;
  return id;
}

function defaultShape(request: Frame): ReplyShape {
  // Heartbeat reply: ack 0x01, L = 0 (spec §6.5).
  return request.commandId === COMMAND_IDS.heartbeat ? 'empty' : 'timeOnly';
}

/**
 * Builds the reply frame to `request` with the given response flag.
 *
 * - `timeOnly` (default): the 6-byte time of the request (spec §4; 2016 §6.3.2). Time calibration
 *   (0x08) carries the platform's time instead (§6.5); a request without a time gets the platform's.
 * - `empty` (default for heartbeat 0x07): L = 0 (§6.5).
 * - `echo`: the request's data unit with only the flag changed (2016 Annex B.3.3.2, EMQX practice).
 *   Needs a request that decoded (`ok`); otherwise the time-only reply is built.
 *
 * The VIN and command ID are the request's; the data unit is not encrypted.
 */
export function buildReply(request: Frame, response: ResponseName, opts: ReplyOptions = {}): Uint8Array {
  const code = replyCode(request.version, response);
  const shape = opts.shape ?? defaultShape(request);
  if (shape === 'echo' && request.ok && request.commandId !== COMMAND_IDS.timeSync) {
    const echo = echoReply(request, code);
    if (echo) return echo;
  }
  const w = new Writer(32);
  const start = START[request.version];
  w.u8(start);
  w.u8(start);
  w.u8(request.commandId);
  w.u8(code);
  const vin = request.vin;
  for (let i = 0; i < VIN_BYTES; i++) w.u8(i < vin.length ? vin.charCodeAt(i) & 0xff : 0);
  w.u8(NOT_ENCRYPTED);
  if (shape === 'empty') {
    w.u16(0);
  } else {
    w.u16(6);
    if (request.commandId === COMMAND_IDS.timeSync || request.time === null) {
      // Platform time as Beijing time (spec §2, §6.5).
      for (const v of dateComponents(opts.now ?? new Date())) w.u8(v);
    } else {
      writeTime(w, request.time);
    }
  }
  w.u8(bcc(w.buf, 2, w.p));
  return w.result();
}

/** Re-encodes the request as it was sent (decode → encode is exact), then swaps the flag. */
function echoReply(request: Frame, code: number): Uint8Array | undefined {
  let bytes: Uint8Array;
  try {
    bytes = encodeFrame({ ...request, response: 'command', responseId: RESPONSE_IDS.command });
  } catch {
    return undefined;
  }
  bytes[3] = code;
  bytes[bytes.length - 1] = bcc(bytes, 2, bytes.length - 1);
  return bytes;
}

/** Data unit of a reply built from raw request bytes: the request's time, none, or the platform's time. */
export type RawReplyShape = 'timeOnly' | 'empty' | 'platformTime';

const HEADER = 24;

/**
 * The reply to a request given as raw bytes, without decoding it: for a gateway's hot path and for
 * requests that failed to decode (their error reply, spec §13 "Platform validation of 0x02"). Keeps
 * start, command and VIN, sets `code` as the flag and a plain (0x01) data unit; `timeOnly` takes
 * the request's 6-byte time when it has one, else the platform's (spec §4, §6.5). The request's
 * BCC need not be right. For a decoded request, buildReply gives the same bytes.
 */
export function replyFromBytes(
  request: Uint8Array,
  code: number,
  shape: RawReplyShape,
  now: Date = new Date(),
): Uint8Array {
  const out = new Uint8Array(replyLength(request, shape));
  replyFromBytesInto(request, code, shape, out, 0, now);
  return out;
}

/** Length of replyFromBytes(request, code, shape): 25 + 6, or 25 for `empty` (spec §1, §4). */
export function replyLength(_request: Uint8Array, shape: RawReplyShape): number {
  return HEADER + (shape === 'empty' ? 0 : 6) + 1;
}

/**
 * replyFromBytes written into `out` at `offset` (e.g. the replies to a whole group of frames in one
 * buffer, one socket write); returns the offset after it. `out` must have replyLength bytes there.
 */
export function replyFromBytesInto(
  request: Uint8Array,
  code: number,
  shape: RawReplyShape,
  out: Uint8Array,
  offset: number,
  now: Date = new Date(),
): number {
  const dataLength = request.length >= HEADER ? (request[22] << 8) | request[23] : 0;
  const hasTime = shape === 'timeOnly' && dataLength >= 6 && request.length >= HEADER + 6;
  const l = shape === 'empty' ? 0 : 6;
  const o = offset;
  const head = Math.min(HEADER - 2, request.length);
  for (let i = 0; i < head; i++) out[o + i] = request[i];
  for (let i = head; i < HEADER - 2; i++) out[o + i] = 0;
  out[o + 3] = code;
  out[o + 21] = NOT_ENCRYPTED;
  out[o + 22] = 0;
  out[o + 23] = l;
  if (hasTime) for (let i = 0; i < 6; i++) out[o + HEADER + i] = request[HEADER + i];
  else if (l === 6) out.set(dateComponents(now), o + HEADER);
  out[o + HEADER + l] = bcc(out, o + 2, o + HEADER + l);
  return o + HEADER + l + 1;
}

/** The shape of a decoded reply's data unit: none, the time alone, or more (spec §4: accept all three). */
export function replyShape(frame: Frame): ReplyShape {
  let empty = true;
  for (const _ in frame.body) {
    empty = false;
    break;
  }
  if (!empty) return 'echo';
  return frame.time === null ? 'empty' : 'timeOnly';
}
