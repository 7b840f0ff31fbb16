// The frame log: the spine of nevhub (docs/architecture.md). The gateway appends every accepted
// raw frame and only then answers the terminal; every consumer reads with its own durable cursor.
import type { Version } from '@nevhub/gbt32960';

export interface LogEntry {
  /** Position in the log, strictly increasing, starting at 1. */
  seq: number;
  /** VIN of the frame (for platform links: the frame's own VIN). */
  vin: string;
  version: Version;
  commandId: number;
  /** Collection time from the data unit as an ISO string with +08:00, or null. */
  collectedAt: string | null;
  /** Receive time, epoch milliseconds. */
  receivedAt: number;
  /** Gateway session that received it. */
  sessionId: string;
  /** Remote address:port. */
  peer: string;
  /** The frame exactly as received. */
  raw: Uint8Array;
}

export type NewLogEntry = Omit<LogEntry, 'seq'>;

export interface FrameLog {
  /**
   * Appends entries; resolves with their seqs once they are durable (committed). Concurrent calls
   * are group-committed: many frames share one transaction. Entries of one call keep their order.
   */
  append(entries: readonly NewLogEntry[]): Promise<number[]>;
  /** Entries with seq > afterSeq, ascending, at most `limit`. */
  read(afterSeq: number, limit: number): Promise<LogEntry[]>;
  /** Entries of one VIN with seq > afterSeq, ascending. */
  readVin(vin: string, afterSeq: number, limit: number): Promise<LogEntry[]>;
  /** A named durable cursor: the last seq the consumer has fully handled (0 when new). */
  getCursor(name: string): Promise<number>;
  setCursor(name: string, seq: number): Promise<void>;
  /** Highest seq in the log (0 when empty). */
  lastSeq(): Promise<number>;
  /** Deletes entries received before `beforeMs` (retention); returns how many were deleted. */
  prune(beforeMs: number): Promise<number>;
  close(): Promise<void>;
}
