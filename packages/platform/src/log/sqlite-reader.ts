// A connection to the frame log for reading (and for cursor updates by a consumer that runs in
// its own thread). WAL lets any number of these read while the writer worker commits: a read
// sees every transaction committed before it started, never a partial one (each read runs in one
// read transaction, so its segment list and the segments' contents come from the same snapshot).
//
// Segments (sqlite-schema.ts) are immutable once committed (prune only deletes them or raises
// pruned_before, which is read fresh every time), so decoded segments are cached by first_seq:
// a consumer reading pages of 500–5,000 decodes each segment once, not once per page. Per-VIN
// reads of a segment that is not cached read its meta and only the VIN's bytes. LogEntry objects
// are made fresh per read; their raw is a view into a blob shared with other entries (read-only).
import type Database from 'better-sqlite3';
import type { Version } from '@nevhub/gbt32960';
import { locationOf, SegmentFileReader, segmentsDir, type RowPlace } from './sqlite-files.js';
import { HIGH_WATER_SQL, INDEX_SEGMENTS, openLogDb, VIN_INDEXED, type LogDurability } from './sqlite-schema.js';
import { decodeSegment, findVin, hasVin, segmentEntry, vinEntries, type DecodedSegment, type VinHit } from './sqlite-segment.js';
import type { LogEntry } from './types.js';

/** Decoded segments kept per connection, in bytes of their blobs (at least the last one is kept). */
const CACHE_BYTES = 16 << 20;
/** Segment rows fetched per query at most. */
const BATCH = 256;
/** Meta blobs kept for per-VIN reads (a few times the unindexed tail). */
const METAS = 4 * INDEX_SEGMENTS;
/** A per-VIN read fetches the whole segment rather than more runs of the VIN's entries than this. */
const MAX_RUNS = 3;

interface Head {
  f: number;
  l: number;
  p: number | null;
}

/** The columns that place a segment's bytes (RowPlace). */
const PLACE = 'file, file_offset, meta_bytes, raw_bytes';

export class SqliteLogReader {
  readonly db: Database.Database;
  private readonly headsFrom: Database.Statement<[number, number], Head>;
  private readonly headsAfter: Database.Statement<[number, number], Head>;
  private readonly head: Database.Statement<[number], Head>;
  private readonly blobs: Database.Statement<[number], RowPlace & { meta: Buffer; raw: Buffer }>;
  private readonly metaOnly: Database.Statement<[number], RowPlace & { meta: Buffer }>;
  private readonly rawSlice: Database.Statement<[number, number, number], RowPlace & { r: Buffer }>;
  private readonly files: SegmentFileReader;
  private readonly vinFrom: Database.Statement<[string, string, number, number], { f: number }>;
  private readonly vinAfter: Database.Statement<[string, number, number], { f: number }>;
  private readonly vinBefore: Database.Statement<[string, number, number], { f: number }>;
  private readonly tailFrom: Database.Statement<[number, number], Head>;
  private readonly tailBefore: Database.Statement<[number, number, number], Head>;
  private readonly vinIndexedStmt: Database.Statement<[], { value: number }>;
  private readonly highWater: Database.Statement<[], { seq: number }>;
  private readonly getCursorStmt: Database.Statement<[string], { seq: number }>;
  private readonly setCursorStmt: Database.Statement;
  private readonly inTx: Database.Transaction<(fn: () => LogEntry[]) => LogEntry[]>;
  /** Decoded segments by first_seq, least recently used first. */
  private readonly cache = new Map<number, DecodedSegment>();
  private cacheBytes = 0;
  /** Meta blobs of segments read by per-VIN reads, by first_seq, least recently added first. */
  private readonly metas = new Map<number, Buffer>();

  constructor(path: string, durability: LogDurability = 'fsync') {
    this.db = openLogDb(path, durability);
    this.files = new SegmentFileReader(segmentsDir(path));
    const cols = 'first_seq AS f, last_seq AS l, pruned_before AS p';
    // The segment holding afterSeq + 1 (or the first after it) and the ones after it.
    this.headsFrom = this.db.prepare(
      `SELECT ${cols} FROM segments WHERE first_seq >= coalesce((SELECT first_seq FROM segments WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1), 0) ORDER BY first_seq LIMIT ?`,
    );
    this.headsAfter = this.db.prepare(`SELECT ${cols} FROM segments WHERE first_seq > ? ORDER BY first_seq LIMIT ?`);
    this.head = this.db.prepare(`SELECT ${cols} FROM segments WHERE first_seq = ?`);
    this.blobs = this.db.prepare(`SELECT ${PLACE}, meta, raw FROM segments WHERE first_seq = ?`);
    this.metaOnly = this.db.prepare(`SELECT ${PLACE}, meta FROM segments WHERE first_seq = ?`);
    this.rawSlice = this.db.prepare(`SELECT ${PLACE}, substr(raw, ?, ?) AS r FROM segments WHERE first_seq = ?`);
    this.vinFrom = this.db.prepare(
      'SELECT first_seq AS f FROM vin_segments WHERE vin = ? AND first_seq >= coalesce((SELECT first_seq FROM vin_segments WHERE vin = ? AND first_seq <= ? ORDER BY first_seq DESC LIMIT 1), 0) ORDER BY first_seq LIMIT ?',
    );
    this.vinAfter = this.db.prepare('SELECT first_seq AS f FROM vin_segments WHERE vin = ? AND first_seq > ? ORDER BY first_seq LIMIT ?');
    this.vinBefore = this.db.prepare('SELECT first_seq AS f FROM vin_segments WHERE vin = ? AND first_seq < ? ORDER BY first_seq DESC LIMIT ?');
    this.tailFrom = this.db.prepare(`SELECT ${cols} FROM segments WHERE first_seq >= ? ORDER BY first_seq LIMIT ?`);
    this.tailBefore = this.db.prepare(`SELECT ${cols} FROM segments WHERE first_seq >= ? AND first_seq < ? ORDER BY first_seq DESC LIMIT ?`);
    this.vinIndexedStmt = this.db.prepare(`SELECT value FROM log_state WHERE key = '${VIN_INDEXED}'`);
    this.highWater = this.db.prepare(HIGH_WATER_SQL);
    this.getCursorStmt = this.db.prepare('SELECT seq FROM cursors WHERE name = ?');
    this.setCursorStmt = this.db.prepare(
      'INSERT INTO cursors (name, seq, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at',
    );
    this.inTx = this.db.transaction((fn: () => LogEntry[]) => fn());
  }

  /** Entries with seq > afterSeq, ascending, at most `limit` (negative: no limit). */
  read(afterSeq: number, limit: number): LogEntry[] {
    const max = limit < 0 ? Number.POSITIVE_INFINITY : limit;
    if (!(max > 0)) return [];
    const after = Math.floor(afterSeq);
    const batch = batchFor(max);
    return this.inTx(() => {
      const out: LogEntry[] = [];
      for (const heads of pages(this.headsFrom.all(after + 1, batch), (f) => this.headsAfter.all(f, batch), batch)) {
        for (const h of heads) {
          if (h.l <= after) continue;
          const s = this.segment(h.f);
          if (!s) continue;
          const hidden = h.p ?? Number.NEGATIVE_INFINITY;
          for (let i = after >= h.f ? after - h.f + 1 : 0; i < s.count; i++) {
            if (s.receivedAt[i] < hidden) continue;
            out.push(segmentEntry(s, i));
            if (out.length >= max) return out;
          }
        }
      }
      return out;
    });
  }

  /**
   * Entries of one VIN with seq > afterSeq, ascending; opens only the VIN's segments: those in
   * vin_segments, then the unindexed tail (the last few dozen segments), checked one by one.
   */
  readVin(vin: string, afterSeq: number, limit: number): LogEntry[] {
    const max = limit < 0 ? Number.POSITIVE_INFINITY : limit;
    if (!(max > 0)) return [];
    const after = Math.floor(afterSeq);
    const batch = batchFor(max);
    return this.inTx(() => {
      const out: LogEntry[] = [];
      const take = (h: Head): boolean => {
        if (h.l > after) this.vinEntries(h, vin, (seq) => seq > after, false, max - out.length, out);
        return out.length >= max;
      };
      for (const rows of pages(this.vinFrom.all(vin, vin, after, batch), (f) => this.vinAfter.all(vin, f, batch), batch)) {
        for (const { f } of rows) {
          const h = this.head.get(f);
          if (h && take(h)) return out;
        }
      }
      for (const heads of pages(this.tailFrom.all(this.vinIndexed(), BATCH), (f) => this.headsAfter.all(f, BATCH), BATCH)) {
        for (const h of heads) if (h.l > after && this.holdsVin(h.f, vin) && take(h)) return out;
      }
      return out;
    });
  }

  /** Entries of one VIN with seq < beforeSeq, newest first (the API's recent frames). */
  readVinBefore(vin: string, beforeSeq: number, limit: number): LogEntry[] {
    const max = limit < 0 ? Number.POSITIVE_INFINITY : limit;
    if (!(max > 0)) return [];
    const before = Math.ceil(beforeSeq);
    const batch = batchFor(max);
    return this.inTx(() => {
      const out: LogEntry[] = [];
      const take = (h: Head): boolean => {
        this.vinEntries(h, vin, (seq) => seq < before, true, max - out.length, out);
        return out.length >= max;
      };
      // The unindexed tail first (newest), then vin_segments.
      const indexed = this.vinIndexed();
      for (const heads of pages(this.tailBefore.all(indexed, before, BATCH), (f) => this.tailBefore.all(indexed, f, BATCH), BATCH)) {
        for (const h of heads) if (this.holdsVin(h.f, vin) && take(h)) return out;
      }
      for (const rows of pages(this.vinBefore.all(vin, Math.min(before, indexed), batch), (f) => this.vinBefore.all(vin, f, batch), batch)) {
        for (const { f } of rows) {
          const h = this.head.get(f);
          if (h && take(h)) return out;
        }
      }
      return out;
    });
  }

  getCursor(name: string): number {
    return this.getCursorStmt.get(name)?.seq ?? 0;
  }

  /** Writes a cursor on this connection (a consumer thread; the main thread goes through the writer). */
  setCursor(name: string, seq: number): void {
    this.setCursorStmt.run(name, seq, Date.now());
  }

  lastSeq(): number {
    return this.highWater.get()?.seq ?? 0;
  }

  close(): void {
    this.cache.clear();
    this.metas.clear();
    this.cacheBytes = 0;
    this.files.close();
    this.db.close();
  }

  private vinIndexed(): number {
    return this.vinIndexedStmt.get()?.value ?? 0;
  }

  /** Whether the segment starting at `first` holds entries of `vin` (its meta alone is read). */
  private holdsVin(first: number, vin: string): boolean {
    const full = this.cache.get(first);
    if (full) return vinEntries(full, vin).length > 0;
    const meta = this.meta(first);
    return meta !== undefined && hasVin(meta, vin);
  }

  /** A segment's meta blob (cached: per-VIN reads and the tail checks read it again and again). */
  private meta(first: number): Buffer | undefined {
    let meta = this.metas.get(first);
    if (meta) return meta;
    const row = this.metaOnly.get(first);
    if (!row) return undefined;
    const loc = locationOf(row);
    meta = loc ? this.files.meta(loc) : row.meta;
    if (!meta) return undefined;
    this.metas.set(first, meta);
    if (this.metas.size > METAS) this.metas.delete(this.metas.keys().next().value as number);
    return meta;
  }

  /**
   * Appends to `out` the entries of `vin` in segment `h` whose seq passes `keep` and that are not
   * pruned, ascending or newest first, at most `room`. A segment not in the cache is not read
   * whole: its meta gives the VIN's entries and only their bytes are fetched (substr of raw, one
   * query per run of consecutive entries).
   */
  private vinEntries(h: Head, vin: string, keep: (seq: number) => boolean, newestFirst: boolean, room: number, out: LogEntry[]): void {
    const hidden = h.p ?? Number.NEGATIVE_INFINITY;
    let full = this.cache.get(h.f);
    let hits: VinHit[] = [];
    if (!full) {
      const meta = this.meta(h.f);
      if (!meta) return;
      hits = findVin(meta, vin).filter((x) => keep(h.f + x.index) && x.receivedAt >= hidden);
      if (newestFirst) hits.reverse();
      if (hits.length > room) hits.length = room;
      if (hits.length === 0) return;
      if (runs(hits) > MAX_RUNS) full = this.segment(h.f);
    }
    if (full) {
      const idx = vinEntries(full, vin);
      for (let j = 0; j < idx.length && room > 0; j++) {
        const i = idx[newestFirst ? idx.length - 1 - j : j];
        if (!keep(h.f + i) || full.receivedAt[i] < hidden) continue;
        out.push(segmentEntry(full, i));
        room--;
      }
      return;
    }
    // Runs of consecutive entries are contiguous in raw: one substr each.
    const asc = newestFirst ? [...hits].reverse() : hits;
    const raws = new Map<number, Uint8Array>();
    for (let a = 0; a < asc.length; ) {
      let b = a;
      while (b + 1 < asc.length && asc[b + 1].index === asc[b].index + 1) b++;
      const from = asc[a].start;
      const to = asc[b].end;
      const row = to > from ? this.rawSlice.get(from + 1, to - from, h.f) : undefined;
      const loc = row && locationOf(row);
      const r = loc ? this.files.raw(loc, from, to) : row?.r;
      const bytes = r ? new Uint8Array(r.buffer, r.byteOffset, r.byteLength) : new Uint8Array(0);
      for (let k = a; k <= b; k++) raws.set(asc[k].index, bytes.subarray(asc[k].start - from, asc[k].end - from));
      a = b + 1;
    }
    for (const x of hits) {
      out.push({
        seq: h.f + x.index,
        vin,
        version: x.version as Version,
        commandId: x.commandId,
        collectedAt: x.collectedAt,
        receivedAt: x.receivedAt,
        sessionId: x.sessionId,
        peer: x.peer,
        raw: raws.get(x.index) ?? new Uint8Array(0),
      });
    }
  }

  /** The decoded segment starting at `first` (cached), or undefined when it is gone. */
  private segment(first: number): DecodedSegment | undefined {
    const hit = this.cache.get(first);
    if (hit) {
      this.cache.delete(first);
      this.cache.set(first, hit);
      return hit;
    }
    const row = this.blobs.get(first);
    if (!row) return undefined;
    const loc = locationOf(row);
    const bytes = loc ? this.files.segment(loc) : row;
    // The file was deleted by a prune after this read's snapshot listed the segment.
    if (!bytes) return undefined;
    const raw = new Uint8Array(bytes.raw.buffer, bytes.raw.byteOffset, bytes.raw.byteLength);
    const s = decodeSegment(first, bytes.meta, raw);
    this.cache.set(first, s);
    this.cacheBytes += cost(s);
    for (const [f, old] of this.cache) {
      if (this.cacheBytes <= CACHE_BYTES || f === first) break;
      this.cache.delete(f);
      this.cacheBytes -= cost(old);
    }
    return s;
  }
}

/** Bytes a cached segment holds: its raw blob and about 100 B of columns per entry. */
function cost(s: DecodedSegment): number {
  return s.raw.byteLength + s.count * 100;
}

/** Segment rows to fetch per query for `max` entries (a segment holds about a group commit). */
/** Runs of consecutive entry indexes in `hits` (any order of runs). */
function runs(hits: readonly VinHit[]): number {
  let n = 0;
  for (let k = 0; k < hits.length; k++) if (k === 0 || Math.abs(hits[k].index - hits[k - 1].index) !== 1) n++;
  return n;
}

/**
 * Keyset paging: yields `first`, then `next(f of the last row)` for as long as a page comes back
 * full (`size` rows). The caller stops early by leaving the loop.
 */
function* pages<T extends { f: number }>(first: T[], next: (lastF: number) => T[], size: number): Generator<T[]> {
  for (let rows = first; rows.length > 0; rows = next(rows[rows.length - 1].f)) {
    yield rows;
    if (rows.length < size) return;
  }
}

function batchFor(max: number): number {
  return Number.isFinite(max) ? Math.min(BATCH, 2 + Math.ceil(max / 256)) : BATCH;
}
