// Shared by the frame log's writer (a worker thread) and its readers: the table layout, opening a
// connection with the log's pragmas, and the row → LogEntry mapping.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Version } from '@nevhub/gbt32960';
import type { LogEntry, NewLogEntry } from './types.js';

/**
 * How far an acknowledged append is durable. 'fsync' (default): synchronous=FULL, the WAL is
 * fsync'ed at every commit, so an acknowledged frame survives a process crash and a power cut.
 * 'os': synchronous=NORMAL, the commit is in the OS page cache; in WAL mode that survives a crash
 * of the process but the last commits may roll back after a power cut or kernel panic.
 */
export type LogDurability = 'fsync' | 'os';

export const LOG_SCHEMA = `
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

export const LOG_COLUMNS = 'seq, vin, version, command_id, collected_at, received_at, session_id, peer, raw';

export interface FrameRow {
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

/** Opens (creating when missing) the log database in WAL mode with the schema in place. */
export function openLogDb(path: string, durability: LogDurability): Database.Database {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${durability === 'os' ? 'NORMAL' : 'FULL'}`);
  // Two connections write (the appender worker, and cursor updates of consumers in other
  // threads): a writer waits for the other's transaction instead of failing with SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  db.exec(LOG_SCHEMA);
  return db;
}

/**
 * Highest seq ever assigned: AUTOINCREMENT keeps it in sqlite_sequence, so a fully pruned log does
 * not restart at seq 1 (cursors of consumers would then skip new frames).
 */
export function highWaterSeq(db: Database.Database): number {
  const row = db
    .prepare(
      "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'frames'), 0), coalesce((SELECT max(seq) FROM frames), 0)) AS seq",
    )
    .get() as { seq: number };
  return row.seq;
}

export function toEntry(r: FrameRow): LogEntry {
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

export function isValidEntry(e: NewLogEntry): boolean {
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
