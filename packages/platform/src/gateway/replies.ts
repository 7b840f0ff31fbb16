// Reply frames built straight from the request bytes (hot path: no decode/encode round trip).
// Spec §4: the reply keeps command and VIN, changes the response flag, and carries a time-only data
// unit (the request's time, 2025 rule and 2016 §6.3.2); heartbeat replies are empty (L=0, spec §6.5)
// and time-sync replies carry the platform's current time (spec §6.5, observed practice).
import { RESPONSE_IDS, type ResponseName, type Version } from '@nevhub/gbt32960';

const HEADER = 24;
const FLAG = 3;

export type ReplyShape = 'timeOnly' | 'empty' | 'platformTime';

/** Beijing-time wire bytes YY MM DD hh mm ss for an instant (spec §2, GMT+8). */
export function beijingTimeBytes(d: Date): Uint8Array {
  const t = new Date(d.getTime() + 8 * 3600_000);
  return Uint8Array.of(
    t.getUTCFullYear() % 100,
    t.getUTCMonth() + 1,
    t.getUTCDate(),
    t.getUTCHours(),
    t.getUTCMinutes(),
    t.getUTCSeconds(),
  );
}

/** The Beijing calendar date (YYYY-MM-DD) of an instant: the day of the daily serial cycle (spec §13). */
export function beijingDate(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * 2025-only codes 0x04–0x07 are sent only on "$$" links; on "##" links the same cases get 0x02
 * error (spec §4 "Rule").
 */
export function responseFor(version: Version, wanted: ResponseName): number {
  const id = wanted === 'unknown' ? RESPONSE_IDS.error : RESPONSE_IDS[wanted];
  if (version === 2016 && id >= 0x04 && id <= 0x07) return RESPONSE_IDS.error;
  return id;
}

/**
 * Builds the platform's reply to `request` (a complete frame; its BCC need not be right).
 * timeOnly: the request's 6-byte time when it has one, else the platform time.
 */
export function replyBytes(
  request: Uint8Array,
  responseId: number,
  shape: ReplyShape,
  now: Date = new Date(),
): Uint8Array {
  const dataLength = request.length >= HEADER ? (request[22] << 8) | request[23] : 0;
  let time: Uint8Array | undefined;
  if (shape === 'platformTime') time = beijingTimeBytes(now);
  else if (shape === 'timeOnly')
    time =
      dataLength >= 6 && request.length >= HEADER + 6
        ? request.subarray(HEADER, HEADER + 6)
        : beijingTimeBytes(now);
  const l = time ? 6 : 0;
  const out = new Uint8Array(HEADER + l + 1);
  out.set(request.subarray(0, Math.min(HEADER - 2, request.length)));
  out[FLAG] = responseId;
  // The time-only data unit is plain text: encryption byte 0x01 "not encrypted" (spec §5).
  out[21] = 0x01;
  out[22] = 0;
  out[23] = l;
  if (time) out.set(time, HEADER);
  let x = 0;
  for (let i = 2; i < HEADER + l; i++) x ^= out[i];
  out[HEADER + l] = x;
  return out;
}
