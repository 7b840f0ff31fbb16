import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { entry, runFrameLogConformance } from './conformance.js';
import { LogFullError } from './errors.js';
import { SqliteFrameLog } from './sqlite.js';

runFrameLogConformance('sqlite', async (options) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nevhub-log-'));
  let log = new SqliteFrameLog({ dataDir, maxPending: options?.maxPending });
  return {
    log,
    async reopen() {
      await log.close();
      log = new SqliteFrameLog({ dataDir, maxPending: options?.maxPending });
      return log;
    },
    async cleanup() {
      await log.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});

async function tempLog(opts: Partial<ConstructorParameters<typeof SqliteFrameLog>[0]> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'nevhub-log-'));
  const log = new SqliteFrameLog({ dataDir, ...opts });
  return {
    log,
    cleanup: async () => {
      await log.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

test('sqlite: appends of the same tick share one commit (group commit)', async () => {
  const { log, cleanup } = await tempLog();
  try {
    const calls = Array.from({ length: 100 }, (_, i) => log.append([entry('LNBSCCAK5PT000001', i)]));
    assert.equal(log.pending, 100);
    const seqs = (await Promise.all(calls)).flat();
    assert.deepEqual(seqs, Array.from({ length: 100 }, (_, i) => i + 1));
    assert.equal(log.stats.commits, 1);
    assert.equal(log.stats.entries, 100);
    assert.equal(log.pending, 0);
  } finally {
    await cleanup();
  }
});

test('sqlite: maxBatch caps a transaction; pending counts entries until their commit', async () => {
  const { log, cleanup } = await tempLog({ maxBatch: 10, maxPending: 25 });
  try {
    const calls = Array.from({ length: 25 }, (_, i) => log.append([entry('LNBSCCAK5PT000001', i)]));
    assert.equal(log.pending, 25, 'posted to the writer thread but not committed yet');
    await assert.rejects(log.append([entry('LNBSCCAK5PT000001', 99)]), LogFullError);
    const seqs = (await Promise.all(calls)).flat();
    assert.deepEqual(seqs, Array.from({ length: 25 }, (_, i) => i + 1));
    assert.equal(log.stats.commits, 3, '10 + 10 + 5');
    assert.equal(log.pending, 0);
    const { log: small, cleanup: cleanupSmall } = await tempLog({ maxBatch: 1000, maxPending: 5 });
    try {
      const ok = Array.from({ length: 5 }, (_, i) => small.append([entry('LNBSCCAK5PT000001', i)]));
      await assert.rejects(small.append([entry('LNBSCCAK5PT000001', 9)]), LogFullError);
      assert.equal((await Promise.all(ok)).length, 5);
      assert.deepEqual(await small.append([entry('LNBSCCAK5PT000001', 9)]), [6], 'space again after the commit');
    } finally {
      await cleanupSmall();
    }
  } finally {
    await cleanup();
  }
});

test('sqlite: the writer fdatasyncs the segment files by default, not with durability os; its index is WAL, synchronous=NORMAL', async () => {
  const { log, cleanup } = await tempLog();
  const { log: os, cleanup: cleanupOs } = await tempLog({ durability: 'os' });
  try {
    assert.deepEqual(await log.settings(), { journalMode: 'wal', synchronous: 1, fileSync: true });
    assert.deepEqual(await os.settings(), { journalMode: 'wal', synchronous: 1, fileSync: false });
  } finally {
    await cleanup();
    await cleanupOs();
  }
});

test('sqlite: a log file with 64 KiB pages works as one with the default 4 KiB (WAL thresholds are in bytes)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nevhub-log-'));
  try {
    const db = new Database(join(dataDir, 'frames.db'));
    db.pragma('page_size = 65536');
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE keep (x)');
    db.close();
    const log = new SqliteFrameLog({ dataDir, checkpointIntervalMs: 5, walRestartBytes: 256 * 1024 });
    try {
      for (let k = 0; k < 20; k++) await log.append(Array.from({ length: 100 }, (_, i) => entry('LNBSCCAK5PT000002', k * 100 + i)));
      assert.equal((await log.read(0, 10_000)).length, 2000);
      const check = new Database(log.path, { readonly: true });
      try {
        assert.equal(check.pragma('page_size', { simple: true }), 65536);
      } finally {
        check.close();
      }
    } finally {
      await log.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('sqlite: a malformed entry is rejected alone; the rest of its group commit is written', async () => {
  const { log, cleanup } = await tempLog();
  try {
    const good = log.append([entry('LNBSCCAK5PT000001', 1)]);
    const bad = log.append([{ ...entry('LNBSCCAK5PT000001', 2), receivedAt: Number.NaN }]);
    const good2 = log.append([entry('LNBSCCAK5PT000001', 3)]);
    await assert.rejects(bad, TypeError);
    assert.deepEqual([await good, await good2], [[1], [2]]);
    assert.equal((await log.read(0, 10)).length, 2);
  } finally {
    await cleanup();
  }
});
