// WAL checkpoints on their own thread (sqlite-checkpoint.ts): the writer never checkpoints, the WAL
// still starts again from its beginning (its file stays bounded), nothing appended is lost, and
// the log falls back to checkpoints in the commit when the thread is gone. Real files throughout.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { entry } from './conformance.js';
import { Checkpointer } from './sqlite-checkpoint.js';
import { SqliteFrameLog } from './sqlite.js';

const VIN = 'LNBSCCAK5PT000001';
const PAGE = 4096;

async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'nevhub-ckpt-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A frame entry of about `bytes` raw bytes (a few pages per commit of 40). */
function bigEntry(n: number, bytes = 2000): ReturnType<typeof entry> {
  const e = entry(VIN, n);
  const raw = new Uint8Array(bytes);
  raw.set(e.raw);
  raw[bytes - 1] = n & 0xff;
  return { ...e, raw };
}

const walBytes = (path: string): number => {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
};

test('checkpointer: PASSIVE copies alongside a writer that never checkpoints; RESTART starts the WAL again', async () => {
  const { dir, cleanup } = await tempDir();
  const path = join(dir, 't.db');
  const writer = new Database(path);
  const other = new Database(path);
  try {
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)');
    const insert = writer.prepare('INSERT INTO t (b) VALUES (?)');
    const blob = Buffer.alloc(3 * PAGE, 7);
    const cp = new Checkpointer(other, 64);
    for (let i = 0; i < 10; i++) insert.run(blob);
    const first = cp.run();
    assert.ok(first.walPages >= 30 && first.walPages < 64, `WAL of ${first.walPages} pages, below the restart mark`);
    assert.equal(first.copiedPages, first.walPages, 'PASSIVE copied every page (no reader holds one)');
    assert.equal(first.restarted, false);
    assert.equal(cp.run().copiedPages, 0, 'nothing new to copy');
    // Past the restart mark: RESTART, and the next commit writes from the WAL's start.
    for (let i = 0; i < 20; i++) insert.run(blob);
    const second = cp.run();
    assert.equal(second.restarted, true);
    assert.ok(second.walPages >= 64);
    const size = walBytes(path);
    insert.run(blob);
    assert.equal(walBytes(path), size, 'the WAL file did not grow: it is being rewritten from its start');
    assert.ok(cp.run().walPages < 10, 'the WAL holds only the last commit');
    assert.equal((other.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 31);
  } finally {
    writer.close();
    other.close();
    await cleanup();
  }
});

test('checkpointer: a reader holding an old snapshot defers the RESTART (busy) without blocking; it succeeds once the reader is done', async () => {
  const { dir, cleanup } = await tempDir();
  const path = join(dir, 't.db');
  const writer = new Database(path);
  const reader = new Database(path);
  const other = new Database(path);
  try {
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    other.pragma('busy_timeout = 5');
    writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)');
    const insert = writer.prepare('INSERT INTO t (b) VALUES (?)');
    const blob = Buffer.alloc(3 * PAGE, 1);
    for (let i = 0; i < 5; i++) insert.run(blob);
    // A read transaction pinned at this snapshot (a long API read, say).
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').get();
    for (let i = 0; i < 30; i++) insert.run(blob);
    const cp = new Checkpointer(other, 32);
    const t0 = performance.now();
    const r = cp.run();
    assert.equal(r.busy, true, 'RESTART gave way to the reader');
    assert.equal(r.restarted, false);
    assert.ok(performance.now() - t0 < 1000, 'and did not wait for it');
    insert.run(blob); // the writer is not blocked either
    reader.exec('COMMIT');
    const again = cp.run();
    assert.equal(again.restarted, true);
  } finally {
    writer.close();
    reader.close();
    other.close();
    await cleanup();
  }
});

test('sqlite log: with the checkpoint thread the WAL restarts and stays bounded under steady appends; every entry reads back', async () => {
  const { dir, cleanup } = await tempDir();
  const log = new SqliteFrameLog({ dataDir: dir, checkpointIntervalMs: 5, walRestartBytes: 32 * 1024 });
  try {
    let n = 0;
    let maxWal = 0;
    // ≈ 16 MB of frames: their bytes go to the segment files, the WAL holds the index rows only
    // and restarts every 32 KiB.
    for (let round = 0; round < 200; round++) {
      await log.append(Array.from({ length: 40 }, () => bigEntry(n++)));
      maxWal = Math.max(maxWal, walBytes(log.path));
      if (round % 20 === 0) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(log.stats.walRestarts > 0, `the WAL restarted (${log.stats.walRestarts} times)`);
    assert.ok(log.stats.checkpointPages > 0, `${log.stats.checkpointPages} pages copied by the thread`);
    assert.equal(log.stats.checkpointError, undefined);
    assert.ok(maxWal < 2 ** 20, `WAL file at most ${maxWal} bytes for 16 MB appended`);
    const all = await log.read(0, 10_000);
    assert.equal(all.length, n);
    assert.deepEqual(all[n - 1].raw, bigEntry(n - 1).raw);
  } finally {
    await log.close();
    await cleanup();
  }
});

test("sqlite log: checkpoint 'commit' (SQLite's automatic checkpoint in the writer) works as before", async () => {
  const { dir, cleanup } = await tempDir();
  const log = new SqliteFrameLog({ dataDir: dir, checkpoint: 'commit' });
  try {
    for (let i = 0; i < 20; i++) await log.append([bigEntry(i)]);
    assert.equal(log.stats.checkpoints, 0, 'no checkpoint thread');
    assert.equal((await log.read(0, 100)).length, 20);
  } finally {
    await log.close();
    await cleanup();
  }
});

test('sqlite log: when the checkpoint thread dies the writer checkpoints in its commits again; appends go on', async () => {
  const { dir, cleanup } = await tempDir();
  const log = new SqliteFrameLog({ dataDir: dir });
  try {
    await log.append([bigEntry(0)]);
    const thread = (log as unknown as { checkpointer: Worker }).checkpointer;
    await thread.terminate();
    for (let i = 0; i < 50 && log.stats.checkpointError === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    assert.match(log.stats.checkpointError ?? '', /checkpoint thread exited/);
    // 24 MB of appends: with the writer's automatic checkpoint back (4,096 pages = 16 MiB) the WAL
    // starts again before it holds them all.
    let n = 1;
    for (let round = 0; round < 24; round++) await log.append(Array.from({ length: 500 }, () => bigEntry(n++)));
    assert.ok(walBytes(log.path) < 20 * 2 ** 20, `WAL file of ${walBytes(log.path)} bytes after 24 MB`);
    assert.equal((await log.read(0, 20_000)).length, n);
  } finally {
    await log.close();
    await cleanup();
  }
});
