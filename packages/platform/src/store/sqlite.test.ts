import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { runStoreConformance } from './conformance.js';
import { SqliteStore } from './sqlite.js';

runStoreConformance('sqlite', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nevhub-store-'));
  let store = new SqliteStore({ dataDir });
  return {
    store,
    async reopen() {
      await store.close();
      store = new SqliteStore({ dataDir });
      return store;
    },
    async cleanup() {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});

test('sqlite store: the file is store.db in the data dir, in WAL mode', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nevhub-store-'));
  const store = new SqliteStore({ dataDir });
  try {
    assert.equal(store.path, join(dataDir, 'store.db'));
    const peek = new Database(store.path, { readonly: true });
    assert.equal(peek.pragma('journal_mode', { simple: true }), 'wal');
    peek.close();
    await assert.rejects(store.historySeries('X', 0, 1, ['bogus']), /unknown series field/);
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  await assert.rejects(store.latest(), /closed/);
});
