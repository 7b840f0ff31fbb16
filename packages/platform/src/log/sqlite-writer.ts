// The frame log's single writer (runs inside the writer worker, sqlite-writer.worker.ts): assigns
// seqs and commits a group of requests in one transaction. Synchronous by design: better-sqlite3
// blocks its thread for the commit and its fsync, which is why this lives off the main thread.
//
// A transaction's appends become ONE segment row (more only past SEGMENT_MAX_BYTES): the main
// thread already encoded the entries (sqlite-segment.ts), so the work here is per segment, not per
// frame. The per-VIN index is written every INDEX_SEGMENTS segments, grouped by VIN: one row per
// (VIN, segment) in either case, but a VIN's rows of many segments land in its B-tree leaf at once
// (row by row per commit, each commit dirtied one random index page per VIN it held).
import type Database from 'better-sqlite3';
import { HIGH_SEQ, highWaterSeq, INDEX_SEGMENTS, SegmentTables, VIN_INDEXED } from './sqlite-schema.js';
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
  private readonly segmentMeta: Database.Statement<[number], { meta: Buffer }>;
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

  constructor(db: Database.Database) {
    this.nextSeq = highWaterSeq(db) + 1;
    this.tables = new SegmentTables(db);
    this.vinIndexed = this.tables.state(VIN_INDEXED);
    // The tail left unindexed by the previous run: VINs from the segments' meta.
    const tail = db.prepare<[number], { first_seq: number; meta: Buffer }>('SELECT first_seq, meta FROM segments WHERE first_seq >= ? ORDER BY first_seq');
    for (const r of tail.iterate(this.vinIndexed)) this.unindexed.push({ firstSeq: r.first_seq, vins: new Set(decodeMeta(r.first_seq, r.meta).vin) });
    this.setCursorStmt = db.prepare(
      'INSERT INTO cursors (name, seq, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at',
    );
    this.pruneCandidates = db.prepare(
      'SELECT first_seq, last_seq, received_max, pruned_before, pruned FROM segments WHERE received_min < ? AND (pruned_before IS NULL OR pruned_before < ?) ORDER BY received_min LIMIT ?',
    );
    this.segmentMeta = db.prepare('SELECT meta FROM segments WHERE first_seq = ?');
    this.deleteSegment = db.prepare('DELETE FROM segments WHERE first_seq = ?');
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
      this.written = [];
      this.indexedInTx = false;
      throw err;
    } finally {
      this.pieces = [];
      this.segCount = 0;
      this.segBytes = 0;
    }
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
    const n = this.pruneTx.immediate(beforeMs, limit);
    if (this.removed.length > 0) {
      const gone = new Set(this.removed);
      this.unindexed = this.unindexed.filter((u) => !gone.has(u.firstSeq));
    }
    return n;
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
    this.tables.insert(first, this.segCount, min, max, meta, raw);
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
        const row = this.segmentMeta.get(c.first_seq);
        if (!row) continue;
        const s = decodeMeta(c.first_seq, row.meta);
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
