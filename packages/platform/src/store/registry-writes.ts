// The group-committed writes of SqliteStore (registry rows, session events; write-batch.ts): their
// statements, and the thread that commits them off the main thread.
//
// Why a thread: better-sqlite3 commits on the thread that calls it. On the gateway's main thread a
// batch commit still blocked the event loop for its fsync (synchronous=FULL) and, while the store
// writer thread held store.db's write lock, for the wait in busy_timeout; and since the thread was
// blocked, the next batch could only take what one loop turn had read (≈ 4 writes per commit in
// the gateway benchmark). With the commit in its own thread the main thread only posts the batch,
// keeps reading and answering meanwhile, and the next batch takes everything that queued up during
// the commit (pipelining, as the frame log's writer does).
import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { deserializeError, serializeError, type SerializedError } from '../log/sqlite-protocol.js';
import { startTsWorker } from '../log/ts-worker.js';
import type { SessionEvent } from './types.js';
import type { WriteOutcome } from './write-batch.js';

/** A row of `vehicles` (schema.ts), as read and as written. */
export interface VehicleRow {
  vin: string;
  plate: string | null;
  vehicle_type: string | null;
  powertrain: string | null;
  enabled: number;
  iccid: string | null;
  version: number | null;
  last_login_serial: number | null;
  last_login_date: string | null;
  created_at: number;
  updated_at: number;
}

/** A group-committed write: a registry row as merged at call time, or a session event. */
export type StoreWrite =
  | { kind: 'vehicle'; row: VehicleRow }
  | { kind: 'event'; ev: SessionEvent }
  /** The gateway's presence flag of a vehicle (latest_state.online), set at login and disconnect. */
  | { kind: 'online'; vin: string; online: 0 | 1; at: number };

const PUT_VEHICLE_SQL = `INSERT INTO vehicles (vin, plate, vehicle_type, powertrain, enabled, iccid, version, last_login_serial, last_login_date, created_at, updated_at)
  VALUES (@vin, @plate, @vehicle_type, @powertrain, @enabled, @iccid, @version, @last_login_serial, @last_login_date, @created_at, @updated_at)
  ON CONFLICT (vin) DO UPDATE SET plate = excluded.plate, vehicle_type = excluded.vehicle_type, powertrain = excluded.powertrain,
    enabled = excluded.enabled, iccid = excluded.iccid, version = excluded.version, last_login_serial = excluded.last_login_serial,
    last_login_date = excluded.last_login_date, updated_at = excluded.updated_at`;

const INSERT_EVENT_SQL = 'INSERT INTO session_events (vin, kind, at, session_id, peer, reason, serial) VALUES (?, ?, ?, ?, ?, ?, ?)';

const SET_ONLINE_SQL = `INSERT INTO latest_state (vin, online, online_at) VALUES (?, ?, ?)
  ON CONFLICT (vin) DO UPDATE SET online = excluded.online, online_at = excluded.online_at`;

/**
 * The committer of one connection: one IMMEDIATE transaction per batch, an outcome per write. A
 * failed statement is undone by SQLite and the transaction goes on without it (that write alone
 * fails); if SQLite rolled the whole transaction back (I/O error, disk full) or BEGIN/COMMIT fails,
 * it throws and the whole batch fails.
 */
export function storeWriteCommitter(db: Database.Database): (ops: readonly StoreWrite[]) => WriteOutcome[] {
  const putVehicle = db.prepare(PUT_VEHICLE_SQL);
  const insertEvent = db.prepare(INSERT_EVENT_SQL);
  const setOnline = db.prepare(SET_ONLINE_SQL);
  const writeOne = (op: StoreWrite): WriteOutcome => {
    try {
      if (op.kind === 'vehicle') putVehicle.run(op.row);
      else if (op.kind === 'online') setOnline.run(op.vin, op.online, op.at);
      else {
        const ev = op.ev;
        insertEvent.run(ev.vin, ev.kind, ev.at, ev.sessionId, ev.peer, ev.reason ?? null, ev.serial ?? null);
      }
      return undefined;
    } catch (err) {
      if (!db.inTransaction) throw err;
      return err instanceof Error ? err : new Error(String(err));
    }
  };
  const tx = db.transaction((ops: readonly StoreWrite[]) => ops.map(writeOne));
  return (ops) => tx.immediate(ops);
}

// ---- the writes thread ----------------------------------------------------------------------

export interface StoreWritesInit {
  path: string;
  durability: 'fsync' | 'os';
  busyTimeoutMs: number;
}

export type StoreWritesRequest = { t: 'commit'; id: number; ops: StoreWrite[] } | { t: 'close' };

export type StoreWritesReply =
  | { t: 'committed'; id: number; errors: (SerializedError | null)[] }
  | { t: 'failed'; id: number; error: SerializedError }
  | { t: 'closed' };

/** The main thread's handle on registry-writes.worker.ts: commit(ops) resolves with the outcomes. */
export class StoreWritesThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (o: WriteOutcome[]) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private exited = false;

  constructor(init: StoreWritesInit) {
    this.worker = startTsWorker('store/registry-writes.worker.ts', init);
    // Idle, the thread does not keep the process alive; a commit in flight does (see commit()).
    this.worker.unref();
    this.worker.on('message', (m: StoreWritesReply) => {
      if (m.t === 'closed') return;
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (m.t === 'committed') w.resolve(m.errors.map((e) => (e ? deserializeError(e) : undefined)));
      else w.reject(deserializeError(m.error));
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.fail(new Error(`store writes thread exited (code ${code})`));
    });
  }

  /** True once the thread died: its owner starts a new one for the next batch. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  commit(ops: readonly StoreWrite[]): Promise<WriteOutcome[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<WriteOutcome[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      const request: StoreWritesRequest = { t: 'commit', id, ops: ops as StoreWrite[] };
      this.worker.postMessage(request);
    });
  }

  /** Waits for the commits posted so far (the thread answers in order), then stops the thread. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.exited) {
        resolve();
        return;
      }
      this.worker.once('exit', () => resolve());
      this.worker.ref();
      const request: StoreWritesRequest = { t: 'close' };
      this.worker.postMessage(request);
    });
    return this.closing;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

export function serializeOutcomes(outcomes: readonly WriteOutcome[]): (SerializedError | null)[] {
  return outcomes.map((o) => (o ? serializeError(o) : null));
}
