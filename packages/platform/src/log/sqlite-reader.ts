// A connection to the frame log for reading (and for cursor updates by a consumer that runs in
// its own thread). WAL lets any number of these read while the writer worker commits: a read
// sees every transaction committed before it started, never a partial one.
import type Database from 'better-sqlite3';
import { highWaterSeq, LOG_COLUMNS, openLogDb, toEntry, type FrameRow, type LogDurability } from './sqlite-schema.js';
import type { LogEntry } from './types.js';

export class SqliteLogReader {
  readonly db: Database.Database;
  private readonly readAll: Database.Statement<[number, number], FrameRow>;
  private readonly readByVin: Database.Statement<[string, number, number], FrameRow>;
  private readonly readByVinBefore: Database.Statement<[string, number, number], FrameRow>;
  private readonly getCursorStmt: Database.Statement<[string], { seq: number }>;
  private readonly setCursorStmt: Database.Statement;

  constructor(path: string, durability: LogDurability = 'fsync') {
    this.db = openLogDb(path, durability);
    this.readAll = this.db.prepare(`SELECT ${LOG_COLUMNS} FROM frames WHERE seq > ? ORDER BY seq LIMIT ?`);
    this.readByVin = this.db.prepare(`SELECT ${LOG_COLUMNS} FROM frames WHERE vin = ? AND seq > ? ORDER BY seq LIMIT ?`);
    this.readByVinBefore = this.db.prepare(`SELECT ${LOG_COLUMNS} FROM frames WHERE vin = ? AND seq < ? ORDER BY seq DESC LIMIT ?`);
    this.getCursorStmt = this.db.prepare('SELECT seq FROM cursors WHERE name = ?');
    this.setCursorStmt = this.db.prepare(
      'INSERT INTO cursors (name, seq, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at',
    );
  }

  read(afterSeq: number, limit: number): LogEntry[] {
    return this.readAll.all(afterSeq, limit).map(toEntry);
  }

  readVin(vin: string, afterSeq: number, limit: number): LogEntry[] {
    return this.readByVin.all(vin, afterSeq, limit).map(toEntry);
  }

  /** Entries of one VIN with seq < beforeSeq, newest first (the API's recent frames). */
  readVinBefore(vin: string, beforeSeq: number, limit: number): LogEntry[] {
    return this.readByVinBefore.all(vin, beforeSeq, limit).map(toEntry);
  }

  getCursor(name: string): number {
    return this.getCursorStmt.get(name)?.seq ?? 0;
  }

  /** Writes a cursor on this connection (a consumer thread; the main thread goes through the writer). */
  setCursor(name: string, seq: number): void {
    this.setCursorStmt.run(name, seq, Date.now());
  }

  lastSeq(): number {
    return highWaterSeq(this.db);
  }

  close(): void {
    this.db.close();
  }
}
