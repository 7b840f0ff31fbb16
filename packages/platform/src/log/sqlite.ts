// SQLite FrameLog (the embedded deployment's spine, architecture.md): an append-only log of
// segments, one per group commit, in segment files (sqlite-files.ts) indexed by a WAL-mode SQLite
// database (sqlite-schema.ts). Writes (appends, cursor updates, prune) go to a worker thread that
// owns the only appending connection and the files (sqlite-writer.worker.ts): its writes and
// fdatasyncs are synchronous; on the main thread they froze the gateway's event loop for the whole
// commit (libuv accepts one connection per loop turn, so logins queued up behind the commits). Now
// the main thread only packs entries (already in the segment format, sqlite-segment.ts) and posts
// them.
//
// Group commit: append() calls of one event-loop turn are posted as one request; the worker
// commits everything that queued up during its previous commit in one transaction (pipelining)
// and each promise resolves only after its transaction is committed, so "the gateway answers only
// after the frame is durable" holds. Durability 'fsync' (default: the segment file is fdatasynced
// before the commit returns) survives a power cut; 'os' survives a process crash only (the last
// commits may be lost after a power cut; recovery drops what does not check out).
//
// WAL checkpoints of the index (copying its WAL into the database file, and its fsync) run on a
// third thread (sqlite-checkpoint.ts), so that no commit, and no terminal's reply, waits for one.
//
// Reads use a second connection on the main thread: WAL readers never wait for the writer and
// see every committed transaction, so a read after a resolved append sees it, and a read does not
// queue behind a commit and its fsync in the worker (the API and consumers stay responsive).
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { LogClosedError, LogFullError } from './errors.js';
import { SqliteLogReader } from './sqlite-reader.js';
import { CHECKPOINT_INTERVAL_MS, WAL_RESTART_BYTES } from './sqlite-checkpoint.js';
import { AUTOCHECKPOINT_BYTES, isValidEntry, type LogDurability } from './sqlite-schema.js';
import {
  deserializeError,
  EntryPacker,
  recycleBuffer,
  type CheckpointerInit,
  type CheckpointerReply,
  type WriterInit,
  type WriterReply,
  type WriterRequest,
} from './sqlite-protocol.js';
import { startTsWorker } from './ts-worker.js';
import type { FrameLog, LogEntry, NewLogEntry } from './types.js';

export type { LogDurability } from './sqlite-schema.js';

export interface SqliteFrameLogOptions {
  /** Directory of the database file (created when missing). */
  dataDir: string;
  /** File name inside dataDir (default frames.db). */
  fileName?: string;
  /** At most this many entries wait for a commit; beyond it append() rejects with LogFullError. */
  maxPending?: number;
  /**
   * Entries per transaction at most; a batch is also posted at once when it reaches this (default
   * 8192). Under load a commit takes everything queued during the previous one, so this bounds the
   * throughput when commits wait for an fsync: about maxBatch / (fsync + maxBatch × cost per frame).
   */
  maxBatch?: number;
  /**
   * How long the first entry of a batch waits for company, in ms. 0 (default) = until the end of
   * the current event-loop turn (setImmediate): every append of the same tick shares the commit.
   */
  maxWaitMs?: number;
  /** 'fsync' (default): synchronous=FULL, durable on power loss. 'os': NORMAL, durable on process crash. */
  durability?: LogDurability;
  /** Older spelling of `durability`: 'full' = 'fsync', 'normal' = 'os'. */
  synchronous?: 'full' | 'normal';
  /**
   * Where WAL checkpoints run. 'thread' (default): on a checkpoint thread of their own, so that no
   * commit waits for one (sqlite-checkpoint.ts). 'commit': SQLite's automatic checkpoint inside
   * the commit that fills the WAL (the writer thread stalls for it).
   */
  checkpoint?: 'thread' | 'commit';
  /** Checkpoint thread: ms between passes (default 100). */
  checkpointIntervalMs?: number;
  /** Checkpoint thread: WAL bytes after which the WAL is started again (default 16 MiB). */
  walRestartBytes?: number;
}

/**
 * Effective durability settings of the writer: the index connection's journal_mode and
 * synchronous (1 NORMAL: the index is rebuilt from the segment files after a power cut), and
 * whether each commit's segment file bytes are fdatasynced before the commit returns.
 */
export interface LogSettings {
  journalMode: string;
  synchronous: number;
  fileSync: boolean;
}

interface Call {
  count: number;
  resolve: (seqs: number[]) => void;
  reject: (err: unknown) => void;
}

interface Inflight {
  calls: Call[];
  entries: number;
  resolve?: (value: number) => void;
  /** An append request (counted in appendsInWriter). */
  append?: boolean;
}

/** Rows deleted per prune transaction, so that appends interleave with a long prune. */
const PRUNE_CHUNK = 5000;

export class SqliteFrameLog implements FrameLog {
  readonly path: string;
  /**
   * Commits and entries written since open (group-commit efficiency = entries / commits), and the
   * writer thread's time in those transactions (writerMs / entries = its cost per frame).
   */
  readonly stats = {
    commits: 0,
    entries: 0,
    writerMs: 0,
    /** Checkpoint passes that copied pages, the pages, their time; WAL restarts; RESTARTs that gave way. */
    checkpoints: 0,
    checkpointPages: 0,
    checkpointBytes: 0,
    checkpointMs: 0,
    walRestarts: 0,
    checkpointBusy: 0,
    /** The checkpoint thread failed: the last error (the writer then checkpoints in its commits). */
    checkpointError: undefined as string | undefined,
  };
  private readonly maxPending: number;
  private readonly maxBatch: number;
  private readonly maxWaitMs: number;
  private readonly reader: SqliteLogReader;
  private readonly worker: Worker;
  private readonly checkpointer: Worker | undefined;
  private checkpointerClosed: Promise<void> | undefined;
  private readonly ready: Promise<LogSettings>;
  /** The writer has opened (and recovered) the log: reads no longer wait for it. */
  private recovered = false;
  private packer = new EntryPacker();
  private calls: Call[] = [];
  /** Entries posted to the worker and not committed yet. */
  private posted = 0;
  private readonly inflight = new Map<number, Inflight>();
  private nextId = 1;
  private scheduled = false;
  /** Append requests posted to the writer and not answered yet (see flush()). */
  private appendsInWriter = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Set when the worker died: every later write fails with it. */
  private failure: Error | undefined;

  constructor(options: SqliteFrameLogOptions) {
    this.path = join(options.dataDir, options.fileName ?? 'frames.db');
    this.maxPending = options.maxPending ?? 50_000;
    this.maxBatch = options.maxBatch ?? 8192;
    this.maxWaitMs = options.maxWaitMs ?? 0;
    const durability: LogDurability = options.durability ?? (options.synchronous === 'normal' ? 'os' : 'fsync');
    // The reader creates the file, switches it to WAL and creates the schema before the worker
    // opens it, so reads work at once.
    this.reader = new SqliteLogReader(this.path, durability);
    const threadCheckpoints = (options.checkpoint ?? 'thread') === 'thread';
    const init: WriterInit = { path: this.path, durability, maxBatch: this.maxBatch, autocheckpointBytes: threadCheckpoints ? 0 : AUTOCHECKPOINT_BYTES };
    this.worker = startTsWorker('log/sqlite-writer.worker.ts', init);
    if (threadCheckpoints) {
      this.checkpointer = this.startCheckpointer({
        path: this.path,
        durability,
        intervalMs: options.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS,
        restartBytes: options.walRestartBytes ?? WAL_RESTART_BYTES,
      });
    }
    // An idle log must not keep the process alive; a pending write does (see track()).
    this.worker.unref();
    let onReady!: (s: LogSettings) => void;
    let onFail!: (err: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      onReady = resolve;
      onFail = reject;
    });
    this.ready.catch(() => undefined);
    this.worker.on('message', (m: WriterReply) => {
      if (m.t === 'ready') onReady({ journalMode: m.journalMode, synchronous: m.synchronous, fileSync: m.fileSync });
      else this.onReply(m);
    });
    this.worker.on('error', (err) => {
      onFail(err);
      this.fail(err);
    });
    this.worker.on('exit', (code) => {
      const err = new Error(`frame log writer thread exited (code ${code})`);
      onFail(err);
      this.fail(err);
    });
  }

  private startCheckpointer(init: CheckpointerInit): Worker {
    const w = startTsWorker('log/sqlite-checkpoint.worker.ts', init);
    w.unref();
    let closed!: () => void;
    this.checkpointerClosed = new Promise((resolve) => (closed = resolve));
    const st = this.stats;
    const fallBack = (why: string): void => {
      if (this.closed || this.failure || st.checkpointError !== undefined) return;
      st.checkpointError = why;
      // Without the thread the WAL would only grow: the writer checkpoints in its commits again.
      this.write((id) => ({ t: 'autocheckpoint', id, bytes: AUTOCHECKPOINT_BYTES })).catch(() => undefined);
    };
    w.on('message', (m: CheckpointerReply) => {
      if (m.t === 'pass') {
        if (m.copiedPages > 0) {
          st.checkpoints++;
          st.checkpointPages += m.copiedPages;
          st.checkpointBytes += m.copiedBytes;
          st.checkpointMs += m.ms;
        }
        if (m.restarted) st.walRestarts++;
        if (m.busy) st.checkpointBusy++;
      } else if (m.t === 'error') {
        fallBack(`${m.error.name}: ${m.error.message}`);
      } else if (m.t === 'closed') {
        closed();
      }
    });
    w.on('error', (err) => fallBack(err.message));
    w.on('exit', (code) => {
      closed();
      fallBack(`checkpoint thread exited (code ${code})`);
    });
    return w;
  }

  /** Entries waiting for their commit (queued here or in the writer thread). */
  get pending(): number {
    return this.packer.count + this.posted;
  }

  append(entries: readonly NewLogEntry[]): Promise<number[]> {
    if (this.closed) return Promise.reject(new LogClosedError());
    if (this.failure) return Promise.reject(this.failure);
    if (entries.length === 0) return Promise.resolve([]);
    if (this.pending + entries.length > this.maxPending) {
      return Promise.reject(new LogFullError(this.pending + entries.length, this.maxPending));
    }
    // A malformed entry fails its own call only, never the group commit it would have joined.
    const invalid = entries.find((e) => !isValidEntry(e));
    if (invalid) return Promise.reject(new TypeError(`invalid log entry for VIN ${String(invalid.vin)}`));
    // Packing copies raw now: the gateway passes splitter views, valid only until its next push.
    for (const e of entries) this.packer.add(e);
    return new Promise<number[]>((resolve, reject) => {
      this.calls.push({ count: entries.length, resolve, reject });
      if (this.packer.count >= this.maxBatch) this.flush();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      this.flush();
    };
    if (this.maxWaitMs > 0) setTimeout(run, this.maxWaitMs);
    else setImmediate(run);
  }

  /**
   * Posts every queued entry to the writer as one request (one transaction at least). While an
   * append is in the writer, the entries wait here and go as one request when its reply comes
   * (onReply), unless they fill a batch: the writer would have taken them into its next
   * transaction anyway, and one message per commit instead of one per event-loop turn costs the
   * event loop less (bench:gateway, ABBA, 3 pairs of 10 s: 617k, 709k, 684k → 726k, 720k, 749k
   * frames/s, gateway CPU 1.54–1.78 → 1.41–1.44 µs per frame, p99 12–15 → 10.5–11.2 ms; measured
   * slower on an older VM whose event loop took longer to turn the reply round).
   */
  private flush(force = false): void {
    if (this.calls.length === 0) return;
    if (!force && this.appendsInWriter > 0 && this.packer.count < this.maxBatch) return;
    const entries = this.packer.finish();
    const calls = this.calls;
    this.packer = new EntryPacker();
    this.calls = [];
    this.posted += entries.count;
    this.appendsInWriter++;
    this.request({ t: 'append', id: this.nextId++, entries }, { calls, entries: entries.count, append: true }, [
      entries.meta.buffer as ArrayBuffer,
      entries.raw.buffer as ArrayBuffer,
    ]);
  }

  private request(req: WriterRequest, state: Inflight, transfer: ArrayBuffer[] = []): void {
    if (this.failure) {
      this.settleFailed(state, this.failure);
      return;
    }
    if (this.inflight.size === 0) this.worker.ref();
    this.inflight.set(req.id, state);
    this.worker.postMessage(req, transfer);
  }

  /** A write other than append (cursor, prune): resolves with the worker's value once committed. */
  private write(make: (id: number) => WriterRequest): Promise<number> {
    if (this.closed) return Promise.reject(new LogClosedError());
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<number>((resolve, reject) => {
      this.request(make(this.nextId++), { calls: [{ count: 0, resolve: () => undefined, reject }], entries: 0, resolve });
    });
  }

  private onReply(m: Exclude<WriterReply, { t: 'ready' }>): void {
    if (m.t === 'done') {
      if (m.entries > 0) {
        this.stats.commits++;
        this.stats.entries += m.entries;
        this.stats.writerMs += m.ms;
      }
      if (m.buffers) for (const b of m.buffers) recycleBuffer(b);
      for (const r of m.results) {
        const state = this.take(r.id);
        if (!state) continue;
        if (state.resolve) {
          state.resolve(r.value);
          continue;
        }
        let seq = r.value;
        for (const c of state.calls) {
          const seqs: number[] = new Array<number>(c.count);
          for (let i = 0; i < c.count; i++) seqs[i] = seq++;
          c.resolve(seqs);
        }
      }
    } else if (m.t === 'failed') {
      // The transaction rolled back: nothing of these requests is in the log.
      const err = deserializeError(m.error);
      for (const id of m.ids) {
        const state = this.take(id);
        if (state) this.settleFailed(state, err);
      }
    } else {
      this.take(m.id)?.resolve?.(0);
    }
    // Entries held while the writer committed go now.
    if (this.appendsInWriter === 0 && !this.closed) this.flush();
  }

  private take(id: number): Inflight | undefined {
    const state = this.inflight.get(id);
    if (!state) return undefined;
    this.inflight.delete(id);
    this.posted -= state.entries;
    if (state.append) this.appendsInWriter--;
    if (this.inflight.size === 0) this.worker.unref();
    return state;
  }

  private settleFailed(state: Inflight, err: unknown): void {
    for (const c of state.calls) c.reject(err);
  }

  /** The writer thread died (or exited): fail everything waiting and every later write. */
  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    const waiting = [...this.inflight.keys()];
    for (const id of waiting) {
      const state = this.take(id);
      // A close request whose worker exited has done its job.
      if (state?.resolve && this.closed) state.resolve(0);
      else if (state) this.settleFailed(state, err);
    }
    for (const c of this.calls) c.reject(err);
    this.calls = [];
    this.packer = new EntryPacker();
  }

  /** Effective durability settings of the writer (LogSettings). */
  settings(): Promise<LogSettings> {
    return this.ready;
  }

  read(afterSeq: number, limit: number): Promise<LogEntry[]> {
    return this.guard(() => this.reader.read(afterSeq, limit));
  }

  readVin(vin: string, afterSeq: number, limit: number): Promise<LogEntry[]> {
    return this.guard(() => this.reader.readVin(vin, afterSeq, limit));
  }

  /** Entries of one VIN with seq < beforeSeq, newest first (RecentFramesPort of the API). */
  readVinBefore(vin: string, beforeSeq: number, limit: number): Promise<LogEntry[]> {
    return this.guard(() => this.reader.readVinBefore(vin, beforeSeq, limit));
  }

  getCursor(name: string): Promise<number> {
    return this.guard(() => this.reader.getCursor(name));
  }

  async setCursor(name: string, seq: number): Promise<void> {
    await this.write((id) => ({ t: 'cursor', id, name, seq, at: Date.now() }));
  }

  lastSeq(): Promise<number> {
    return this.guard(() => this.reader.lastSeq());
  }

  async prune(beforeMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      // Each chunk is its own request: appends queued meanwhile commit between chunks.
      const n = await this.write((id) => ({ t: 'prune', id, beforeMs, limit: PRUNE_CHUNK }));
      total += n;
      if (n < PRUNE_CHUNK) return total;
    }
  }

  /** Commits everything queued, stops the writer thread and closes both connections. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.flush(true);
    this.closed = true;
    if (this.checkpointer) {
      this.checkpointer.postMessage({ t: 'close' });
      await this.checkpointerClosed;
      await this.checkpointer.terminate();
    }
    // Nothing was ever written: no need to wait for the thread to start just to stop it.
    if (!this.failure && this.nextId > 1) {
      await new Promise<number>((resolve) => {
        this.request({ t: 'close', id: this.nextId++ }, { calls: [], entries: 0, resolve });
      });
    }
    await this.worker.terminate();
    this.reader.close();
  }

  private guard<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new LogClosedError());
    // The writer re-indexes, when it opens, segments whose index commit a crash cut off: reads
    // wait for that (once), or they would miss them until a later read.
    if (!this.recovered) {
      const retry = (): Promise<T> => {
        this.recovered = true;
        return this.guard(fn);
      };
      return this.ready.then(retry, retry);
    }
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
