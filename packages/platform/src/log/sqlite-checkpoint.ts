// WAL checkpoints of the frame log, off the writer's commit path.
//
// SQLite's automatic checkpoint runs inside the commit that crosses wal_autocheckpoint: the
// committing thread copies the whole WAL into the database file and fsyncs it, tens of ms every
// few hundred ms under load, during which no append commits and no terminal gets its reply
// (measured: ≈ 30 % of the log writer's time, and the p99 reply latency). With a Checkpointer on
// its own thread (sqlite-checkpoint.worker.ts) the writer runs with wal_autocheckpoint = 0 and only
// appends to the WAL.
//
// https://sqlite.org/wal.html "Checkpointing" and https://sqlite.org/pragma.html#pragma_wal_checkpoint:
// - PASSIVE copies every WAL frame that no reader still needs, without taking any lock that the
//   writer or the readers wait for. It runs alongside the writer's commits.
// - The WAL file is rewritten from its start only when a writer begins a transaction while the
//   WAL is wholly copied. Under a steady stream of commits a PASSIVE pass seldom wins that race, so
//   once the WAL holds `restartPages` pages a RESTART checkpoint takes the writer lock for a moment
//   (PASSIVE has just copied nearly everything), finishes, and makes the next commit start the WAL
//   again. Its busy timeout is short: if the writer or a reader holds on, RESTART gives up, having
//   done a PASSIVE pass, and is tried again on the next tick. The writer waits through its own
//   busy_timeout meanwhile (a few ms once per restart).
// Crash safety is SQLite's: any connection may checkpoint, at any time.
import type Database from 'better-sqlite3';

export interface CheckpointResult {
  /** Pages in the WAL after the pass. */
  walPages: number;
  /** Pages this pass copied into the database file, and their bytes. */
  copiedPages: number;
  copiedBytes: number;
  /** The WAL will start again from its beginning (RESTART succeeded). */
  restarted: boolean;
  /** A RESTART was wanted but the writer or a reader held on (retried on the next tick). */
  busy: boolean;
  ms: number;
}

/** Defaults: a pass every 100 ms; RESTART once the WAL holds 16 MiB (256 pages of 64 KiB). */
export const CHECKPOINT_INTERVAL_MS = 100;
export const WAL_RESTART_BYTES = 16 << 20;
/** How long a RESTART waits for the writer's transaction or a reader before giving up (ms). */
export const RESTART_BUSY_MS = 20;

interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

export class Checkpointer {
  /** WAL pages already in the database file after the previous pass. */
  private copied = 0;
  private readonly pageSize: number;

  constructor(
    private readonly db: Database.Database,
    /** WAL pages (of this file's page size) that make a pass RESTART. */
    private readonly restartPages: number,
  ) {
    this.pageSize = db.pragma('page_size', { simple: true }) as number;
  }

  /** One pass: PASSIVE, then RESTART when the WAL has grown to restartPages. */
  run(): CheckpointResult {
    const t0 = performance.now();
    let row = this.checkpoint('PASSIVE');
    let restarted = false;
    let busy = false;
    if (row.log >= this.restartPages) {
      row = this.checkpoint('RESTART');
      restarted = row.busy === 0;
      busy = !restarted;
    }
    const now = Math.max(0, row.checkpointed);
    // The count starts again from 0 once the writer has started the WAL again.
    const copiedPages = now >= this.copied ? now - this.copied : now;
    this.copied = restarted ? 0 : now;
    return { walPages: Math.max(0, row.log), copiedPages, copiedBytes: copiedPages * this.pageSize, restarted, busy, ms: performance.now() - t0 };
  }

  private checkpoint(mode: 'PASSIVE' | 'RESTART'): CheckpointRow {
    const rows = this.db.pragma(`wal_checkpoint(${mode})`) as CheckpointRow[];
    return rows[0] ?? { busy: 0, log: -1, checkpointed: -1 };
  }
}
