// Messages between SqliteFrameLog (main thread) and its writer worker (sqlite-writer.worker.ts).
// Entries travel already encoded as segment parts (sqlite-segment.ts): two transferred buffers
// (meta, raw) and each part's distinct VINs; one copy of each raw frame at append() (the gateway's
// splitter views are only valid until its next read) and no per-entry structured clone.
import type { LogDurability } from './sqlite-schema.js';
import type { CheckpointResult } from './sqlite-checkpoint.js';
import type { PackedEntries } from './sqlite-segment.js';

export { EntryPacker, recycleBuffer, type PackedEntries, type PackedPart } from './sqlite-segment.js';

export interface WriterInit {
  path: string;
  durability: LogDurability;
  /** Entries per transaction at most (requests are never split). */
  maxBatch: number;
  /**
   * WAL bytes at which the writer connection checkpoints (wal_autocheckpoint, in pages of the
   * file): 0 while the checkpoint thread runs (it does the checkpoints), AUTOCHECKPOINT_BYTES otherwise.
   */
  autocheckpointBytes: number;
}

/** Messages between SqliteFrameLog and its checkpoint thread (sqlite-checkpoint.worker.ts). */
export interface CheckpointerInit {
  path: string;
  durability: LogDurability;
  intervalMs: number;
  /** WAL bytes after which a RESTART checkpoint starts the WAL again (in pages of the file). */
  restartBytes: number;
}

export type CheckpointerReply =
  | { t: 'ready' }
  | ({ t: 'pass' } & CheckpointResult)
  | { t: 'error'; error: SerializedError }
  | { t: 'closed' };

export type WriterRequest =
  | { t: 'append'; id: number; entries: PackedEntries }
  | { t: 'cursor'; id: number; name: string; seq: number; at: number }
  | { t: 'prune'; id: number; beforeMs: number; limit: number }
  /** Sets wal_autocheckpoint (the log falls back to it when the checkpoint thread is gone). */
  | { t: 'autocheckpoint'; id: number; bytes: number }
  | { t: 'close'; id: number };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export type WriterReply =
  | { t: 'ready'; journalMode: string; synchronous: number; fileSync: boolean }
  /**
   * One transaction committed. `value` per request: the first seq of an append (its entries have
   * consecutive seqs), the entries deleted by a prune, 0 for a cursor. `entries` = frames inserted,
   * `ms` = time the writer thread spent on the transaction (commit and fsync included), `buffers`
   * = the appends' buffers, transferred back for the next packers (recycleBuffer).
   */
  | { t: 'done'; results: { id: number; value: number }[]; entries: number; ms: number; buffers?: ArrayBuffer[] }
  | { t: 'failed'; ids: number[]; error: SerializedError }
  | { t: 'closed'; id: number };

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(err) };
}

export function deserializeError(e: SerializedError): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.code !== undefined) (err as Error & { code?: string }).code = e.code;
  return err;
}
