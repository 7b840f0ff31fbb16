// Newest frames of one VIN from the frame log. The FrameLog seam reads forwards only (readVin:
// seq > after, ascending), so without a backward read (RecentFramesPort) this looks at growing
// windows before the log's end: each readVin uses the (vin, seq) index, and the window grows ×8
// until it holds enough frames or reaches the start of the log.
import type { FrameLog, LogEntry } from '../log/types.js';
import type { RecentFramesPort } from './deps.js';

const PAGE = 5000;

export async function recentFrames(
  log: FrameLog & Partial<RecentFramesPort>,
  vin: string,
  q: { from: number; to: number; limit: number },
): Promise<LogEntry[]> {
  const inRange = (e: LogEntry): boolean => e.receivedAt >= q.from && e.receivedAt <= q.to;
  if (log.readVinBefore) {
    const out: LogEntry[] = [];
    let before = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const page = await log.readVinBefore(vin, before, Math.max(q.limit, 200));
      for (const e of page) {
        if (inRange(e)) out.push(e);
        if (out.length >= q.limit) return out;
      }
      // Newest first: once a page reaches before `from`, nothing older can match.
      if (page.length === 0 || page[page.length - 1].receivedAt < q.from) return out;
      before = page[page.length - 1].seq;
    }
  }
  const last = await log.lastSeq();
  for (let window = Math.max(1024, q.limit * 64); ; window *= 8) {
    const after = Math.max(0, last - window);
    const matches: LogEntry[] = [];
    let cursor = after;
    let oldestSeen = Number.POSITIVE_INFINITY;
    for (;;) {
      const page = await log.readVin(vin, cursor, PAGE);
      for (const e of page) {
        if (e.seq > last) break;
        oldestSeen = Math.min(oldestSeen, e.receivedAt);
        if (inRange(e)) {
          matches.push(e);
          if (matches.length > q.limit) matches.shift();
        }
      }
      if (page.length < PAGE || page[page.length - 1].seq >= last) break;
      cursor = page[page.length - 1].seq;
    }
    // Enough frames, the whole log seen, or the window already reaches before `from`.
    if (matches.length >= q.limit || after === 0 || oldestSeen < q.from) return matches.reverse();
  }
}
