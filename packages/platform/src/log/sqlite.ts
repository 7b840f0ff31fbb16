// SQLite FrameLog (the embedded deployment's spine, architecture.md): one append-only table in a
// WAL-mode database file, written by one connection. Appends are group-committed: every append()
// arriving before the next flush shares one transaction, and each promise resolves only after
// that transaction is committed with synchronous=FULL (the WAL is fsync'ed at every commit), so
// an acknowledged frame survives a process crash and a power loss. NORMAL would only fsync at
// checkpoints: the last commits could roll back after a power cut, which breaks "the gateway
// answers only after the frame is durable".
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Version } from '@nevhub/gbt32960';
import { LogClosedError, LogFullError } from './errors.js';
import type { FrameLog, LogEntry, NewLogEntry } from './types.js';

export interface SqliteFrameLogOptions {
  /** Directory of the database file (created when missing). */
  dataDir: string;
  /** File name inside dataDir (default frames.db). */
  fileName?: string;
  /** At most this many entries wait for a commit; beyond it append() rejects with LogFullError. */
  maxPending?: number;
  /** A batch is committed at once when it reaches this many entries (default 2000). */
  maxBatch?: number;
  /**
   * How long the first entry of a batch waits for company, in ms. 0 (default) = until the end of
   * the current event-loop turn (setImmediate): every append of the same tick shares the commit.
   */
  maxWaitMs?: number;
  /** 'full' (default, durable on power loss) or 'normal' (durable on process crash only). */
  synchronous?: 'full' | 'normal';
}

interface Pending {
  entries: NewLogEntry[];
  resolve: (seqs: number[]) => void;
  reject: (err: unknown) => void;
}

interface FrameRow {
  seq: number;
  vin: string;
  version: number;
  command_id: number;
  collected_at: string | null;
  received_at: number;
  session_id: string;
  peer: string;
  raw: Buffer;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS frames (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  vin TEXT NOT NULL,
  version INTEGER NOT NULL,
  command_id INTEGER NOT NULL,
  collected_at TEXT,
  received_at INTEGER NOT NULL,
  session_id TEXT NOT NULL,
  peer TEXT NOT NULL,
  raw BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS frames_vin_seq ON frames (vin, seq);
CREATE TABLE IF NOT EXISTS cursors (
  name TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

const COLUMNS = 'seq, vin, version, command_id, collected_at, received_at, session_id, peer, raw';
/** Rows deleted per prune transaction, so that appends interleave with a long prune. */
const PRUNE_CHUNK = 5000;

export class SqliteFrameLog implements FrameLog {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly maxPending: number;
  private readonly maxBatch: number;
  private readonly maxWaitMs: number;
  private queue: Pending[] = [];
  private queued = 0;
  private scheduled = false;
  private closed = false;
  /** Next seq to assign; seqs are assigned here (single writer) and never reused, even after prune. */
  private nextSeq: number;
  private readonly insert: Database.Statement;
  private readonly readAll: Database.Statement<[number, number], FrameRow>;
  private readonly readByVin: Database.Statement<[string, number, number], FrameRow>;
  private readonly getCursorStmt: Database.Statement<[string], { seq: number }>;
  private readonly setCursorStmt: Database.Statement;
  private readonly pruneStmt: Database.Statement;
  private readonly writeBatch: (entries: readonly NewLogEntry[], first: number) => void;

  constructor(options: SqliteFrameLogOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.path = join(options.dataDir, options.fileName ?? 'frames.db');
    this.maxPending = options.maxPending ?? 50_000;
    this.maxBatch = options.maxBatch ?? 2000;
    this.maxWaitMs = options.maxWaitMs ?? 0;
    this.db = new Database(this.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    // AUTOINCREMENT keeps the high-water mark in sqlite_sequence, so a fully pruned log does not
    // restart at seq 1 (cursors of consumers would then skip new frames).
    const hw = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'frames'").get() as { seq: number } | undefined;
    const max = this.db.prepare('SELECT max(seq) AS seq FROM frames').get() as { seq: number | null };
    this.nextSeq = Math.max(hw?.seq ?? 0, max.seq ?? 0) + 1;
    this.insert = this.db.prepare(
      'INSERT INTO frames (seq, vin, version, command_id, collected_at, received_at, session_id, peer, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.readAll = this.db.prepare(`SELECT ${COLUMNS} FROM frames WHERE seq > ? ORDER BY seq LIMIT ?`);
    this.readByVin = this.db.prepare(`SELECT ${COLUMNS} FROM frames WHERE vin = ? AND seq > ? ORDER BY seq LIMIT ?`);
    this.getCursorStmt = this.db.prepare('SELECT seq FROM cursors WHERE name = ?');
    this.setCursorStmt = this.db.prepare(
      'INSERT INTO cursors (name, seq, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at',
    );
    this.pruneStmt = this.db.prepare(
      'DELETE FROM frames WHERE seq IN (SELECT seq FROM frames WHERE received_at < ? ORDER BY seq LIMIT ?)',
    );
    this.writeBatch = this.db.transaction((entries: readonly NewLogEntry[], first: number) => {
      let seq = first;
      for (const e of entries) {
        this.insert.run(seq++, e.vin, e.version, e.commandId, e.collectedAt, e.receivedAt, e.sessionId, e.peer, e.raw);
      }
    });
  }

  /** Commits and entries written since open (group-commit efficiency = entries / commits). */
  readonly stats = { commits: 0, entries: 0 };

  /** Entries waiting for their commit. */
  get pending(): number {
    return this.queued;
  }

  append(entries: readonly NewLogEntry[]): Promise<number[]> {
    if (this.closed) return Promise.reject(new LogClosedError());
    if (entries.length === 0) return Promise.resolve([]);
    if (this.queued + entries.length > this.maxPending) {
      return Promise.reject(new LogFullError(this.queued + entries.length, this.maxPending));
    }
    // A malformed entry fails its own call only, never the group commit it would have joined.
    const invalid = entries.find((e) => !isValidEntry(e));
    if (invalid) return Promise.reject(new TypeError(`invalid log entry for VIN ${String(invalid.vin)}`));
    // Copy raw now: the gateway passes splitter views, valid only until its next push.
    const copies = entries.map((e) => ({ ...e, raw: Buffer.from(e.raw) }));
    return new Promise<number[]>((resolve, reject) => {
      this.queue.push({ entries: copies, resolve, reject });
      this.queued += copies.length;
      if (this.queued >= this.maxBatch) this.flush();
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

  /** Writes every queued entry in one transaction, then settles their promises. */
  private flush(): void {
    if (this.queue.length === 0 || this.closed) return;
    const batch = this.queue;
    this.queue = [];
    this.queued = 0;
    const all: NewLogEntry[] = [];
    for (const p of batch) for (const e of p.entries) all.push(e);
    const first = this.nextSeq;
    try {
      this.writeBatch(all, first);
    } catch (err) {
      // The transaction rolled back: nothing of this batch is in the log; seqs are not consumed.
      for (const p of batch) p.reject(err);
      return;
    }
    this.nextSeq = first + all.length;
    this.stats.commits++;
    this.stats.entries += all.length;
    let seq = first;
    for (const p of batch) {
      const seqs: number[] = [];
      for (let i = 0; i < p.entries.length; i++) seqs.push(seq++);
      p.resolve(seqs);
    }
  }

  /** Effective durability settings (journal_mode, synchronous: 1 NORMAL, 2 FULL). */
  settings(): { journalMode: string; synchronous: number } {
    return {
      journalMode: this.db.pragma('journal_mode', { simple: true }) as string,
      synchronous: this.db.pragma('synchronous', { simple: true }) as number,
    };
  }

  read(afterSeq: number, limit: number): Promise<LogEntry[]> {
    return this.guard(() => this.readAll.all(afterSeq, limit).map(toEntry));
  }

  readVin(vin: string, afterSeq: number, limit: number): Promise<LogEntry[]> {
    return this.guard(() => this.readByVin.all(vin, afterSeq, limit).map(toEntry));
  }

  getCursor(name: string): Promise<number> {
    return this.guard(() => this.getCursorStmt.get(name)?.seq ?? 0);
  }

  setCursor(name: string, seq: number): Promise<void> {
    return this.guard(() => {
      this.setCursorStmt.run(name, seq, Date.now());
    });
  }

  lastSeq(): Promise<number> {
    return this.guard(() => this.nextSeq - 1);
  }

  async prune(beforeMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.guard(() => this.pruneStmt.run(beforeMs, PRUNE_CHUNK).changes);
      total += n;
      if (n < PRUNE_CHUNK) return total;
      // Let queued appends commit between chunks.
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.flush();
    this.closed = true;
    this.db.close();
    return Promise.resolve();
  }

  private guard<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new LogClosedError());
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

function isValidEntry(e: NewLogEntry): boolean {
  return (
    typeof e.vin === 'string' &&
    (e.version === 2016 || e.version === 2025) &&
    Number.isInteger(e.commandId) &&
    (e.collectedAt === null || typeof e.collectedAt === 'string') &&
    Number.isFinite(e.receivedAt) &&
    typeof e.sessionId === 'string' &&
    typeof e.peer === 'string' &&
    e.raw instanceof Uint8Array
  );
}

function toEntry(r: FrameRow): LogEntry {
  return {
    seq: r.seq,
    vin: r.vin,
    version: r.version as Version,
    commandId: r.command_id,
    collectedAt: r.collected_at,
    receivedAt: r.received_at,
    sessionId: r.session_id,
    peer: r.peer,
    raw: new Uint8Array(r.raw.buffer, r.raw.byteOffset, r.raw.byteLength),
  };
}
