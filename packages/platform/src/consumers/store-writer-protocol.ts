// Messages between StoreWriterWorker (main thread) and store-writer.worker.ts.
import type { Quirk } from '@nevhub/gbt32960';
import type { LogDurability } from '../log/sqlite-schema.js';
import type { SerializedError } from '../log/sqlite-protocol.js';
import type { StoreWriterStats } from './store-writer.js';

export interface StoreWorkerInit {
  /** Frame log database file (frames.db). */
  logPath: string;
  /** Store directory and file (store.db). */
  storeDir: string;
  storeFile?: string;
  logDurability: LogDurability;
  cursor?: string;
  batchSize?: number;
  pollMs?: number;
  /** Decode options that survive structured cloning (no key provider or tracer). */
  lenient?: Quirk[];
}

export type StoreWorkerRequest = { t: 'start' } | { t: 'notify' } | { t: 'drain'; id: number } | { t: 'stop'; id: number };

export type StoreWorkerReply =
  | { t: 'ready' }
  /** After every batch: the stats and how long its applyFrames took (for /metrics). */
  | { t: 'batch'; stats: StoreWriterStats; applySeconds: number }
  | { t: 'error'; error: SerializedError }
  | { t: 'drained'; id: number; entries: number; stats: StoreWriterStats }
  | { t: 'drainFailed'; id: number; error: SerializedError }
  | { t: 'stopped'; id: number; stats: StoreWriterStats };
