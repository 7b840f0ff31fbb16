// Messages between SqliteFrameLog (main thread) and its writer worker (sqlite-writer.worker.ts).
// Entries travel column-wise with every raw frame packed into one transferred ArrayBuffer: one
// copy at append() (the gateway's splitter views are only valid until its next read) and no
// per-entry structured clone.
import type { LogDurability } from './sqlite-schema.js';
import type { NewLogEntry } from './types.js';

export interface PackedEntries {
  count: number;
  vin: string[];
  version: number[];
  commandId: number[];
  collectedAt: (string | null)[];
  receivedAt: number[];
  sessionId: string[];
  peer: string[];
  /** Raw frames back to back; entry i is raw[ends[i-1] ?? 0, ends[i]). */
  raw: Uint8Array;
  ends: Uint32Array;
}

export interface WriterInit {
  path: string;
  durability: LogDurability;
  /** Entries per transaction at most (requests are never split). */
  maxBatch: number;
}

export type WriterRequest =
  | { t: 'append'; id: number; entries: PackedEntries }
  | { t: 'cursor'; id: number; name: string; seq: number; at: number }
  | { t: 'prune'; id: number; beforeMs: number; limit: number }
  | { t: 'close'; id: number };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export type WriterReply =
  | { t: 'ready'; journalMode: string; synchronous: number }
  /**
   * One transaction committed. `value` per request: the first seq of an append (its entries have
   * consecutive seqs), the rows deleted by a prune, 0 for a cursor. `entries` = frames inserted.
   */
  | { t: 'done'; results: { id: number; value: number }[]; entries: number }
  | { t: 'failed'; ids: number[]; error: SerializedError }
  | { t: 'closed'; id: number };

/** Collects the entries of several append() calls into one PackedEntries. */
export class EntryPacker {
  private vin: string[] = [];
  private version: number[] = [];
  private commandId: number[] = [];
  private collectedAt: (string | null)[] = [];
  private receivedAt: number[] = [];
  private sessionId: string[] = [];
  private peer: string[] = [];
  private ends: number[] = [];
  private raw = new Uint8Array(16 * 1024);
  private used = 0;

  get count(): number {
    return this.vin.length;
  }

  add(e: NewLogEntry): void {
    this.vin.push(e.vin);
    this.version.push(e.version);
    this.commandId.push(e.commandId);
    this.collectedAt.push(e.collectedAt);
    this.receivedAt.push(e.receivedAt);
    this.sessionId.push(e.sessionId);
    this.peer.push(e.peer);
    const need = this.used + e.raw.byteLength;
    if (need > this.raw.byteLength) {
      const grown = new Uint8Array(Math.max(need, this.raw.byteLength * 2));
      grown.set(this.raw.subarray(0, this.used));
      this.raw = grown;
    }
    this.raw.set(e.raw, this.used);
    this.used = need;
    this.ends.push(need);
  }

  /** The packed entries; the packer must not be used afterwards. */
  finish(): PackedEntries {
    return {
      count: this.vin.length,
      vin: this.vin,
      version: this.version,
      commandId: this.commandId,
      collectedAt: this.collectedAt,
      receivedAt: this.receivedAt,
      sessionId: this.sessionId,
      peer: this.peer,
      raw: this.raw,
      ends: Uint32Array.from(this.ends),
    };
  }
}

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
