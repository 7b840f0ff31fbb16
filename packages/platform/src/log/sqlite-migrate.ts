// Migration of a frame log written by the one-row-per-frame layout (table `frames`: seq INTEGER
// PRIMARY KEY AUTOINCREMENT, vin, version, command_id, collected_at, received_at, session_id,
// peer, raw; index frames_vin_seq) to segments (sqlite-schema.ts). Runs when a connection opens
// the file: in ONE transaction every row moves into segments with its seq kept (read in chunks,
// consecutive seqs grouped into segments) and into vin_segments, the high-water mark of
// sqlite_sequence goes to log_state, and `frames` is dropped. A crash midway leaves the old layout; the next open redoes it.
// The dropped table's pages stay in the file as free pages that new segments reuse.
import type Database from 'better-sqlite3';
import { HIGH_SEQ, VIN_INDEXED, type SegmentTables } from './sqlite-schema.js';
import { EntryPacker, SEGMENT_MAX_BYTES } from './sqlite-segment.js';

/** Rows read per query (bounds memory). */
const CHUNK = 10_000;
/** Entries per migrated segment at most (about one group commit of the writer). */
const SEGMENT_FRAMES = 2000;

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

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Moves the rows of an old `frames` table into segments; returns how many (0: nothing to do). */
export function migrateFramesTable(db: Database.Database, tables: SegmentTables): number {
  if (!hasTable(db, 'frames')) return 0;
  const migrate = db.transaction((): number => {
    // Another connection may have migrated between the check above and this write lock.
    if (!hasTable(db, 'frames')) return 0;
    let high = (db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM frames').get() as { seq: number }).seq;
    if (hasTable(db, 'sqlite_sequence')) {
      const row = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'frames'").get() as { seq: number } | undefined;
      if (row && row.seq > high) high = row.seq;
    }
    const read = db.prepare<[number, number], FrameRow>(
      'SELECT seq, vin, version, command_id, collected_at, received_at, session_id, peer, raw FROM frames WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    let packer: EntryPacker | undefined;
    let firstSeq = 0;
    let nextSeq = 0;
    let bytes = 0;
    let moved = 0;
    let made: { firstSeq: number; vins: Set<string> }[] = [];
    const flush = (): void => {
      if (!packer) return;
      const p = packer.finish();
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      const vins = new Set<string>();
      for (const part of p.parts) {
        min = Math.min(min, part.receivedMin);
        max = Math.max(max, part.receivedMax);
        for (const v of part.vins) vins.add(v);
      }
      tables.insert(firstSeq, p.count, min, max, p.meta, p.raw);
      made.push({ firstSeq, vins });
      moved += p.count;
      packer = undefined;
    };
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const rows = read.all(after, CHUNK);
      for (const r of rows) {
        // A segment covers consecutive seqs only: a gap (pruned rows) starts a new one.
        if (packer && (r.seq !== nextSeq || packer.count >= SEGMENT_FRAMES || bytes + r.raw.byteLength > SEGMENT_MAX_BYTES)) flush();
        if (!packer) {
          packer = new EntryPacker();
          firstSeq = r.seq;
          bytes = 0;
        }
        packer.add({
          vin: r.vin,
          version: r.version as 2016 | 2025,
          commandId: r.command_id,
          collectedAt: r.collected_at,
          receivedAt: r.received_at,
          sessionId: r.session_id,
          peer: r.peer,
          raw: r.raw,
        });
        bytes += r.raw.byteLength;
        nextSeq = r.seq + 1;
      }
      if (rows.length < CHUNK) break;
      after = rows[rows.length - 1].seq;
      // The index rows of every segment closed so far, VIN by VIN.
      tables.index(made);
      made = [];
    }
    flush();
    tables.index(made);
    if (high > 0) tables.raise(HIGH_SEQ, high);
    // Every migrated segment is in vin_segments.
    tables.raise(VIN_INDEXED, high + 1);
    // Drops the index frames_vin_seq and the table's sqlite_sequence row with it.
    db.exec('DROP TABLE frames');
    return moved;
  });
  const moved = migrate.immediate();
  // The WAL now holds a copy of the whole log: write it back and truncate it.
  db.pragma('wal_checkpoint(TRUNCATE)');
  return moved;
}
