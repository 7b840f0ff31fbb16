// Opening a frame log written by the one-row-per-frame layout migrates it to segments.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { entry } from './conformance.js';
import { SqliteFrameLog } from './sqlite.js';
import type { LogEntry, NewLogEntry } from './types.js';

/** The schema of the one-row-per-frame layout, as the previous version created it. */
const OLD_SCHEMA = `
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

const VINS = ['LNBSCCAK5PT000001', 'LNBSCCAK5PT000002', 'LNBSCCAK5PT000003'];

function oldLog(dir: string, rows: number, keep: (seq: number) => boolean): Map<number, NewLogEntry> {
  mkdirSync(dir, { recursive: true });
  const db = new Database(join(dir, 'frames.db'));
  db.pragma('journal_mode = WAL');
  db.exec(OLD_SCHEMA);
  const insert = db.prepare(
    'INSERT INTO frames (vin, version, command_id, collected_at, received_at, session_id, peer, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const kept = new Map<number, NewLogEntry>();
  db.transaction(() => {
    for (let i = 1; i <= rows; i++) {
      const e = entry(VINS[i % 3], i, {
        collectedAt: i % 5 === 0 ? null : '2025-10-27T20:02:02+08:00',
        commandId: i % 4 === 0 ? 0x07 : 0x02,
        sessionId: `s-${i % 7}`,
        raw: i % 1000 === 0 ? new Uint8Array(0) : entry(VINS[0], i).raw,
      });
      const seq = Number(insert.run(e.vin, e.version, e.commandId, e.collectedAt, e.receivedAt, e.sessionId, e.peer, e.raw).lastInsertRowid);
      assert.equal(seq, i);
      if (keep(seq)) kept.set(seq, e);
    }
    // Pruned rows: a gap in the middle and the newest ones (AUTOINCREMENT keeps the high-water mark).
    const remove = db.prepare('DELETE FROM frames WHERE seq = ?');
    for (let i = 1; i <= rows; i++) if (!keep(i)) remove.run(i);
  })();
  db.prepare('INSERT INTO cursors (name, seq, updated_at) VALUES (?, ?, ?)').run('store', 1234, 1);
  db.close();
  return kept;
}

function same(got: LogEntry, want: NewLogEntry): void {
  assert.equal(got.vin, want.vin);
  assert.equal(got.version, want.version);
  assert.equal(got.commandId, want.commandId);
  assert.equal(got.collectedAt, want.collectedAt);
  assert.equal(got.receivedAt, want.receivedAt);
  assert.equal(got.sessionId, want.sessionId);
  assert.equal(got.peer, want.peer);
  assert.deepEqual(Array.from(got.raw), Array.from(want.raw));
}

test('migration: a log of the frames table opens as segments with the same seqs, cursors and high-water mark', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nevhub-migrate-'));
  try {
    // 12,500 rows (more than one read chunk), 400..455 and 12,001.. pruned.
    const kept = oldLog(dir, 12_500, (seq) => !(seq >= 400 && seq <= 455) && seq <= 12_000);
    let log = new SqliteFrameLog({ dataDir: dir, durability: 'os' });
    try {
      const all = await log.read(0, 100_000);
      assert.deepEqual(
        all.map((e) => e.seq),
        [...kept.keys()],
      );
      for (const e of all) same(e, kept.get(e.seq) as NewLogEntry);
      for (const vin of VINS) {
        const want = [...kept.entries()].filter(([, e]) => e.vin === vin).map(([seq]) => seq);
        assert.deepEqual((await log.readVin(vin, 0, 100_000)).map((e) => e.seq), want);
        assert.deepEqual((await log.readVin(vin, 399, 2)).map((e) => e.seq), want.filter((s) => s > 399).slice(0, 2));
        assert.deepEqual((await log.readVinBefore(vin, 12_000, 3)).map((e) => e.seq), want.filter((s) => s < 12_000).reverse().slice(0, 3));
      }
      assert.equal(await log.lastSeq(), 12_500, 'the high-water mark of sqlite_sequence');
      assert.equal(await log.getCursor('store'), 1234);
      assert.deepEqual(await log.append([entry(VINS[0], 1)]), [12_501]);
      await log.close();
      const tables = new Database(join(dir, 'frames.db'), { readonly: true });
      try {
        const names = (tables.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
        assert.ok(!names.includes('frames'), 'frames is dropped');
        assert.ok(names.includes('segments'));
      } finally {
        tables.close();
      }
      // Opening again changes nothing.
      log = new SqliteFrameLog({ dataDir: dir, durability: 'os' });
      assert.equal((await log.read(0, 100_000)).length, kept.size + 1);
      assert.deepEqual(await log.append([entry(VINS[1], 2)]), [12_502]);
      assert.deepEqual((await log.readVin(VINS[0], 12_000, 10)).map((e) => e.seq), [12_501]);
    } finally {
      await log.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('migration: an empty frames table keeps its high-water mark', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nevhub-migrate-'));
  try {
    oldLog(dir, 50, () => false);
    const log = new SqliteFrameLog({ dataDir: dir, durability: 'os' });
    try {
      assert.deepEqual(await log.read(0, 10), []);
      assert.equal(await log.lastSeq(), 50);
      assert.deepEqual(await log.append([entry(VINS[0], 1)]), [51]);
    } finally {
      await log.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
