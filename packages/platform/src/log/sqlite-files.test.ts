// The SQLite log's segment files (sqlite-files.ts): bytes in files, rows in the index, and the
// recovery that brings the two back in step after a crash or a power cut (LogWriter.recover).
// Power cuts are simulated on real files: index rows deleted (a NORMAL commit that never reached
// the disk), segment bytes corrupted or cut (a write that never completed), garbage files.
import assert from 'node:assert/strict';
import { existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, closeSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type Database from 'better-sqlite3';
import { entry } from './conformance.js';
import { listSegmentFiles, SEGMENT_HEADER_BYTES, segmentChecksum, segmentsDir } from './sqlite-files.js';
import { SqliteFrameLog } from './sqlite.js';
import { SqliteLogReader } from './sqlite-reader.js';
import { EntryPacker } from './sqlite-protocol.js';
import { openLogDb } from './sqlite-schema.js';
import { LogWriter, type LogWriterOptions } from './sqlite-writer.js';
import type { NewLogEntry } from './types.js';

const VINS = ['LNBSCCAK5PT000001', 'LNBSCCAK5PT000002', 'LNBSCCAK5PT000003'];

async function withDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'nevhub-files-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function pack(entries: readonly NewLogEntry[]) {
  const p = new EntryPacker();
  for (const e of entries) p.add(e);
  return p.finish();
}

/** A writer on `dir/frames.db`; commit(n) appends one segment of n entries and returns its first seq. */
function open(dir: string, options: LogWriterOptions = {}) {
  const path = join(dir, 'frames.db');
  const db = openLogDb(path, 'os');
  db.pragma('synchronous = NORMAL');
  const writer = new LogWriter(db, { durability: 'fsync', ...options });
  let n = 0;
  let id = 1;
  return {
    path,
    db,
    writer,
    commit(count: number, extra: Partial<NewLogEntry> = {}): number {
      const entries = Array.from({ length: count }, () => {
        const k = n++;
        return entry(VINS[k % VINS.length], k, extra);
      });
      return writer.commit([{ t: 'append', id: id++, entries: pack(entries) }])[0].value;
    },
    close(): void {
      writer.close();
      db.close();
    },
  };
}

interface Row {
  first_seq: number;
  last_seq: number;
  file: number;
  file_offset: number;
  meta_bytes: number;
  raw_bytes: number;
}
const rows = (db: Database.Database): Row[] =>
  db.prepare('SELECT first_seq, last_seq, file, file_offset, meta_bytes, raw_bytes FROM segments ORDER BY first_seq').all() as Row[];

function readAll(path: string): { seq: number; raw: number[] }[] {
  const reader = new SqliteLogReader(path, 'os');
  try {
    return reader.read(0, 1_000_000).map((e) => ({ seq: e.seq, raw: [...e.raw] }));
  } finally {
    reader.close();
  }
}

const fileOf = (path: string, base: number): string => join(segmentsDir(path), `${String(base).padStart(16, '0')}.seg`);

test('segment files: the bytes are in the file, the row points at them; checksum and reads agree', () =>
  withDir((dir) => {
    const w = open(dir);
    try {
      assert.equal(w.commit(3), 1);
      assert.equal(w.commit(2), 4);
      const rs = rows(w.db);
      assert.equal(rs.length, 2);
      assert.deepEqual(listSegmentFiles(segmentsDir(w.path)), [1], 'one file, named by its first seq');
      const blobs = w.db.prepare('SELECT length(meta) AS m, length(raw) AS r FROM segments').all() as { m: number; r: number }[];
      assert.deepEqual(blobs, [{ m: 0, r: 0 }, { m: 0, r: 0 }], 'no bytes in the index');
      const file = readFileSync(fileOf(w.path, 1));
      assert.equal(file.byteLength, rs[1].file_offset + SEGMENT_HEADER_BYTES + rs[1].meta_bytes + rs[1].raw_bytes);
      const second = rs[1].file_offset + SEGMENT_HEADER_BYTES;
      const meta = file.subarray(second, second + rs[1].meta_bytes);
      const raw = file.subarray(second + rs[1].meta_bytes, second + rs[1].meta_bytes + rs[1].raw_bytes);
      assert.equal(file.readUInt32LE(rs[1].file_offset + 28), segmentChecksum(meta, raw));
      const expected = [0, 1, 2, 3, 4].map((k) => [...entry(VINS[k % 3], k).raw]);
      assert.deepEqual(readAll(w.path).map((e) => e.raw), expected);
    } finally {
      w.close();
    }
  }));

test('checksum: the same for bytes at any offset; changed by a zeroed word or a swapped pair', () => {
  const meta = Uint8Array.from({ length: 57 }, (_, i) => (i * 37 + 1) & 0xff);
  const raw = Uint8Array.from({ length: 1003 }, (_, i) => (i * 11 + 5) & 0xff);
  const sum = segmentChecksum(meta, raw);
  for (let shift = 1; shift < 4; shift++) {
    const m = Buffer.alloc(meta.length + shift);
    m.set(meta, shift);
    const r = Buffer.alloc(raw.length + shift);
    r.set(raw, shift);
    assert.equal(segmentChecksum(m.subarray(shift), r.subarray(shift)), sum, `offset ${shift}`);
  }
  const zeroed = raw.slice();
  zeroed.fill(0, 400, 404);
  assert.notEqual(segmentChecksum(meta, zeroed), sum);
  const swapped = raw.slice();
  swapped.set(raw.subarray(0, 4), 8);
  swapped.set(raw.subarray(8, 12), 0);
  assert.notEqual(segmentChecksum(meta, swapped), sum);
  assert.notEqual(segmentChecksum(raw, meta), segmentChecksum(meta, raw));
});

test('recovery: index rows lost with their NORMAL commit are rebuilt from the files, vin reads included', () =>
  withDir((dir) => {
    let w = open(dir);
    for (let i = 0; i < 6; i++) w.commit(4);
    const before = readAll(w.path);
    // A power cut took the last three commits of the index (the files were fdatasynced).
    w.db.prepare('DELETE FROM segments WHERE first_seq > 12').run();
    w.close();
    w = open(dir);
    try {
      assert.equal(rows(w.db).length, 6, 'the three rows are back');
      assert.deepEqual(readAll(w.path), before);
      assert.equal(w.commit(1), 25, 'the next seq follows the recovered segments');
      const reader = new SqliteLogReader(w.path, 'os');
      try {
        assert.deepEqual(
          reader.readVin(VINS[1], 0, 100).map((e) => e.seq),
          [2, 5, 8, 11, 14, 17, 20, 23],
        );
      } finally {
        reader.close();
      }
    } finally {
      w.close();
    }
  }));

test('recovery: a torn last segment (never indexed) is cut off; the next commit takes its seqs and its place', () =>
  withDir((dir) => {
    let w = open(dir);
    w.commit(3);
    w.commit(3);
    const keep = readAll(w.path).slice(0, 3);
    const [, second] = rows(w.db);
    // The second commit never finished: its row is not in the index, its bytes half written.
    w.db.prepare('DELETE FROM segments WHERE first_seq = ?').run(second.first_seq);
    w.close();
    const path = fileOf(join(dir, 'frames.db'), 1);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(8), 0, 8, second.file_offset + SEGMENT_HEADER_BYTES + second.meta_bytes + 2);
    closeSync(fd);
    w = open(dir);
    try {
      assert.equal(statSync(path).size, second.file_offset, 'the file ends after the last valid segment');
      assert.deepEqual(readAll(w.path), keep);
      assert.equal(w.commit(2), 4, 'seqs 4.. were never given: given now');
      assert.equal(rows(w.db)[1].file_offset, second.file_offset);
      assert.deepEqual(
        readAll(w.path).map((e) => e.seq),
        [1, 2, 3, 4, 5],
      );
    } finally {
      w.close();
    }
  }));

test('recovery: an index row whose bytes do not check out goes, and its seqs are not given again', () =>
  withDir((dir) => {
    let w = open(dir);
    w.commit(3);
    w.commit(3);
    const [, second] = rows(w.db);
    w.close();
    // Durability os and a power cut: the index row reached the disk, part of its bytes did not.
    const path = fileOf(join(dir, 'frames.db'), 1);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(16), 0, 16, second.file_offset + SEGMENT_HEADER_BYTES + 4);
    closeSync(fd);
    w = open(dir);
    try {
      assert.deepEqual(
        rows(w.db).map((r) => r.first_seq),
        [1],
      );
      assert.equal(w.commit(1), 7, 'seqs 4–6 may have been read by a consumer: not given again');
      assert.deepEqual(
        readAll(w.path).map((e) => e.seq),
        [1, 2, 3, 7],
      );
    } finally {
      w.close();
    }
  }));

test('recovery: garbage and empty files past the log are deleted; a file of zeros is no segment', () =>
  withDir((dir) => {
    let w = open(dir);
    w.commit(2);
    w.close();
    const segDir = segmentsDir(join(dir, 'frames.db'));
    writeFileSync(join(segDir, '0000000000000003.seg'), Buffer.alloc(4096));
    writeFileSync(join(segDir, '0000000000000009.seg'), Buffer.from('not a segment at all'));
    writeFileSync(join(segDir, 'README'), 'left alone');
    w = open(dir);
    try {
      assert.deepEqual(listSegmentFiles(segDir), [1]);
      assert.ok(existsSync(join(segDir, 'README')));
      assert.equal(w.commit(1), 3);
      assert.deepEqual(
        readAll(w.path).map((e) => e.seq),
        [1, 2, 3],
      );
    } finally {
      w.close();
    }
  }));

test('files: a new file past fileMaxBytes; recovery crosses files; prune deletes the files no row points into', () =>
  withDir((dir) => {
    let w = open(dir, { fileMaxBytes: 600 });
    const t0 = 1_761_566_522_000;
    for (let i = 0; i < 8; i++) w.commit(3, { receivedAt: t0 + i * 1000 });
    const files = listSegmentFiles(segmentsDir(w.path));
    assert.ok(files.length >= 4, `${files.length} files`);
    assert.equal(files[0], 1);
    // Lose the index of everything after the first file, then recover across the files.
    const all = readAll(w.path);
    w.db.prepare('DELETE FROM segments WHERE file > 1').run();
    w.close();
    w = open(dir, { fileMaxBytes: 600 });
    try {
      assert.deepEqual(readAll(w.path), all, 'every file re-indexed in order');
      // Prune the first 5 commits (received before t0 + 5 s): their files go, the rest stay.
      const n = w.writer.prune(t0 + 5000, 1_000_000);
      assert.equal(n, 15);
      const left = listSegmentFiles(segmentsDir(w.path));
      assert.ok(left.length < files.length && left.length > 0, `files ${files.join(',')} → ${left.join(',')}`);
      const firstRow = rows(w.db)[0];
      assert.equal(left[0], firstRow.file, 'the first file left is the first one a row points into');
      assert.deepEqual(
        readAll(w.path).map((e) => e.seq),
        all.slice(15).map((e) => e.seq),
      );
    } finally {
      w.close();
    }
  }));

test('files: a failed transaction cuts the file back; nothing of it is read or recovered', () =>
  withDir((dir) => {
    let w = open(dir);
    w.commit(2);
    const size = statSync(fileOf(w.path, 1)).size;
    const bad = pack([entry(VINS[0], 50), entry(VINS[1], 51)]);
    assert.throws(() =>
      w.writer.commit([
        { t: 'append', id: 90, entries: bad },
        // A cursor without a seq violates NOT NULL: the transaction fails after the segment was written.
        { t: 'cursor', id: 91, name: 'store', seq: null as unknown as number, at: 0 },
      ]),
    );
    assert.equal(statSync(fileOf(w.path, 1)).size, size);
    assert.equal(w.commit(1), 3, 'no seq consumed');
    w.close();
    w = open(dir);
    try {
      assert.deepEqual(
        readAll(w.path).map((e) => e.seq),
        [1, 2, 3],
      );
    } finally {
      w.close();
    }
  }));

test('files: a log of an earlier release (segments as blobs) reads on, and new segments go to files', () =>
  withDir(async (dir) => {
    // An earlier release's segment row: meta and raw in the row, no file columns set.
    const path = join(dir, 'frames.db');
    const db = openLogDb(path, 'os');
    const old = pack([entry(VINS[0], 0), entry(VINS[1], 1)]);
    db.prepare('INSERT INTO segments (first_seq, last_seq, received_min, received_max, meta, raw) VALUES (1, 2, 0, 0, ?, ?)').run(old.meta, old.raw);
    db.close();
    const log = new SqliteFrameLog({ dataDir: dir });
    try {
      assert.deepEqual(await log.append([entry(VINS[2], 2)]), [3]);
      const all = await log.read(0, 10);
      assert.deepEqual(
        all.map((e) => [e.seq, e.vin]),
        [
          [1, VINS[0]],
          [2, VINS[1]],
          [3, VINS[2]],
        ],
      );
      assert.deepEqual([...all[1].raw], [...entry(VINS[1], 1).raw]);
      assert.deepEqual(
        (await log.readVin(VINS[1], 0, 10)).map((e) => e.seq),
        [2],
      );
      assert.deepEqual(listSegmentFiles(segmentsDir(path)), [3]);
    } finally {
      await log.close();
    }
    assert.ok(readdirSync(dir).includes('frames.db-segments'));
  }));
