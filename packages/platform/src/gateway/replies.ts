// Gateway-side date helper. Reply frames come from the codec (replyFromBytes: built straight from
// the request bytes, no decode/encode round trip; replyCode: 0x04–0x07 only on "$$" links).

/** The Beijing calendar date (YYYY-MM-DD) of an instant: the day of the daily serial cycle (spec §13). */
export function beijingDate(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}
