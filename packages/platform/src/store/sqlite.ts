// Embedded store (store.db): vehicle registry, session events, latest state and history, in one
// WAL-mode SQLite file. synchronous=FULL, like the frame log: the store writer advances its log
// cursor after applyFrames resolves, so a store commit lost on power failure would be a gap that
// no replay fills. Batches are large (one transaction per applyFrames), so the fsync is amortised.
//
// Registry upserts and session events (a few per login, from the gateway's main thread) are
// group-committed (write-batch.ts): the calls of one event-loop turn, or made while the previous
// batch commits, share one transaction, each promise resolving after that commit; the commit runs in
// a thread of its own by default (registry-writes.ts). getVehicle sees upserts still waiting for
// their commit (the login serial rule reads the previous login's serial); the other reads and
// writes of those tables first wait for what is queued, so they see it and come after it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Frame, VehicleLogin2025Body, VehicleLoginBody } from '@nevhub/gbt32960';
import { STORE_SCHEMA } from './schema.js';
import { historySeries, type HistorySeries } from './series.js';
import { StoreWritesThread, storeWriteCommitter, type StoreWrite, type VehicleRow } from './registry-writes.js';
import { WriteBatch, type WriteBatchStats, type WriteOutcome } from './write-batch.js';
import {
  SERIES_FIELDS,
  collectedAtMs,
  contentHash,
  isRealtime,
  mergeSummary,
  summarizeFrame,
  type FrameSummary,
  type SeriesField,
  type StateFields,
} from './summary.js';
import type {
  HistoryRecord,
  LatestState,
  SessionEvent,
  SessionEventKind,
  SessionEventStore,
  TelemetryStore,
  VehicleRecord,
  VehicleRegistry,
} from './types.js';

export interface SqliteStoreOptions {
  dataDir: string;
  /** File name inside dataDir (default store.db). */
  fileName?: string;
  /**
   * 'fsync' (default): synchronous=FULL on this connection. 'os': NORMAL — a commit is not fsync'ed
   * by itself but by the next FULL commit of any connection to the same WAL (see platform.ts).
   */
  durability?: 'fsync' | 'os';
  /** How long a write waits for store.db's write lock held by another connection (default 5,000 ms). */
  busyTimeoutMs?: number;
  /**
   * Where the group commits of registry rows and session events run. 'thread' (default): in a
   * worker thread with its own connection, started at the first such write (registry-writes.ts);
   * the calling thread never blocks on their commit, fsync or lock wait. 'inline': on this
   * connection, at the end of the event-loop turn.
   */
  writes?: 'thread' | 'inline';
}

type Applied = { seq: number; receivedAt: number; frame: Frame };
/** A realtime/reissue entry with its history row and summary computed before the transaction. */
type Prepared = Applied & { row?: Record<string, number | string | null>; at?: number; summary?: FrameSummary };

interface LatestRow {
  vin: string;
  at: number;
  received_at: number;
  seq: number;
  online: number;
  state: string;
}

interface SessionRow {
  vin: string;
  kind: string;
  at: number;
  session_id: string;
  peer: string;
  reason: string | null;
  serial: number | null;
}

const HISTORY_COLUMNS = Object.values(SERIES_FIELDS);

export class SqliteStore implements VehicleRegistry, SessionEventStore, TelemetryStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly applyTx: Database.Transaction<(batch: readonly Prepared[]) => void>;
  private readonly writes: WriteBatch<StoreWrite>;
  private readonly writesMode: 'thread' | 'inline';
  private readonly busyTimeoutMs: number;
  private readonly durability: 'fsync' | 'os';
  /** Inline mode: the committer on this connection (prepared at the first batch). */
  private inlineCommit: ((ops: readonly StoreWrite[]) => WriteOutcome[]) | undefined;
  /** Thread mode: the writes thread, started at the first batch (again after it died). */
  private thread: StoreWritesThread | undefined;
  private closing: Promise<void> | undefined;
  /** Registry rows upserted and not yet committed, by VIN (what getVehicle returns meanwhile). */
  private readonly pendingVehicles = new Map<string, VehicleRow>();
  private closed = false;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.path = join(options.dataDir, options.fileName ?? 'store.db');
    this.db = new Database(this.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.durability === 'os' ? 'NORMAL' : 'FULL'}`);
    this.busyTimeoutMs = Math.max(0, Math.round(options.busyTimeoutMs ?? 5000));
    this.durability = options.durability ?? 'fsync';
    this.writesMode = options.writes ?? 'thread';
    this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    this.db.exec(STORE_SCHEMA);
    const db = this.db;
    this.stmt = {
      getVehicle: db.prepare<[string], VehicleRow>('SELECT * FROM vehicles WHERE vin = ?'),
      deleteVehicle: db.prepare('DELETE FROM vehicles WHERE vin = ?'),
      loginVehicle: db.prepare(
        `INSERT INTO vehicles (vin, enabled, iccid, version, created_at, updated_at) VALUES (?, 1, ?, ?, ?, ?)
         ON CONFLICT (vin) DO UPDATE SET iccid = excluded.iccid, version = excluded.version, updated_at = excluded.updated_at`,
      ),
      events: db.prepare<[string, number, number, number], SessionRow>(
        'SELECT * FROM session_events WHERE vin = ? AND at >= ? AND at <= ? ORDER BY at, id LIMIT ?',
      ),
      pruneEvents: db.prepare('DELETE FROM session_events WHERE at < ?'),
      getApplied: db.prepare<[string], { seq: number }>('SELECT seq FROM applied WHERE vin = ?'),
      setApplied: db.prepare('INSERT INTO applied (vin, seq) VALUES (?, ?) ON CONFLICT (vin) DO UPDATE SET seq = excluded.seq'),
      getLatest: db.prepare<[string], LatestRow>('SELECT * FROM latest_state WHERE vin = ?'),
      allLatest: db.prepare<[], LatestRow>('SELECT * FROM latest_state ORDER BY vin'),
      putLatest: db.prepare(
        `INSERT INTO latest_state (vin, at, received_at, seq, state) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (vin) DO UPDATE SET at = excluded.at, received_at = excluded.received_at, seq = excluded.seq, state = excluded.state`,
      ),
      insertHistory: db.prepare(
        `INSERT OR IGNORE INTO history (vin, at, hash, seq, received_at, reissue, ${HISTORY_COLUMNS.join(', ')}, frame)
         VALUES (@vin, @at, @hash, @seq, @received_at, @reissue, ${HISTORY_COLUMNS.map((c) => '@' + c).join(', ')}, @frame)`,
      ),
      history: db.prepare<[string, number, number, number], { vin: string; at: number; seq: number; reissue: number; frame: string }>(
        'SELECT vin, at, seq, reissue, frame FROM history WHERE vin = ? AND at >= ? AND at <= ? ORDER BY at, seq LIMIT ?',
      ),
      pruneHistory: db.prepare('DELETE FROM history WHERE at < ?'),
    };
    this.applyTx = db.transaction((batch: readonly Prepared[]) => {
      for (const a of batch) this.applyOne(a);
    });
    this.writes = new WriteBatch((ops) => this.commitWrites(ops));
  }

  /** Group-commit counters (transactions, writes, failures): see write-batch.ts. */
  get writeStats(): Readonly<WriteBatchStats> {
    return this.writes.stats;
  }

  // ---- VehicleRegistry ----------------------------------------------------------------------

  getVehicle(vin: string): Promise<VehicleRecord | undefined> {
    return this.run(() => {
      const row = this.pendingVehicles.get(vin) ?? this.stmt.getVehicle.get(vin);
      return row && toVehicle(row);
    });
  }

  /**
   * Merges `v` into the current record (including upserts still waiting for their commit) now, and
   * writes the result in the next group commit; resolves with the merged record once committed.
   */
  upsertVehicle(v: Partial<VehicleRecord> & { vin: string }): Promise<VehicleRecord> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    let rec: VehicleRecord;
    let row: VehicleRow;
    try {
      const now = Date.now();
      const old = this.pendingVehicles.get(v.vin) ?? this.stmt.getVehicle.get(v.vin);
      const defined = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) as Partial<VehicleRecord>;
      rec = { enabled: true, ...(old && toVehicle(old)), ...defined, vin: v.vin, createdAt: old?.created_at ?? now, updatedAt: now };
      row = {
        vin: rec.vin,
        plate: rec.plate ?? null,
        vehicle_type: rec.vehicleType ?? null,
        powertrain: rec.powertrain ?? null,
        enabled: rec.enabled ? 1 : 0,
        iccid: rec.iccid ?? null,
        version: rec.version ?? null,
        last_login_serial: rec.lastLoginSerial ?? null,
        last_login_date: rec.lastLoginDate ?? null,
        created_at: rec.createdAt,
        updated_at: rec.updatedAt,
      };
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.pendingVehicles.set(v.vin, row);
    return this.writes.add({ kind: 'vehicle', row }).then(() => rec);
  }

  listVehicles(filter: { vehicleType?: string; powertrain?: string; text?: string } = {}): Promise<VehicleRecord[]> {
    return this.runAfterWrites(() => {
      const where: string[] = [];
      const args: string[] = [];
      if (filter.vehicleType !== undefined) {
        where.push('vehicle_type = ?');
        args.push(filter.vehicleType);
      }
      if (filter.powertrain !== undefined) {
        where.push('powertrain = ?');
        args.push(filter.powertrain);
      }
      if (filter.text) {
        const like = `%${filter.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
        where.push("(vin LIKE ? ESCAPE '\\' OR plate LIKE ? ESCAPE '\\')");
        args.push(like, like);
      }
      const sql = `SELECT * FROM vehicles ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY vin`;
      return this.db.prepare<string[], VehicleRow>(sql).all(...args).map(toVehicle);
    });
  }

  deleteVehicle(vin: string): Promise<boolean> {
    return this.runAfterWrites(() => this.stmt.deleteVehicle.run(vin).changes > 0);
  }

  // ---- SessionEventStore --------------------------------------------------------------------

  /** Inserted in the next group commit; resolves once committed. */
  recordSessionEvent(ev: SessionEvent): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return this.writes.add({ kind: 'event', ev });
  }

  /** Events of one VIN with fromMs ≤ at ≤ toMs, oldest first. */
  sessionEvents(vin: string, fromMs: number, toMs: number, limit = 1000): Promise<SessionEvent[]> {
    return this.runAfterWrites(() => this.stmt.events.all(vin, fromMs, toMs, limit).map(toSessionEvent));
  }

  pruneSessionEvents(beforeMs: number): Promise<number> {
    return this.runAfterWrites(() => this.stmt.pruneEvents.run(beforeMs).changes);
  }

  // ---- TelemetryStore -----------------------------------------------------------------------

  applyFrames(batch: readonly Applied[]): Promise<void> {
    // Summaries, hashes and JSON are computed before the transaction: it holds store.db's write
    // lock, which other connections (the gateway's registry and presence writes) wait for.
    // BEGIN IMMEDIATE: the transaction reads before it writes, and with a deferred BEGIN a write by
    // another connection in between (the main thread's presence and registry updates) fails the
    // upgrade to a write lock with SQLITE_BUSY at once instead of waiting (busy_timeout).
    const prepared = batch.map(prepare);
    return this.runAfterWrites(() => this.applyTx.immediate(prepared));
  }

  private applyOne({ seq, receivedAt, frame, row, at, summary }: Prepared): void {
    if (!frame.ok || !frame.vin) return;
    const vin = frame.vin;
    // Entries of one VIN arrive in log order (the log is ordered per VIN): anything at or below
    // the high-water mark was applied before (a replay after a crash) and is skipped.
    const applied = this.stmt.getApplied.get(vin)?.seq ?? 0;
    if (seq <= applied) return;
    this.stmt.setApplied.run(vin, seq);
    if (row && at !== undefined && summary) this.applyRealtime(seq, receivedAt, frame, row, at, summary);
    else if (frame.command === 'vehicleLogin' && frame.response === 'command') {
      const body = frame.body as Partial<VehicleLoginBody | VehicleLogin2025Body>;
      this.stmt.loginVehicle.run(vin, body.iccid ?? null, frame.version, receivedAt, receivedAt);
    }
  }

  private applyRealtime(seq: number, receivedAt: number, frame: Frame, row: Record<string, number | string | null>, at: number, summary: FrameSummary): void {
    // INSERT OR IGNORE on (vin, at, hash): a reissued copy of stored data is not stored twice.
    this.stmt.insertHistory.run(row);
    // Latest state: merge frames of the same or a newer collection time; older (reissued) data
    // goes to history only.
    const old = this.stmt.getLatest.get(frame.vin);
    if (old && old.at > at) return;
    const previous = old ? (JSON.parse(old.state) as StateFields) : {};
    const state = mergeSummary(previous, summary);
    this.stmt.putLatest.run(frame.vin, at, receivedAt, seq, JSON.stringify(state));
  }

  latest(vins?: readonly string[]): Promise<LatestState[]> {
    return this.run(() => {
      const rows = vins ? vins.map((v) => this.stmt.getLatest.get(v)).filter((r) => r !== undefined) : this.stmt.allLatest.all();
      return rows.map(toLatest);
    });
  }

  /**
   * Marks a vehicle online/offline (the gateway's session state at every login and disconnect);
   * creates its row if needed. Group-committed with the registry and session events.
   */
  setOnline(vin: string, online: boolean, at: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    return this.writes.add({ kind: 'online', vin, online: online ? 1 : 0, at });
  }

  /** Stored frames of one VIN with fromMs ≤ collection time ≤ toMs, oldest first. */
  history(vin: string, fromMs: number, toMs: number, limit = 10_000): Promise<HistoryRecord[]> {
    return this.run(() =>
      this.stmt.history.all(vin, fromMs, toMs, limit).map((r) => ({
        vin: r.vin,
        at: r.at,
        seq: r.seq,
        reissue: r.reissue === 1,
        frame: JSON.parse(r.frame) as Frame,
      })),
    );
  }

  /** Chart series of key fields; with stepMs, one point per step (see series.ts). */
  historySeries(vin: string, fromMs: number, toMs: number, fields: readonly string[], stepMs?: number): Promise<HistorySeries> {
    return this.run(() => historySeries(this.db, vin, fromMs, toMs, fields, stepMs));
  }

  pruneHistory(beforeMs: number): Promise<number> {
    return this.run(() => this.stmt.pruneHistory.run(beforeMs).changes);
  }

  /** Commits the writes still queued (their promises settle), then closes. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    const flushed = this.writes.flush();
    const thread = this.thread;
    if (!thread && this.writes.pending === 0) {
      // Nothing in flight (always so inline: flush() committed synchronously): close at once.
      this.db.close();
      this.closing = Promise.resolve();
    } else {
      this.closing = flushed.then(async () => {
        await thread?.close();
        this.db.close();
      });
    }
    return this.closing;
  }

  /** One group commit (write-batch.ts): one IMMEDIATE transaction, an outcome per write. */
  private commitWrites(ops: readonly StoreWrite[]): WriteOutcome[] | Promise<WriteOutcome[]> {
    // Committed rows are in the table now, failed ones are not: either way the table is the truth.
    const forget = (): void => {
      for (const op of ops) {
        if (op.kind === 'vehicle' && this.pendingVehicles.get(op.row.vin) === op.row) this.pendingVehicles.delete(op.row.vin);
      }
    };
    if (this.writesMode === 'inline') {
      try {
        this.inlineCommit ??= storeWriteCommitter(this.db);
        return this.inlineCommit(ops);
      } finally {
        forget();
      }
    }
    if (!this.thread || this.thread.failed) {
      this.thread = new StoreWritesThread({ path: this.path, durability: this.durability, busyTimeoutMs: this.busyTimeoutMs });
    }
    const committed = this.thread.commit(ops);
    void committed.then(forget, forget);
    return committed;
  }

  /** For reads and writes of the group-committed tables: after the queued writes (in order). */
  private runAfterWrites<T>(fn: () => T): Promise<T> {
    if (this.closed || this.writes.pending === 0) return this.run(fn);
    // Inline, flush() commits at once and this runs now; with the thread, after its reply.
    return this.writes.flush().then(() => this.run(fn));
  }

  private run<T>(fn: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('store is closed'));
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}

/** The history row and summary of a realtime/reissue entry (pure: runs outside the transaction). */
function prepare(a: Applied): Prepared {
  const { seq, receivedAt, frame } = a;
  if (!frame.ok || !frame.vin || !isRealtime(frame)) return a;
  const at = collectedAtMs(frame, receivedAt);
  const summary = summarizeFrame(frame);
  const row: Record<string, number | string | null> = {
    vin: frame.vin,
    at,
    hash: contentHash(frame),
    seq,
    received_at: receivedAt,
    reissue: frame.command === 'reissue' ? 1 : 0,
    frame: JSON.stringify(frame),
  };
  for (const [field, column] of Object.entries(SERIES_FIELDS)) {
    const v = summary[field as SeriesField];
    row[column] = typeof v === 'number' ? v : null;
  }
  return { ...a, row, at, summary };
}

function toVehicle(r: VehicleRow): VehicleRecord {
  const v: VehicleRecord = { vin: r.vin, enabled: r.enabled === 1, createdAt: r.created_at, updatedAt: r.updated_at };
  if (r.plate !== null) v.plate = r.plate;
  if (r.vehicle_type !== null) v.vehicleType = r.vehicle_type;
  if (r.powertrain !== null) v.powertrain = r.powertrain;
  if (r.iccid !== null) v.iccid = r.iccid;
  if (r.version === 2016 || r.version === 2025) v.version = r.version;
  if (r.last_login_serial !== null) v.lastLoginSerial = r.last_login_serial;
  if (r.last_login_date !== null) v.lastLoginDate = r.last_login_date;
  return v;
}

function toSessionEvent(r: SessionRow): SessionEvent {
  const ev: SessionEvent = { vin: r.vin, kind: r.kind as SessionEventKind, at: r.at, sessionId: r.session_id, peer: r.peer };
  if (r.reason !== null) ev.reason = r.reason;
  if (r.serial !== null) ev.serial = r.serial;
  return ev;
}

function toLatest(r: LatestRow): LatestState {
  return { ...(JSON.parse(r.state) as StateFields), vin: r.vin, at: r.at, receivedAt: r.received_at, online: r.online === 1 };
}
