// Shared by the frame log's writer (a worker thread) and its readers: the table layout, opening a
// connection with the log's pragmas (and migrating a log of the one-row-per-frame layout), the
// high-water seq and the segment insert.
//
// Layout: one row of `segments` per group commit, pointing at the segment's bytes in a segment
// file (sqlite-files.ts; sqlite-segment.ts has the meta and raw formats; a row of an earlier
// release holds them as blobs), so the writer inserts one row per commit instead of one per frame. Entry i of a segment has seq
// first_seq + i. `vin_segments` has one row per (VIN, segment holding that VIN): per-VIN reads
// open only that VIN's segments. Its rows are written in batches (LogWriter): segments with
// first_seq >= log_state.vin_indexed (the last few dozen) have none yet and readers look into them
// directly. Seqs are never reused: `log_state.high_seq` keeps the highest seq assigned once the
// segments holding it are pruned. Prune (LogWriter.prune) is exact per frame for readers
// (`pruned_before` hides the older entries of a segment that straddles the limit) while the space
// is reclaimed per segment, i.e. per group commit (milliseconds of frames).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrateFramesTable } from './sqlite-migrate.js';
import type { SegmentLocation } from './sqlite-files.js';
import type { NewLogEntry } from './types.js';

/**
 * How far an acknowledged append is durable. 'fsync' (default): synchronous=FULL, the WAL is
 * fsync'ed at every commit, so an acknowledged frame survives a process crash and a power cut.
 * 'os': synchronous=NORMAL, the commit is in the OS page cache; in WAL mode that survives a crash
 * of the process but the last commits may roll back after a power cut or kernel panic.
 */
export type LogDurability = 'fsync' | 'os';

// Small columns first: a header read (first_seq .. pruned) never touches the blobs' pages.
export const LOG_SCHEMA = `
CREATE TABLE IF NOT EXISTS segments (
  first_seq INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  received_min INTEGER NOT NULL,
  received_max INTEGER NOT NULL,
  pruned_before INTEGER,
  pruned INTEGER NOT NULL DEFAULT 0,
  file INTEGER,
  file_offset INTEGER,
  meta_bytes INTEGER,
  raw_bytes INTEGER,
  meta BLOB NOT NULL,
  raw BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS segments_received_min ON segments (received_min);
CREATE TABLE IF NOT EXISTS vin_segments (
  vin TEXT NOT NULL,
  first_seq INTEGER NOT NULL,
  PRIMARY KEY (vin, first_seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS log_state (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cursors (
  name TEXT PRIMARY KEY,
  seq INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

/** WAL size at which a log connection that checkpoints inside its commits does so (16 MiB). */
export const AUTOCHECKPOINT_BYTES = 16 << 20;

/** `bytes` of WAL in pages of this database (at least 1). */
export function walPages(db: Database.Database, bytes: number): number {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  return Math.max(1, Math.round(bytes / pageSize));
}

/** Opens (creating when missing) the log database in WAL mode with the schema in place. */
export function openLogDb(path: string, durability: LogDurability): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'os' ? 'NORMAL' : 'FULL'}`);
  // Two connections write (the appender worker, and cursor updates of consumers in other
  // threads): a writer waits for the other's transaction instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  // Checkpoint when the WAL holds 16 MiB rather than SQLite's 1,000 pages: each checkpoint ends
  // with an fsync of the database file, so this is fewer of those per frame logged.
  // (SqliteFrameLog's writer turns this off and checkpoints on its own thread: sqlite-checkpoint.ts.)
  db.pragma(`wal_autocheckpoint = ${walPages(db, AUTOCHECKPOINT_BYTES)}`);
  db.exec(LOG_SCHEMA);
  addFileColumns(db);
  migrateFramesTable(db, new SegmentTables(db));
  return db;
}

/**
 * Segment rows point into the segment files (sqlite-files.ts): file = the file's first seq,
 * file_offset = the segment's header, meta_bytes / raw_bytes. NULL in a row of an earlier release,
 * whose bytes are the meta and raw blobs (empty in a file row). Added to a log created before.
 */
const FILE_COLUMNS = ['file', 'file_offset', 'meta_bytes', 'raw_bytes'];

function addFileColumns(db: Database.Database): void {
  const have = new Set((db.pragma('table_info(segments)') as { name: string }[]).map((c) => c.name));
  for (const name of FILE_COLUMNS) {
    if (have.has(name)) continue;
    try {
      db.exec(`ALTER TABLE segments ADD COLUMN ${name} INTEGER`);
    } catch (err) {
      // Another connection added it meanwhile.
      if (!/duplicate column/i.test((err as Error).message)) throw err;
    }
  }
}

/**
 * Highest seq ever assigned: the last segment's, or the mark prune left in log_state, so a fully
 * pruned log does not restart at seq 1 (cursors of consumers would then skip new frames).
 */
export function highWaterSeq(db: Database.Database): number {
  return (db.prepare(HIGH_WATER_SQL).get() as { seq: number }).seq;
}

export const HIGH_WATER_SQL =
  "SELECT max(coalesce((SELECT value FROM log_state WHERE key = 'high_seq'), 0), coalesce((SELECT last_seq FROM segments ORDER BY first_seq DESC LIMIT 1), 0)) AS seq";


/** log_state keys: highest seq ever assigned; first seq not covered by vin_segments. */
export const HIGH_SEQ = 'high_seq';
export const VIN_INDEXED = 'vin_indexed';
/** The writer adds vin_segments rows once this many segments are unindexed (LogWriter). */
export const INDEX_SEGMENTS = 32;

/** Writes segments, their vin_segments rows and log_state (inside the caller's transaction). */
export class SegmentTables {
  private readonly insertSegment: Database.Statement;
  private readonly insertFileSegment: Database.Statement;
  private readonly insertVin: Database.Statement;
  private readonly setHigh: Database.Statement;
  private readonly setState: Database.Statement;
  private readonly getState: Database.Statement<[string], { value: number }>;

  constructor(db: Database.Database) {
    this.insertSegment = db.prepare('INSERT INTO segments (first_seq, last_seq, received_min, received_max, meta, raw) VALUES (?, ?, ?, ?, ?, ?)');
    this.insertFileSegment = db.prepare(
      "INSERT INTO segments (first_seq, last_seq, received_min, received_max, file, file_offset, meta_bytes, raw_bytes, meta, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, x'', x'')",
    );
    this.insertVin = db.prepare('INSERT INTO vin_segments (vin, first_seq) VALUES (?, ?)');
    this.setHigh = db.prepare('INSERT INTO log_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)');
    this.setState = db.prepare('INSERT INTO log_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.getState = db.prepare('SELECT value FROM log_state WHERE key = ?');
  }

  /** One segment: `count` entries with seqs firstSeq.. (no vin_segments rows: see index()). */
  insert(firstSeq: number, count: number, receivedMin: number, receivedMax: number, meta: Uint8Array, raw: Uint8Array): void {
    this.insertSegment.run(firstSeq, firstSeq + count - 1, receivedMin, receivedMax, meta, raw);
  }

  /** One segment whose bytes are in a segment file (sqlite-files.ts). */
  insertFile(firstSeq: number, count: number, receivedMin: number, receivedMax: number, loc: SegmentLocation): void {
    this.insertFileSegment.run(firstSeq, firstSeq + count - 1, receivedMin, receivedMax, loc.file, loc.offset, loc.metaBytes, loc.rawBytes);
  }

  /**
   * The vin_segments rows of several segments ({ firstSeq, vins } in seq order), grouped by VIN so
   * that each VIN's rows go into its B-tree leaf together (one page per VIN, not per segment).
   */
  index(segments: readonly { firstSeq: number; vins: Iterable<string> }[]): void {
    const byVin = new Map<string, number[]>();
    for (const s of segments) {
      for (const vin of s.vins) {
        const list = byVin.get(vin);
        if (list) list.push(s.firstSeq);
        else byVin.set(vin, [s.firstSeq]);
      }
    }
    for (const vin of [...byVin.keys()].sort()) for (const f of byVin.get(vin) ?? []) this.insertVin.run(vin, f);
  }

  /** Raises a log_state value (HIGH_SEQ, VIN_INDEXED); never lowers it. */
  raise(key: string, value: number): void {
    this.setHigh.run(key, value);
  }

  /** Sets a log_state value, lower or higher (recovery lowers VIN_INDEXED). */
  set(key: string, value: number): void {
    this.setState.run(key, value);
  }

  state(key: string): number {
    return this.getState.get(key)?.value ?? 0;
  }
}

export function isValidEntry(e: NewLogEntry): boolean {
  return (
    typeof e.vin === 'string' &&
    (e.version === 2016 || e.version === 2025) &&
    // The command ID is one byte (../shared/spec/gbt32960.md §1, §3); stored as u16.
    Number.isInteger(e.commandId) &&
    e.commandId >= 0 &&
    e.commandId <= 0xffff &&
    (e.collectedAt === null || typeof e.collectedAt === 'string') &&
    Number.isFinite(e.receivedAt) &&
    typeof e.sessionId === 'string' &&
    typeof e.peer === 'string' &&
    e.raw instanceof Uint8Array
  );
}
