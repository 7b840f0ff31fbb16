import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { runStoreConformance } from './conformance.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
import type { SessionEvent } from './types.js';
import { WriteBatch, type WriteOutcome } from './write-batch.js';

const vinOf = (i: number): string => `LWBATCH${String(i).padStart(10, '0')}`;
const event = (vin: string, i: number): SessionEvent => ({ vin, kind: 'login', at: 1000 + i, sessionId: `s${i}`, peer: '10.0.0.1:5000', serial: i });

async function withDir(fn: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'nevhub-wbatch-'));
  try {
    await fn(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

for (const writes of ['thread', 'inline'] as const satisfies readonly SqliteStoreOptions['writes'][]) {
  test(`write batch (${writes}): upserts and events of one turn share one transaction and survive a reopen`, () =>
    withDir(async (dataDir) => {
      const store = new SqliteStore({ dataDir, writes });
      const n = 300;
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < n; i++) {
        calls.push(store.upsertVehicle({ vin: vinOf(i), iccid: `ICCID${i}`, lastLoginSerial: i + 1, lastLoginDate: '2025-10-27' }));
        calls.push(store.recordSessionEvent(event(vinOf(i), i)));
      }
      assert.equal(store.writeStats.batches, 0, 'nothing committed before the turn ends');
      await Promise.all(calls);
      assert.deepEqual(store.writeStats, { batches: 1, failedBatches: 0, writes: 2 * n, failedWrites: 0, largestBatch: 2 * n });
      await store.close();
      const again = new SqliteStore({ dataDir, writes });
      try {
        assert.equal((await again.listVehicles()).length, n);
        assert.equal((await again.getVehicle(vinOf(7)))?.lastLoginSerial, 8);
        assert.deepEqual(await again.sessionEvents(vinOf(7), 0, 10_000), [event(vinOf(7), 7)]);
      } finally {
        await again.close();
      }
    }));

  test(`write batch (${writes}): presence flags of one turn share the registry's transaction`, () =>
    withDir(async (dataDir) => {
      const store = new SqliteStore({ dataDir, writes });
      try {
        const calls = [
          store.upsertVehicle({ vin: vinOf(1), lastLoginSerial: 1, lastLoginDate: '2025-10-27' }),
          store.setOnline(vinOf(1), true, 1000),
          store.setOnline(vinOf(2), true, 1001),
          store.setOnline(vinOf(2), false, 1002),
        ];
        assert.equal(store.writeStats.batches, 0, 'nothing committed before the turn ends');
        await Promise.all(calls);
        assert.equal(store.writeStats.batches, 1);
        assert.equal(store.writeStats.writes, 4);
        const latest = await store.latest([vinOf(1), vinOf(2)]);
        assert.deepEqual(
          latest.map((l) => [l.vin, l.online]),
          [
            [vinOf(1), true],
            [vinOf(2), false],
          ],
        );
      } finally {
        await store.close();
      }
    }));

  test(`write batch (${writes}): reads see writes not yet committed; two upserts of a VIN in one batch merge`, () =>
    withDir(async (dataDir) => {
      const store = new SqliteStore({ dataDir, writes });
      const sequential = new SqliteStore({ dataDir, writes, fileName: 'sequential.db' });
      try {
        const vin = vinOf(1);
        await store.upsertVehicle({ vin, plate: '冀F·D12345', lastLoginSerial: 1, lastLoginDate: '2025-10-27' });
        const created = (await store.getVehicle(vin))?.createdAt;
        const batches = store.writeStats.batches;
        // The gateway: look up, upsert (not yet committed), and the next login of the same VIN looks up.
        const second = store.upsertVehicle({ vin, lastLoginSerial: 2, iccid: 'A' });
        const seen = await store.getVehicle(vin);
        assert.equal(store.writeStats.batches, batches, 'still pending');
        assert.equal(seen?.lastLoginSerial, 2, 'getVehicle sees the pending serial');
        assert.equal(seen?.plate, '冀F·D12345');
        assert.equal(seen?.createdAt, created);
        const third = store.upsertVehicle({ vin, lastLoginSerial: 3, version: 2025, enabled: false });
        const [r2, r3] = await Promise.all([second, third]);
        assert.equal(store.writeStats.batches, batches + 1, 'both upserts in one transaction');
        assert.equal(r2.lastLoginSerial, 2);
        // Same result as the same three upserts one after the other, each awaited.
        await sequential.upsertVehicle({ vin, plate: '冀F·D12345', lastLoginSerial: 1, lastLoginDate: '2025-10-27' });
        await sequential.upsertVehicle({ vin, lastLoginSerial: 2, iccid: 'A' });
        const expected = await sequential.upsertVehicle({ vin, lastLoginSerial: 3, version: 2025, enabled: false });
        const strip = (v: object | undefined): object => ({ ...v, createdAt: 0, updatedAt: 0 });
        assert.deepEqual(strip(r3), strip(expected));
        assert.deepEqual(strip(await store.getVehicle(vin)), strip(await sequential.getVehicle(vin)));
        assert.deepEqual(strip((await store.listVehicles())[0]), strip(expected));
        // Other reads and writes of these tables come after the queued writes.
        const pending = store.upsertVehicle({ vin: vinOf(2), plate: 'X' });
        const listed = await store.listVehicles({ text: 'X' });
        assert.deepEqual(listed.map((v) => v.vin), [vinOf(2)]);
        await pending;
        void store.upsertVehicle({ vin: vinOf(3) });
        assert.equal(await store.deleteVehicle(vinOf(3)), true, 'the delete follows the queued upsert');
        void store.recordSessionEvent(event(vin, 50));
        assert.deepEqual((await store.sessionEvents(vin, 0, 10_000)).map((e) => e.at), [1050]);
        await new Promise((r) => setImmediate(r));
        assert.equal(await store.getVehicle(vinOf(3)), undefined);
      } finally {
        await store.close();
        await sequential.close();
      }
    }));

  test(`write batch (${writes}): a failed write rejects alone; a failed transaction rejects its batch only`, () =>
    withDir(async (dataDir) => {
      const store = new SqliteStore({ dataDir, writes, busyTimeoutMs: 20 });
      try {
        // One write fails (NOT NULL constraint): it alone rejects, its neighbours commit.
        const bad = { ...event(vinOf(1), 1), sessionId: null as unknown as string };
        const [a, b, c] = await Promise.allSettled([
          store.recordSessionEvent(event(vinOf(1), 0)),
          store.recordSessionEvent(bad),
          store.upsertVehicle({ vin: vinOf(1), lastLoginSerial: 1 }),
        ]);
        assert.equal(a.status, 'fulfilled');
        assert.ok(b.status === 'rejected');
        assert.match(String(b.reason), /NOT NULL/);
        assert.equal(c.status, 'fulfilled');
        assert.deepEqual(store.writeStats, { batches: 1, failedBatches: 0, writes: 3, failedWrites: 1, largestBatch: 3 });
        assert.equal((await store.sessionEvents(vinOf(1), 0, 10_000)).length, 1);

        // The whole transaction fails: another connection holds the write lock beyond busy_timeout.
        const other = new Database(store.path);
        other.exec('BEGIN IMMEDIATE');
        const failing = [store.upsertVehicle({ vin: vinOf(1), lastLoginSerial: 2 }), store.recordSessionEvent(event(vinOf(1), 2))];
        assert.equal((await store.getVehicle(vinOf(1)))?.lastLoginSerial, 2, 'pending');
        const settled = await Promise.allSettled(failing);
        assert.deepEqual(settled.map((s) => s.status), ['rejected', 'rejected']);
        assert.match(String((settled[0] as PromiseRejectedResult).reason), /locked|busy/i);
        assert.equal(store.writeStats.failedBatches, 1);
        assert.equal((await store.getVehicle(vinOf(1)))?.lastLoginSerial, 1, 'the failed upsert is forgotten');
        other.exec('ROLLBACK');
        other.close();

        // Later calls work.
        await store.upsertVehicle({ vin: vinOf(1), lastLoginSerial: 3 });
        await store.recordSessionEvent(event(vinOf(1), 3));
        assert.equal((await store.getVehicle(vinOf(1)))?.lastLoginSerial, 3);
        assert.deepEqual((await store.sessionEvents(vinOf(1), 0, 10_000)).map((e) => e.serial), [0, 3]);
      } finally {
        await store.close();
      }
    }));

  test(`write batch (${writes}): close() commits what is queued; calls after close reject`, () =>
    withDir(async (dataDir) => {
      const store = new SqliteStore({ dataDir, writes });
      const up = store.upsertVehicle({ vin: vinOf(9), lastLoginSerial: 9 });
      const ev = store.recordSessionEvent(event(vinOf(9), 9));
      await store.close();
      assert.equal((await up).lastLoginSerial, 9);
      await ev;
      await assert.rejects(store.upsertVehicle({ vin: vinOf(9) }), /closed/);
      await assert.rejects(store.recordSessionEvent(event(vinOf(9), 10)), /closed/);
      const again = new SqliteStore({ dataDir, writes });
      try {
        assert.equal((await again.getVehicle(vinOf(9)))?.lastLoginSerial, 9);
        assert.equal((await again.sessionEvents(vinOf(9), 0, 10_000)).length, 1);
      } finally {
        await again.close();
      }
    }));
}

runStoreConformance('sqlite, inline writes', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nevhub-store-'));
  let store = new SqliteStore({ dataDir, writes: 'inline' });
  return {
    store,
    async reopen() {
      await store.close();
      store = new SqliteStore({ dataDir, writes: 'inline' });
      return store;
    },
    async cleanup() {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});

test('write batch: an asynchronous committer pipelines (writes during a commit form the next batch)', async () => {
  const committed: number[][] = [];
  let release: (() => void) | undefined;
  const batch = new WriteBatch<number>(
    async (ops) => {
      await new Promise<void>((r) => (release = r));
      if (ops.includes(-1)) throw new Error('disk full');
      committed.push([...ops]);
      return ops.map((o): WriteOutcome => (o === 13 ? new Error('unlucky') : undefined));
    },
    { maxBatch: 3 },
  );
  const first = [1, 2].map((o) => batch.add(o));
  await new Promise((r) => setImmediate(r));
  assert.equal(batch.stats.batches, 1, 'the first batch is committing');
  const second = Promise.allSettled([3, 13, 4, 5].map((o) => batch.add(o)));
  assert.equal(batch.pending, 6, '2 committing, 4 queued');
  release?.();
  await Promise.all(first);
  await new Promise((r) => setImmediate(r));
  release?.();
  await new Promise((r) => setImmediate(r));
  release?.();
  const results = await second;
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  assert.deepEqual(committed, [[1, 2], [3, 13, 4], [5]], 'maxBatch splits the queue');
  const failing = Promise.allSettled([batch.add(6), batch.add(-1)]);
  const after = batch.flush();
  await new Promise((r) => setImmediate(r));
  release?.();
  assert.deepEqual((await failing).map((r) => r.status), ['rejected', 'rejected']);
  await after;
  const later = batch.add(7);
  await new Promise((r) => setImmediate(r));
  release?.();
  await later;
  assert.deepEqual(committed.at(-1), [7]);
  assert.deepEqual(batch.stats, { batches: 5, failedBatches: 1, writes: 9, failedWrites: 3, largestBatch: 3 });
});
