// StoreWriter in a worker thread (store-writer.worker.ts), with the same start/notify/drain/stop
// API as the in-thread StoreWriter. The store consumer decodes every frame, builds JSON and writes
// history in large transactions; on the main thread that blocked the gateway and the API for the
// whole catch-up. The worker opens its own connections to frames.db (read, and the "store" cursor)
// and store.db (applyFrames); the main thread only posts notify() hints.
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Quirk } from '@nevhub/gbt32960';
import type { LogDurability } from '../log/sqlite-schema.js';
import { deserializeError } from '../log/sqlite-protocol.js';
import { startTsWorker } from '../log/ts-worker.js';
import type { StoreWriterStats } from './store-writer.js';
import type { StoreWorkerInit, StoreWorkerReply, StoreWorkerRequest } from './store-writer-protocol.js';

export interface StoreWriterWorkerOptions {
  /** Data directory holding frames.db and store.db. */
  dataDir: string;
  logFile?: string;
  storeFile?: string;
  /** Durability of the cursor writes on frames.db (as the log's). */
  logDurability?: LogDurability;
  cursor?: string;
  /** Log entries per store transaction (default 200: the transaction holds store.db's write lock). */
  batchSize?: number;
  pollMs?: number;
  /** Lenient quirks the gateway accepted frames with. */
  lenient?: readonly Quirk[];
  onError?: (err: unknown) => void;
  /** Duration of each applyFrames batch, in seconds (for /metrics). */
  onApply?: (seconds: number) => void;
}

export class StoreWriterWorker {
  stats: StoreWriterStats = { entries: 0, undecodable: 0, batches: 0, cursor: 0 };
  private readonly worker: Worker;
  private readonly onError: (err: unknown) => void;
  private readonly onApply: (seconds: number) => void;
  private readonly waiting = new Map<number, { resolve: (n: number) => void; reject: (err: unknown) => void }>();
  private nextId = 1;
  private notifyScheduled = false;
  private stopping: Promise<void> | undefined;
  private exited = false;

  constructor(options: StoreWriterWorkerOptions) {
    this.onError = options.onError ?? (() => undefined);
    this.onApply = options.onApply ?? (() => undefined);
    const init: StoreWorkerInit = {
      logPath: join(options.dataDir, options.logFile ?? 'frames.db'),
      storeDir: options.dataDir,
      storeFile: options.storeFile,
      logDurability: options.logDurability ?? 'fsync',
      cursor: options.cursor,
      batchSize: options.batchSize ?? 200,
      pollMs: options.pollMs,
      lenient: options.lenient ? [...options.lenient] : [],
    };
    this.worker = startTsWorker('consumers/store-writer.worker.ts', init);
    // Like a timer-driven loop on the main thread, a running writer does not keep the process alive
    // by itself; stop() and drain() wait for their replies.
    this.worker.unref();
    this.worker.on('message', (m: StoreWorkerReply) => this.onMessage(m));
    this.worker.on('error', (err) => this.onError(err));
    this.worker.on('exit', (code) => {
      this.exited = true;
      const err = new Error(`store writer thread exited (code ${code})`);
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    });
  }

  /** Starts the background loop in the worker (idempotent). */
  start(): void {
    this.post({ t: 'start' });
  }

  /** New entries were appended; posts at most one hint per event-loop turn (the gateway calls it per append). */
  notify(): void {
    if (this.notifyScheduled || this.stopping) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      this.post({ t: 'notify' });
    });
  }

  /** Processes batches until the cursor has caught up with the log; returns entries handled. */
  drain(): Promise<number> {
    return this.call((id) => ({ t: 'drain', id }));
  }

  /** Stops the loop after the batch in progress and closes the worker's connections. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (!this.exited) await this.call((id) => ({ t: 'stop', id })).catch(() => undefined);
      await this.worker.terminate();
    })();
    return this.stopping;
  }

  private call(make: (id: number) => StoreWorkerRequest): Promise<number> {
    if (this.exited) return Promise.reject(new Error('store writer thread has exited'));
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      if (this.waiting.size === 0) this.worker.ref();
      this.waiting.set(id, { resolve, reject });
      this.post(make(id));
    });
  }

  private settle(id: number): { resolve: (n: number) => void; reject: (err: unknown) => void } | undefined {
    const w = this.waiting.get(id);
    this.waiting.delete(id);
    if (this.waiting.size === 0) this.worker.unref();
    return w;
  }

  private post(m: StoreWorkerRequest): void {
    if (!this.exited) this.worker.postMessage(m);
  }

  private onMessage(m: StoreWorkerReply): void {
    switch (m.t) {
      case 'ready':
        break;
      case 'batch':
        this.stats = m.stats;
        this.onApply(m.applySeconds);
        break;
      case 'error':
        this.onError(deserializeError(m.error));
        break;
      case 'drained':
        this.stats = m.stats;
        this.settle(m.id)?.resolve(m.entries);
        break;
      case 'drainFailed':
        this.settle(m.id)?.reject(deserializeError(m.error));
        break;
      case 'stopped':
        this.stats = m.stats;
        this.settle(m.id)?.resolve(0);
        break;
    }
  }
}
