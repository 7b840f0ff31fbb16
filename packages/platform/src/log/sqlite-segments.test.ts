// The SQLite log's segment layout (sqlite-schema.ts): one segment row per group commit, the
// batched per-VIN index and its unindexed tail, segment-granular prune, parts and transactions.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { entry } from './conformance.js';
import { SqliteFrameLog } from './sqlite.js';
import { SqliteLogReader } from './sqlite-reader.js';
import { EntryPacker } from './sqlite-protocol.js';
import { INDEX_SEGMENTS, openLogDb } from './sqlite-schema.js';
import { LogWriter } from './sqlite-writer.js';
import type { LogEntry, NewLogEntry } from './types.js';

const VINS = ['LNBSCCAK5PT000001', 'LNBSCCAK5PT000002', 'LNBSCCAK5PT000003', 'LNBSCCAK5PT000004'];

async function withDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'nevhub-seg-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function inspect<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(join(dir, 'frames.db'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const count = (db: Database.Database, sql: string): number => (db.prepare(sql).get() as { n: number }).n;
const seqs = (es: readonly LogEntry[]): number[] => es.map((e) => e.seq);

function pack(entries: readonly NewLogEntry[]) {
  const p = new EntryPacker();
  for (const e of entries) p.add(e);
  return p.finish();
}

/** What readVin / readVinBefore must return, computed from read(). */
async function checkVinReads(log: SqliteFrameLog): Promise<void> {
  const all = await log.read(0, 1_000_000);
  for (const vin of VINS) {
    const mine = all.filter((e) => e.vin === vin);
    assert.deepEqual(seqs(await log.readVin(vin, 0, 1_000_000)), seqs(mine), `readVin ${vin}`);
    const mid = mine[Math.floor(mine.length / 2)]?.seq ?? 0;
    assert.deepEqual(seqs(await log.readVin(vin, mid, 5)), seqs(mine.filter((e) => e.seq > mid).slice(0, 5)));
    const newest = [...mine].reverse();
    assert.deepEqual(seqs(await log.readVinBefore(vin, Number.MAX_SAFE_INTEGER, 1_000_000)), seqs(newest), `readVinBefore ${vin}`);
    assert.deepEqual(seqs(await log.readVinBefore(vin, mid, 4)), seqs(newest.filter((e) => e.seq < mid).slice(0, 4)));
    const paged: number[] = [];
    for (let before = Number.MAX_SAFE_INTEGER; ; ) {
      const page = await log.readVinBefore(vin, before, 3);
      if (page.length === 0) break;
      paged.push(...seqs(page));
      before = page[page.length - 1].seq;
    }
    assert.deepEqual(paged, seqs(newest));
  }
}

test('segments: one row per group commit; vin_segments written in batches, the tail read directly', () =>
  withDir(async (dir) => {
    let log = new SqliteFrameLog({ dataDir: dir, durability: 'os' });
    try {
      let n = 0;
      const commitOnce = async (): Promise<void> => {
        // One commit holding 1–3 VINs.
        const k = 1 + (n % 3);
        await log.append(Array.from({ length: k + 2 }, (_, j) => entry(VINS[(n + j) % k], n * 10 + j)));
        n++;
      };
      for (let i = 0; i < 10; i++) await commitOnce();
      assert.deepEqual(
        inspect(dir, (db) => [count(db, 'SELECT count(*) AS n FROM segments'), count(db, 'SELECT count(*) AS n FROM vin_segments')]),
        [10, 0],
        'ten segments, none indexed yet',
      );
      await checkVinReads(log);
      for (let i = 10; i < INDEX_SEGMENTS + 5; i++) await commitOnce();
      const [segments, rows, indexed, distinct] = inspect(dir, (db) => [
        count(db, 'SELECT count(*) AS n FROM segments'),
        count(db, 'SELECT count(*) AS n FROM vin_segments'),
        count(db, "SELECT value AS n FROM log_state WHERE key = 'vin_indexed'"),
        count(db, 'SELECT count(*) AS n FROM vin_segments WHERE first_seq IN (SELECT first_seq FROM segments)'),
      ]);
      assert.equal(segments, INDEX_SEGMENTS + 5);
      assert.ok(rows > 0 && rows === distinct, 'every index row points at a segment');
      assert.ok(indexed > 1 && indexed <= (await log.lastSeq()), 'the last segments are the unindexed tail');
      await checkVinReads(log);
      // Reopen: the writer reloads the unindexed tail and indexes it with the next batch.
      await log.close();
      log = new SqliteFrameLog({ dataDir: dir, durability: 'os' });
      await checkVinReads(log);
      for (let i = 0; i < 2 * INDEX_SEGMENTS; i++) await commitOnce();
      await checkVinReads(log);
      const [missing] = inspect(dir, (db) => [
        count(
          db,
          "SELECT count(*) AS n FROM segments s WHERE s.first_seq < (SELECT value FROM log_state WHERE key = 'vin_indexed') AND NOT EXISTS (SELECT 1 FROM vin_segments v WHERE v.first_seq = s.first_seq)",
        ),
      ]);
      assert.equal(missing, 0, 'every segment below vin_indexed has its index rows');
    } finally {
      await log.close();
    }
  }));

test('segments: a transaction of several requests is one segment; an append beyond SEGMENT_MAX_BYTES is split', () =>
  withDir((dir) => {
    const path = join(dir, 'frames.db');
    const db = openLogDb(path, 'os');
    const writer = new LogWriter(db);
    const a = [entry(VINS[0], 1), entry(VINS[1], 2)];
    const b = [entry(VINS[1], 3), entry(VINS[2], 4), entry(VINS[0], 5)];
    const out = writer.commit([
      { t: 'append', id: 1, entries: pack(a) },
      { t: 'cursor', id: 2, name: 'store', seq: 1, at: 0 },
      { t: 'append', id: 3, entries: pack(b) },
    ]);
    assert.deepEqual(out, [
      { id: 1, value: 1 },
      { id: 2, value: 0 },
      { id: 3, value: 3 },
    ]);
    assert.equal(count(db, 'SELECT count(*) AS n FROM segments'), 1);
    // 3,000 frames of 1,000 bytes: parts of ≤ 1 MiB, so several segments of one transaction.
    const big = Array.from({ length: 3000 }, (_, i) => entry(VINS[i % 4], i, { raw: new Uint8Array(1000).fill(i & 0xff) }));
    const [{ value: first }] = writer.commit([{ t: 'append', id: 4, entries: pack(big) }]);
    assert.equal(first, 6);
    assert.ok(count(db, 'SELECT count(*) AS n FROM segments') >= 4);
    db.close();
    const reader = new SqliteLogReader(path, 'os');
    try {
      const all = reader.read(0, 10_000);
      assert.deepEqual(seqs(all), Array.from({ length: 3005 }, (_, i) => i + 1));
      for (const [i, e] of [...a, ...b].entries()) {
        assert.equal(all[i].vin, e.vin);
        assert.deepEqual(Array.from(all[i].raw), Array.from(e.raw));
      }
      for (const [i, e] of all.slice(5).entries()) {
        assert.equal(e.vin, VINS[i % 4]);
        assert.equal(e.raw.length, 1000);
        assert.ok(e.raw.every((x) => x === (i & 0xff)));
      }
      // Pages of any size, crossing segment boundaries, give the same entries.
      const paged: number[] = [];
      for (let after = 0; ; ) {
        const page = reader.read(after, 333);
        if (page.length === 0) break;
        paged.push(...seqs(page));
        after = page[page.length - 1].seq;
      }
      assert.equal(paged.length, 3005);
      assert.deepEqual(seqs(reader.readVin(VINS[3], 2000, 3)), [2001, 2005, 2009]);
      // Entries are fresh objects: changing one does not change the next read.
      const [x] = reader.read(0, 1);
      x.vin = 'changed';
      assert.equal(reader.read(0, 1)[0].vin, VINS[0]);
    } finally {
      reader.close();
    }
  }));

test('segments: prune deletes whole segments and hides the older entries of a straddling one', () =>
  withDir(async (dir) => {
    const log = new SqliteFrameLog({ dataDir: dir, durability: 'os' });
    try {
      for (let s = 1; s <= 3; s++) {
        await log.append(Array.from({ length: 10 }, (_, i) => entry(VINS[i % 2], s * 100 + i, { receivedAt: s * 1000 + i * 10 })));
      }
      assert.equal(await log.prune(2050), 15, 'segment 1 (10) and half of segment 2 (5)');
      const rows = inspect(dir, (db) => db.prepare('SELECT first_seq, pruned_before, pruned FROM segments ORDER BY first_seq').all());
      assert.deepEqual(rows, [
        { first_seq: 11, pruned_before: 2050, pruned: 5 },
        { first_seq: 21, pruned_before: null, pruned: 0 },
      ]);
      assert.deepEqual(seqs(await log.read(0, 100)), Array.from({ length: 15 }, (_, i) => i + 16));
      assert.deepEqual(seqs(await log.readVin(VINS[0], 0, 100)), [17, 19, 21, 23, 25, 27, 29]);
      assert.deepEqual(seqs(await log.readVinBefore(VINS[1], 25, 100)), [24, 22, 20, 18, 16]);
      assert.equal(await log.prune(2050), 0);
      assert.equal(await log.prune(2095), 5, 'the rest of segment 2: the whole row goes');
      assert.equal(inspect(dir, (db) => count(db, 'SELECT count(*) AS n FROM segments')), 1);
      // Indexed segments take their vin_segments rows with them.
      for (let s = 0; s < INDEX_SEGMENTS + 2; s++) await log.append([entry(VINS[s % 4], s, { receivedAt: 5000 + s })]);
      assert.ok(inspect(dir, (db) => count(db, 'SELECT count(*) AS n FROM vin_segments')) > 0);
      assert.equal(await log.prune(5000 + INDEX_SEGMENTS + 2), 10 + INDEX_SEGMENTS + 2);
      assert.deepEqual(
        inspect(dir, (db) => [count(db, 'SELECT count(*) AS n FROM segments'), count(db, 'SELECT count(*) AS n FROM vin_segments')]),
        [0, 0],
      );
      const last = await log.lastSeq();
      assert.equal(last, 30 + INDEX_SEGMENTS + 2);
      assert.deepEqual(await log.append([entry(VINS[0], 1)]), [last + 1]);
      await checkVinReads(log);
    } finally {
      await log.close();
    }
  }));

test('segments: a prune chunk removes whole segments (the count may pass the chunk limit)', () =>
  withDir((dir) => {
    const db = openLogDb(join(dir, 'frames.db'), 'os');
    try {
      const writer = new LogWriter(db);
      writer.commit([{ t: 'append', id: 1, entries: pack(Array.from({ length: 10 }, (_, i) => entry(VINS[0], i, { receivedAt: 1000 }))) }]);
      writer.commit([{ t: 'append', id: 2, entries: pack(Array.from({ length: 10 }, (_, i) => entry(VINS[0], i, { receivedAt: 1001 }))) }]);
      assert.equal(writer.prune(2000, 1), 10);
      assert.equal(writer.prune(2000, 1), 10);
      assert.equal(writer.prune(2000, 1), 0);
    } finally {
      db.close();
    }
  }));

test('segments: per-VIN reads of uncached segments (meta and the VIN\'s bytes only) equal full reads', () =>
  withDir((dir) => {
    const path = join(dir, 'frames.db');
    const db = openLogDb(path, 'os');
    const writer = new LogWriter(db);
    const [x, y, z] = VINS;
    const odd = 'LÜNBSCÇAK5PT0000ä';
    let n = 0;
    const e = (vin: string, extra: Partial<NewLogEntry> = {}): NewLogEntry => entry(vin, n++, extra);
    const commits: NewLogEntry[][] = [
      // x in two runs, y in two: fetched as slices.
      [e(x), e(x), e(x), e(y), e(z), e(x, { raw: new Uint8Array(0) }), e(y)],
      // x and y alternate: more runs than MAX_RUNS, the whole segment is read.
      Array.from({ length: 20 }, (_, i) => e(i % 2 ? y : x)),
      // A non-ASCII VIN, and y's text first seen as a session id (the string table holds it twice).
      [e(z, { sessionId: y }), e(odd, { collectedAt: '2025-10-27T20:02:02+08:00 ✓' }), e(y, { sessionId: y }), e(odd), e(y)],
    ];
    for (const [i, c] of commits.entries()) writer.commit([{ t: 'append', id: i, entries: pack(c) }]);
    // Enough segments after them that they are in vin_segments, and a tail of a few more.
    for (let i = 0; i < INDEX_SEGMENTS + 3; i++) writer.commit([{ t: 'append', id: 10 + i, entries: pack([e(z), e(i % 5 ? z : x)]) }]);
    assert.ok(count(db, "SELECT count(*) AS n FROM vin_segments WHERE vin = '" + odd + "'") === 1);
    db.close();
    const full = new SqliteLogReader(path, 'os');
    const all = full.read(0, 10_000);
    full.close();
    const fields = (es: readonly LogEntry[]) => es.map((x) => ({ ...x, raw: Array.from(x.raw) }));
    for (const vin of [x, y, z, odd, 'LNBSCCAK5PT999999']) {
      const mine = all.filter((e) => e.vin === vin);
      for (const [after, limit] of [
        [0, 1000],
        [3, 2],
        [9, 1000],
        [40, 5],
      ]) {
        const r = new SqliteLogReader(path, 'os');
        assert.deepEqual(fields(r.readVin(vin, after, limit)), fields(mine.filter((e) => e.seq > after).slice(0, limit)), `readVin ${vin} ${after}`);
        r.close();
        const b = new SqliteLogReader(path, 'os');
        const before = after === 0 ? 10_000 : after + 10;
        assert.deepEqual(
          fields(b.readVinBefore(vin, before, limit)),
          fields(mine.filter((e) => e.seq < before).reverse().slice(0, limit)),
          `readVinBefore ${vin} ${before}`,
        );
        b.close();
      }
    }
  }));
