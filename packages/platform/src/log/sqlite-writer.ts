// The frame log's single writer (runs inside the writer worker, sqlite-writer.worker.ts): assigns
// seqs and commits a group of requests in one transaction. Synchronous by design: better-sqlite3
// blocks its thread for the commit and its fsync, which is why this lives off the main thread.
//
// A segment's bytes go to the segment files (sqlite-files.ts), its row to `segments`: within the
// transaction the segments are written to the file and fdatasynced (durability 'fsync'), then the
// rows commit (synchronous=NORMAL: the index is rebuilt from the files after a power cut, see
// recover()). A failed transaction cuts the file back: nothing of it stays, no seq is consumed.
//
// A transaction's appends become ONE segment row (more only past SEGMENT_MAX_BYTES): the main
// thread already encoded the entries (sqlite-segment.ts), so the work here is per segment, not per
// frame. The per-VIN index is written every INDEX_SEGMENTS segments, grouped by VIN: one row per
// (VIN, segment) in either case, but a VIN's rows of many segments land in its B-tree leaf at once
// (row by row per commit, each commit dirtied one random index page per VIN it held).
import type Database from 'better-sqlite3';
import {
  FILE_MAX_AGE_MS,
  FILE_MAX_BYTES,
  fileHeaders,
  listSegmentFiles,
  locationOf,
  readSegmentAt,
  recordBytes,
  SegmentFileReader,
  SegmentFileWriter,
  type RowPlace,
  type SegmentLocation,
} from './sqlite-files.js';
import { HIGH_SEQ, highWaterSeq, INDEX_SEGMENTS, SegmentTables, VIN_INDEXED, type LogDurability } from './sqlite-schema.js';
import { decodeMeta, SEGMENT_MAX_BYTES, type PackedEntries } from './sqlite-segment.js';

export type TxRequest =
  | { t: 'append'; id: number; entries: PackedEntries }
  | { t: 'cursor'; id: number; name: string; seq: number; at: number };

/** Parts of one request's buffers that go into the segment being built. */
interface Piece {
  entries: PackedEntries;
  /** Parts [from, to) of entries.parts. */
  from: number;
  to: number;
}

interface PruneCandidate {
  first_seq: number;
  last_seq: number;
  received_max: number;
  pruned_before: number | null;
  pruned: number;
}

/** A segment row: its seqs and where its bytes are. */
interface SegmentRow extends RowPlace {
  first_seq: number;
  last_seq: number;
}

export interface LogWriterOptions {
  /** 'fsync' (default): each commit's file bytes are fdatasynced before its rows commit. */
  durability?: LogDurability;
  /** Segment file limits (tests use small ones). */
  fileMaxBytes?: number;
  fileMaxAgeMs?: number;
}

/** Segments examined per query of a prune. */
const PRUNE_SCAN = 64;

interface Unindexed {
  firstSeq: number;
  vins: Iterable<string>;
}

export class LogWriter {
  /** Next seq to assign; seqs are assigned here (single writer) and never reused, even after prune. */
  private nextSeq: number;
  private readonly tables: SegmentTables;
  private readonly setCursorStmt: Database.Statement;
  private readonly pruneCandidates: Database.Statement<[number, number, number], PruneCandidate>;
  private readonly segmentMeta: Database.Statement<[number], SegmentRow & { meta: Buffer }>;
  private readonly firstFrom: Database.Statement<[number], { file: number | null }>;
  private readonly files: SegmentFileWriter;
  private readonly fileReader: SegmentFileReader;
  private readonly deleteSegment: Database.Statement;
  private readonly deleteVin: Database.Statement;
  private readonly hideBefore: Database.Statement;
  private readonly tx: Database.Transaction<(requests: readonly TxRequest[]) => { id: number; value: number }[]>;
  private readonly pruneTx: Database.Transaction<(beforeMs: number, limit: number) => number>;
  // The segment being built by the current transaction.
  private segFirst = 0;
  private segCount = 0;
  private segBytes = 0;
  private pieces: Piece[] = [];
  /** Committed segments without vin_segments rows (first_seq >= log_state.vin_indexed), in seq order. */
  private unindexed: Unindexed[] = [];
  /** Segments written by the transaction being run (moved to `unindexed` once it commits). */
  private written: Unindexed[] = [];
  private indexedInTx = false;
  private vinIndexed: number;
  /** Segments deleted by the prune transaction being run. */
  private removed: number[] = [];

  constructor(
    private readonly db: Database.Database,
    options: LogWriterOptions = {},
  ) {
    this.tables = new SegmentTables(db);
    this.files = new SegmentFileWriter(db.name, (options.durability ?? 'fsync') === 'fsync', {
      maxBytes: options.fileMaxBytes ?? FILE_MAX_BYTES,
      maxAgeMs: options.fileMaxAgeMs ?? FILE_MAX_AGE_MS,
    });
    this.fileReader = new SegmentFileReader(this.files.dir);
    this.segmentMeta = db.prepare('SELECT first_seq, last_seq, file, file_offset, meta_bytes, raw_bytes, meta FROM segments WHERE first_seq = ?');
    this.firstFrom = db.prepare('SELECT file FROM segments WHERE first_seq >= ? ORDER BY first_seq LIMIT 1');
    this.deleteSegment = db.prepare('DELETE FROM segments WHERE first_seq = ?');
    this.recover();
    this.nextSeq = highWaterSeq(db) + 1;
    this.vinIndexed = this.tables.state(VIN_INDEXED);
    // The tail left unindexed by the previous run: VINs from the segments' meta.
    const tail = db.prepare<[number], { first_seq: number }>('SELECT first_seq FROM segments WHERE first_seq >= ? ORDER BY first_seq');
    for (const r of tail.all(this.vinIndexed)) this.unindexed.push({ firstSeq: r.first_seq, vins: new Set(this.metaOf(r.first_seq)?.vin ?? []) });
    this.setCursorStmt = db.prepare(
      'INSERT INTO cursors (name, seq, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at',
    );
    this.pruneCandidates = db.prepare(
      'SELECT first_seq, last_seq, received_max, pruned_before, pruned FROM segments WHERE received_min < ? AND (pruned_before IS NULL OR pruned_before < ?) ORDER BY received_min LIMIT ?',
    );
    this.deleteVin = db.prepare('DELETE FROM vin_segments WHERE vin = ? AND first_seq = ?');
    this.hideBefore = db.prepare('UPDATE segments SET pruned_before = ?, pruned = pruned + ? WHERE first_seq = ?');
    this.tx = db.transaction((requests: readonly TxRequest[]) => {
      const out: { id: number; value: number }[] = [];
      let seq = this.nextSeq;
      this.segFirst = seq;
      for (const r of requests) {
        if (r.t === 'cursor') {
          this.setCursorStmt.run(r.name, r.seq, r.at);
          out.push({ id: r.id, value: 0 });
          continue;
        }
        out.push({ id: r.id, value: seq });
        const parts = r.entries.parts;
        for (let k = 0; k < parts.length; k++) {
          const bytes = parts[k].rawEnd - (k === 0 ? 0 : parts[k - 1].rawEnd);
          if (this.segCount > 0 && this.segBytes + bytes > SEGMENT_MAX_BYTES) this.writeSegment();
          const last = this.pieces[this.pieces.length - 1];
          if (last && last.entries === r.entries && last.to === k) last.to = k + 1;
          else this.pieces.push({ entries: r.entries, from: k, to: k + 1 });
          this.segCount += parts[k].count;
          this.segBytes += bytes;
          seq += parts[k].count;
        }
      }
      if (this.segCount > 0) this.writeSegment();
      // The segments' bytes are durable before their rows commit (and before any reply).
      this.files.sync();
      if (this.unindexed.length + this.written.length >= INDEX_SEGMENTS) {
        this.tables.index(this.unindexed.concat(this.written));
        this.tables.raise(VIN_INDEXED, seq);
        this.indexedInTx = true;
      }
      return out;
    });
    this.pruneTx = db.transaction((beforeMs: number, limit: number) => this.pruneSegments(beforeMs, limit));
  }

  /**
   * Commits the requests in one transaction and returns each one's value (first seq of an append).
   * On error the transaction rolled back: nothing of it is in the log and no seq is consumed.
   */
  commit(requests: readonly TxRequest[]): { id: number; value: number }[] {
    let out;
    try {
      // IMMEDIATE: take the write lock at BEGIN (waiting per busy_timeout for a consumer's cursor write).
      out = this.tx.immediate(requests);
    } catch (err) {
      this.files.rollback();
      this.written = [];
      this.indexedInTx = false;
      throw err;
    } finally {
      this.pieces = [];
      this.segCount = 0;
      this.segBytes = 0;
    }
    this.files.committed();
    for (const r of requests) if (r.t === 'append') this.nextSeq += r.entries.count;
    if (this.indexedInTx) {
      this.unindexed = [];
      this.vinIndexed = this.nextSeq;
    } else {
      for (const w of this.written) this.unindexed.push(w);
    }
    this.written = [];
    this.indexedInTx = false;
    return out;
  }

  /**
   * Deletes entries received before `beforeMs`, whole segments at a time until at least `limit`
   * entries are gone (or none is left); returns how many. A segment that straddles the limit
   * keeps its row, its older entries hidden from readers (pruned_before) until it goes as a whole.
   */
  prune(beforeMs: number, limit: number): number {
    this.removed = [];
    // This commit is synced (FULL) before any file goes: a power cut must not bring back rows
    // whose file was deleted.
    const sync = this.db.pragma('synchronous', { simple: true }) as number;
    this.db.pragma('synchronous = FULL');
    let n: number;
    try {
      n = this.pruneTx.immediate(beforeMs, limit);
    } finally {
      this.db.pragma(`synchronous = ${sync}`);
    }
    if (this.removed.length > 0) {
      const gone = new Set(this.removed);
      this.unindexed = this.unindexed.filter((u) => !gone.has(u.firstSeq));
      this.dropUnreferencedFiles();
    }
    return n;
  }

  close(): void {
    this.files.close();
    this.fileReader.close();
  }

  /** Deletes the files before the first one a segment row points into (pruned whole). */
  private dropUnreferencedFiles(): void {
    let firstKept = Number.POSITIVE_INFINITY;
    for (const base of listSegmentFiles(this.files.dir)) {
      if (base === this.files.currentBase || this.firstFrom.get(base)?.file === base) {
        firstKept = base;
        break;
      }
      this.files.remove(base);
    }
    this.fileReader.forgetBefore(firstKept);
  }

  /** A segment's decoded meta (from its file or its blob), undefined when the row is gone. */
  private metaOf(first: number): ReturnType<typeof decodeMeta> | undefined {
    const row = this.segmentMeta.get(first);
    if (!row) return undefined;
    const loc = locationOf(row);
    const meta = loc ? this.fileReader.meta(loc) : row.meta;
    return meta ? decodeMeta(first, meta) : undefined;
  }

  /**
   * Brings the index and the files back in step after a crash or power cut (see sqlite-files.ts):
   * (1) the index's last file rows whose bytes do not check out go (their seqs are not reused);
   * (2) the valid segments after the last row are indexed again (an index commit is not fsynced);
   * (3) the file is cut after the last valid segment; files after it, and files no row points
   * into, are deleted. The next commit appends where the valid bytes end.
   */
  private recover(): void {
    const db = this.db;
    const dir = this.files.dir;
    const lastFileRow = db.prepare<[], SegmentRow>(
      'SELECT first_seq, last_seq, file, file_offset, meta_bytes, raw_bytes FROM segments WHERE file IS NOT NULL ORDER BY first_seq DESC LIMIT 1',
    );
    const deleteVinsOf = db.prepare('DELETE FROM vin_segments WHERE first_seq = ?');
    let resumeAt: { file: number; offset: number } | undefined;
    db.transaction(() => {
      // (1)
      let row: SegmentRow | undefined;
      let dropped = 0;
      while ((row = lastFileRow.get())) {
        const loc = locationOf(row) as SegmentLocation;
        const h = readSegmentAt(dir, loc.file, loc.offset)?.header;
        if (h && h.firstSeq === row.first_seq && h.count === row.last_seq - row.first_seq + 1 && h.metaBytes === loc.metaBytes && h.rawBytes === loc.rawBytes) break;
        dropped = Math.max(dropped, row.last_seq);
        this.deleteSegment.run(row.first_seq);
        deleteVinsOf.run(row.first_seq);
      }
      // (2) Where the first segment after the index is: after the last file row; with none (a new
      // log, one of blob rows, or one pruned to nothing), the first header at or past the high water.
      const high = highWaterSeq(db);
      let expected = row ? row.last_seq + 1 : high + 1;
      const files = listSegmentFiles(dir);
      let at: { file: number; offset: number } | undefined;
      if (row) {
        const loc = locationOf(row) as SegmentLocation;
        at = { file: loc.file, offset: loc.offset + recordBytes(loc) };
      } else {
        search: for (const base of files) {
          for (const h of fileHeaders(dir, base)) {
            if (h.firstSeq >= expected) {
              at = { file: base, offset: h.offset };
              break search;
            }
          }
        }
      }
      if (at) {
        let { file, offset } = at;
        for (;;) {
          const s = readSegmentAt(dir, file, offset);
          if (s && s.header.firstSeq >= expected) {
            const h = s.header;
            this.tables.insertFile(h.firstSeq, h.count, h.receivedMin, h.receivedMax, h);
            expected = h.firstSeq + h.count;
            offset += recordBytes(h);
            continue;
          }
          // Past the last segment of a file, the next file goes on if it starts with a valid
          // segment (seqs from `expected` on: a torn segment before it was never acknowledged).
          const next = files.find((b) => b > file);
          if (!s && next !== undefined) {
            const first = readSegmentAt(dir, next, 0);
            if (first && first.header.firstSeq >= expected) {
              file = next;
              offset = 0;
              continue;
            }
          }
          break;
        }
        resumeAt = { file, offset };
      }
      // Seqs of dropped rows are not given again (a consumer may have read them).
      if (dropped > 0) this.tables.raise(HIGH_SEQ, dropped);
      // Segments indexed again, and seqs given from now on, are not in vin_segments yet.
      const firstNew = (row ? row.last_seq : high) + 1;
      if (this.tables.state(VIN_INDEXED) > firstNew) this.tables.set(VIN_INDEXED, firstNew);
    })();
    // (3)
    const end = resumeAt;
    const high = highWaterSeq(db);
    for (const base of listSegmentFiles(dir)) if (end === undefined ? base > high : base > end.file) this.files.remove(base);
    if (end) this.files.resume(end.file, end.offset);
    this.dropUnreferencedFiles();
  }

  private writeSegment(): void {
    const first = this.segFirst;
    const pieces = this.pieces;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let vins: Iterable<string>;
    const metas: Uint8Array[] = [];
    const raws: Uint8Array[] = [];
    for (const { entries, from, to } of pieces) {
      const parts = entries.parts;
      for (let k = from; k < to; k++) {
        if (parts[k].receivedMin < min) min = parts[k].receivedMin;
        if (parts[k].receivedMax > max) max = parts[k].receivedMax;
      }
      // Consecutive parts of one request are contiguous in its buffers: views, no copy.
      metas.push(entries.meta.subarray(from === 0 ? 0 : parts[from - 1].metaEnd, parts[to - 1].metaEnd));
      raws.push(entries.raw.subarray(from === 0 ? 0 : parts[from - 1].rawEnd, parts[to - 1].rawEnd));
    }
    if (pieces.length === 1 && pieces[0].to - pieces[0].from === 1) {
      vins = pieces[0].entries.parts[pieces[0].from].vins;
    } else {
      const set = new Set<string>();
      for (const { entries, from, to } of pieces) for (let k = from; k < to; k++) for (const v of entries.parts[k].vins) set.add(v);
      vins = set;
    }
    const meta = metas.length === 1 ? metas[0] : Buffer.concat(metas);
    const raw = raws.length === 1 ? raws[0] : Buffer.concat(raws);
    this.tables.insertFile(first, this.segCount, min, max, this.files.append(first, this.segCount, min, max, meta, raw));
    this.written.push({ firstSeq: first, vins });
    this.segFirst = first + this.segCount;
    this.segCount = 0;
    this.segBytes = 0;
    this.pieces = [];
  }

  private pruneSegments(beforeMs: number, limit: number): number {
    let deleted = 0;
    while (deleted < limit) {
      const candidates = this.pruneCandidates.all(beforeMs, beforeMs, PRUNE_SCAN);
      if (candidates.length === 0) break;
      for (const c of candidates) {
        // A row whose bytes cannot be read (its file is gone) has no receive times to count by:
        // it goes whole once all of it is older than the limit (received_max), not before.
        const s = this.metaOf(c.first_seq) ?? decodeMeta(c.first_seq, new Uint8Array(0));
        const total = c.last_seq - c.first_seq + 1;
        let n: number;
        if (c.received_max < beforeMs) {
          n = total - c.pruned;
        } else {
          n = 0;
          const hidden = c.pruned_before ?? Number.NEGATIVE_INFINITY;
          for (let i = 0; i < s.count; i++) {
            const at = s.receivedAt[i];
            if (at < beforeMs && at >= hidden) n++;
          }
        }
        if (c.pruned + n >= total) {
          this.deleteSegment.run(c.first_seq);
          if (c.first_seq < this.vinIndexed) for (const vin of new Set(s.vin)) this.deleteVin.run(vin, c.first_seq);
          this.removed.push(c.first_seq);
        } else {
          this.hideBefore.run(beforeMs, n, c.first_seq);
        }
        deleted += n;
        if (deleted >= limit) break;
      }
    }
    // The deleted segments may have held the highest seq: keep it (seqs are never reused).
    if (this.removed.length > 0) this.tables.raise(HIGH_SEQ, this.nextSeq - 1);
    return deleted;
  }
}
