import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { decodeFrame, encodeFrame, type Version } from '@nevhub/gbt32960';
import { SqliteFrameLog } from '../log/sqlite.js';
import type { FrameLog, NewLogEntry } from '../log/types.js';
import { SqliteStore } from '../store/sqlite.js';
import { bj, loginFrame, logoutFrame, realtimeFrame, supports } from '../store/testing/frames.js';
import { StoreWriter } from './store-writer.js';
import { StoreWriterWorker } from './store-writer-worker.js';

const VIN16 = 'LNBSCCAK5PT000001';
const VIN25 = 'LFCEV2025PT000002';
const T0 = Date.UTC(2025, 9, 27, 12, 0, 0);

function logEntry(raw: Uint8Array, receivedAt: number): NewLogEntry {
  const f = decodeFrame(raw);
  return {
    vin: f.vin,
    version: f.version,
    commandId: f.commandId,
    collectedAt: f.time,
    receivedAt,
    sessionId: `s-${f.vin.slice(-1)}`,
    peer: '127.0.0.1:50000',
    raw,
  };
}

/** A realistic stream: logins, 10 s realtime of a 2016 taxi and a 2025 FCEV truck, a reissue
 * burst that repeats two frames already received, a heartbeat, a logout. */
function stream(): NewLogEntry[] {
  const out: NewLogEntry[] = [];
  const add = (raw: Uint8Array, at: number): void => void out.push(logEntry(raw, at + 800));
  add(loginFrame(2016, VIN16, bj(T0), 1), T0);
  add(loginFrame(2025, VIN25, bj(T0), 1), T0);
  for (let i = 0; i < 20; i++) {
    const at = T0 + i * 10_000;
    add(realtimeFrame({ version: 2016, vin: VIN16, time: bj(at), speedKmh: 30 + i, socPct: 90 - i, lon: 115.46 + i / 1000, lat: 38.87 }), at);
    add(realtimeFrame({ version: 2025, vin: VIN25, time: bj(at), speedKmh: 20 + i, socPct: 70, h2RemainingPct: 80 - i }), at);
  }
  for (const i of [3, 4]) {
    const at = T0 + i * 10_000;
    const spec = { version: 2016 as Version, vin: VIN16, time: bj(at), speedKmh: 30 + i, socPct: 90 - i, lon: 115.46 + i / 1000, lat: 38.87 };
    add(realtimeFrame({ ...spec, command: 'reissue' }), T0 + 200_000);
  }
  add(realtimeFrame({ version: 2016, vin: VIN16, time: bj(T0 - 30_000), speedKmh: 5, command: 'reissue' }), T0 + 200_000);
  add(encodeFrame({ version: 2016, command: 'heartbeat', vin: VIN16, time: null, body: {} }), T0 + 201_000);
  add(logoutFrame(2016, VIN16, bj(T0 + 202_000), 1), T0 + 202_000);
  return out;
}

async function setup() {
  const dataDir = await mkdtemp(join(tmpdir(), 'nevhub-writer-'));
  const log = new SqliteFrameLog({ dataDir });
  const store = new SqliteStore({ dataDir });
  return {
    log,
    store,
    cleanup: async () => {
      await log.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function checkStore(store: SqliteStore): Promise<void> {
  const hist16 = await store.history(VIN16, 0, T0 * 2);
  assert.equal(hist16.length, 21, '20 realtime + 1 older reissue; the 2 repeated reissues are not stored twice');
  assert.deepEqual(hist16.map((h) => h.at), [T0 - 30_000, ...Array.from({ length: 20 }, (_, i) => T0 + i * 10_000)]);
  assert.equal(hist16[0].reissue, true);
  assert.equal(new Set(hist16.map((h) => h.seq)).size, 21);
  const hist25 = await store.history(VIN25, 0, T0 * 2);
  assert.equal(hist25.length, 20);
  assert.equal(hist25[19].frame.version, 2025);
  const [l16] = await store.latest([VIN16]);
  assert.equal(l16.at, T0 + 190_000, 'the older reissue did not overwrite the latest state');
  assert.equal(l16.speedKmh, 49);
  assert.equal(l16.socPct, 71);
  if (supports('position', 2016)) assert.equal(l16.lon, 115.479);
  const [l25] = await store.latest([VIN25]);
  assert.equal(l25.speedKmh, 39);
  if (supports('fuelCell', 2025)) assert.equal(l25.h2RemainingPct, 61);
  assert.equal((await store.getVehicle(VIN25))?.version, 2025, 'login registered the vehicle');
}

test('store writer: appended frames drained into latest state and history, cursor advanced', async () => {
  const { log, store, cleanup } = await setup();
  try {
    const entries = stream();
    // An entry whose raw bytes do not decode (bad BCC) is skipped, not fatal.
    const bad = Uint8Array.from(entries[2].raw);
    bad[bad.length - 1] ^= 0xff;
    await log.append([...entries, { ...entries[2], raw: bad }]);
    const writer = new StoreWriter({ log, store, batchSize: 7 });
    assert.equal(await writer.drain(), entries.length + 1);
    assert.equal(await log.getCursor('store'), await log.lastSeq());
    assert.equal(writer.stats.undecodable, 1);
    assert.equal(writer.stats.batches, Math.ceil((entries.length + 1) / 7));
    await checkStore(store);
    assert.equal(await writer.drain(), 0, 'caught up');
  } finally {
    await cleanup();
  }
});

test('store writer: a crash between apply and cursor advance replays without duplicates', async () => {
  const { log, store, cleanup } = await setup();
  try {
    await log.append(stream());
    const first = new StoreWriter({ log, store, batchSize: 10 });
    assert.equal(await first.step(), 10);
    assert.equal(await first.step(), 10);
    // The next batch is applied, but the process "dies" before the cursor is written.
    let failing = true;
    const crashing: FrameLog = Object.create(log) as FrameLog;
    crashing.setCursor = (name, seq) => (failing ? Promise.reject(new Error('killed')) : log.setCursor(name, seq));
    const second = new StoreWriter({ log: crashing, store, batchSize: 10 });
    await assert.rejects(second.step(), /killed/);
    assert.equal(await log.getCursor('store'), 20, 'cursor still before the applied batch');
    failing = false;
    // Restart: a new writer from the durable cursor replays the batch; idempotency absorbs it.
    const restarted = new StoreWriter({ log, store, batchSize: 10 });
    await restarted.drain();
    assert.equal(await log.getCursor('store'), await log.lastSeq());
    await checkStore(store);
  } finally {
    await cleanup();
  }
});

test('store writer: start() follows the log, notify() wakes it, stop() ends the loop', async () => {
  const { log, store, cleanup } = await setup();
  try {
    const entries = stream();
    const writer = new StoreWriter({ log, store, batchSize: 5, pollMs: 60_000 });
    writer.start();
    writer.start(); // idempotent
    const seqs = await log.append(entries.slice(0, 20));
    writer.notify();
    await until(() => writer.stats.cursor === seqs[seqs.length - 1]);
    const more = await log.append(entries.slice(20));
    writer.notify();
    await until(() => writer.stats.cursor === more[more.length - 1]);
    await writer.stop();
    await checkStore(store);
  } finally {
    await cleanup();
  }
});

test('store writer worker: drains the log in its own thread into the same store files', async () => {
  const { log, store, cleanup } = await setup();
  const applied: number[] = [];
  const writer = new StoreWriterWorker({ dataDir: dirname(log.path), batchSize: 7, onApply: (s) => applied.push(s) });
  try {
    const entries = stream();
    const bad = Uint8Array.from(entries[2].raw);
    bad[bad.length - 1] ^= 0xff;
    await log.append([...entries, { ...entries[2], raw: bad }]);
    assert.equal(await writer.drain(), entries.length + 1);
    assert.equal(await log.getCursor('store'), await log.lastSeq(), 'the worker advanced the durable cursor');
    assert.equal(writer.stats.undecodable, 1);
    assert.equal(writer.stats.batches, Math.ceil((entries.length + 1) / 7));
    assert.equal(applied.length, writer.stats.batches, 'every batch reported its apply time');
    await checkStore(store);
    assert.equal(await writer.drain(), 0, 'caught up');
  } finally {
    await writer.stop();
    await cleanup();
  }
});

test('store writer worker: start() follows the log, notify() wakes it, stop() ends it', async () => {
  const { log, store, cleanup } = await setup();
  const errors: unknown[] = [];
  const writer = new StoreWriterWorker({ dataDir: dirname(log.path), batchSize: 5, pollMs: 60_000, onError: (e) => errors.push(e) });
  try {
    writer.start();
    const entries = stream();
    const seqs = await log.append(entries.slice(0, 20));
    writer.notify();
    await until(() => writer.stats.cursor === seqs[seqs.length - 1]);
    const more = await log.append(entries.slice(20));
    for (let i = 0; i < 50; i++) writer.notify(); // coalesced into one hint per turn
    await until(() => writer.stats.cursor === more[more.length - 1]);
    await writer.stop();
    await writer.stop(); // idempotent
    await checkStore(store);
    assert.deepEqual(errors, []);
    await assert.rejects(writer.drain(), /exited/);
  } finally {
    await writer.stop();
    await cleanup();
  }
});

/** Waits (event-loop turns, not wall time) until a condition holds; fails after many turns. */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  assert.fail('condition not reached');
}
