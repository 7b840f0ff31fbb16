// The store conformance suite: every implementation of VehicleRegistry, SessionEventStore and
// TelemetryStore (SQLite here, PostgreSQL in scale-out) must pass it. Call it from a *.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeFrame, type Frame } from '@nevhub/gbt32960';
import { MemoryFrameLog } from '../log/memory.js';
import { runRetention, type RetentionStore } from './retention.js';
import { bj, loginFrame, realtimeFrame, supports, type RealtimeSpec } from './testing/frames.js';
import type { SessionEventStore, TelemetryStore, VehicleRegistry } from './types.js';

export type ConformanceStore = VehicleRegistry & SessionEventStore & TelemetryStore & RetentionStore;

export interface StoreHarness {
  store: ConformanceStore;
  /** Closes `store` and opens the same storage again; omit if it has none. */
  reopen?(): Promise<ConformanceStore>;
  cleanup(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreHarness>;

const VIN_A = 'LNBSCCAK5PT000001';
const VIN_B = 'LFCEV2025PT000002';
/** 2025-10-27T12:00:00Z = 20:00:00 Beijing time. */
const T0 = Date.UTC(2025, 9, 27, 12, 0, 0);

type Entry = { seq: number; receivedAt: number; frame: Frame };

export function entryOf(seq: number, raw: Uint8Array, receivedAt = T0 + seq): Entry {
  const frame = decodeFrame(raw);
  assert.ok(frame.ok, `test frame decodes: ${frame.error?.message ?? ''}`);
  return { seq, receivedAt, frame };
}

function rt(seq: number, spec: Partial<RealtimeSpec> & { at: number }): Entry {
  return entryOf(seq, realtimeFrame({ version: 2016, vin: VIN_A, time: bj(spec.at), ...spec }), spec.at + 1500);
}

async function withStore(factory: StoreFactory, fn: (h: StoreHarness) => Promise<void>): Promise<void> {
  const h = await factory();
  try {
    await fn(h);
  } finally {
    await h.cleanup();
  }
}

export function runStoreConformance(name: string, factory: StoreFactory): void {
  void describe(`store conformance: ${name}`, () => {
    void test('registry: upsert, partial update, get, list with filters, delete', () =>
      withStore(factory, async ({ store }) => {
        assert.equal(await store.getVehicle(VIN_A), undefined);
        const a = await store.upsertVehicle({ vin: VIN_A, plate: '冀F·D12345', vehicleType: 'taxi', powertrain: 'bev' });
        assert.equal(a.enabled, true, 'enabled by default');
        assert.ok(a.createdAt > 0 && a.updatedAt >= a.createdAt);
        await store.upsertVehicle({ vin: VIN_B, plate: '冀F·H00002', vehicleType: 'sanitation', powertrain: 'fcev', enabled: false });
        await store.upsertVehicle({ vin: 'LBUS100%_0000003', vehicleType: 'bus', powertrain: 'bev' });
        const updated = await store.upsertVehicle({ vin: VIN_A, lastLoginSerial: 7, lastLoginDate: '2025-10-27', version: 2016 });
        assert.equal(updated.plate, '冀F·D12345', 'a partial update keeps other fields');
        assert.equal(updated.createdAt, a.createdAt);
        const got = await store.getVehicle(VIN_A);
        assert.deepEqual(got, updated);
        assert.equal(got?.lastLoginSerial, 7);
        assert.equal(got?.version, 2016);
        assert.equal((await store.getVehicle(VIN_B))?.enabled, false);
        assert.deepEqual((await store.listVehicles()).map((v) => v.vin).sort(), ['LBUS100%_0000003', VIN_A, VIN_B].sort());
        assert.deepEqual((await store.listVehicles({ powertrain: 'bev' })).map((v) => v.vin).sort(), ['LBUS100%_0000003', VIN_A].sort());
        assert.deepEqual((await store.listVehicles({ vehicleType: 'sanitation' })).map((v) => v.vin), [VIN_B]);
        assert.deepEqual((await store.listVehicles({ text: 'D123' })).map((v) => v.vin), [VIN_A], 'text matches the plate');
        assert.deepEqual((await store.listVehicles({ text: 'fcev2025' })).map((v) => v.vin), [VIN_B], 'text matches the VIN, any case');
        assert.deepEqual((await store.listVehicles({ text: '100%_' })).map((v) => v.vin), ['LBUS100%_0000003'], 'LIKE wildcards are literal');
        assert.deepEqual(await store.listVehicles({ text: '%' }).then((l) => l.length), 1);
        assert.deepEqual(await store.listVehicles({ powertrain: 'bev', vehicleType: 'bus' }).then((l) => l.map((v) => v.vin)), ['LBUS100%_0000003']);
        assert.equal(await store.deleteVehicle(VIN_B), true);
        assert.equal(await store.deleteVehicle(VIN_B), false);
        assert.equal(await store.getVehicle(VIN_B), undefined);
      }));

    void test('session events: by VIN and inclusive time range, oldest first, with limit', () =>
      withStore(factory, async ({ store }) => {
        await store.recordSessionEvent({ vin: VIN_A, kind: 'login', at: 1000, sessionId: 's1', peer: '10.0.0.1:5000', serial: 3 });
        await store.recordSessionEvent({ vin: VIN_B, kind: 'login', at: 1500, sessionId: 's2', peer: '10.0.0.2:5000' });
        await store.recordSessionEvent({ vin: VIN_A, kind: 'disconnect', at: 3000, sessionId: 's1', peer: '10.0.0.1:5000', reason: 'idle timeout 180 s' });
        await store.recordSessionEvent({ vin: VIN_A, kind: 'replaced', at: 2000, sessionId: 's0', peer: '10.0.0.9:5000' });
        const all = await store.sessionEvents(VIN_A, 0, 10_000);
        assert.deepEqual(all.map((e) => e.kind), ['login', 'replaced', 'disconnect']);
        assert.deepEqual(all[0], { vin: VIN_A, kind: 'login', at: 1000, sessionId: 's1', peer: '10.0.0.1:5000', serial: 3 });
        assert.equal(all[2].reason, 'idle timeout 180 s');
        assert.deepEqual((await store.sessionEvents(VIN_A, 2000, 3000)).map((e) => e.at), [2000, 3000]);
        assert.deepEqual((await store.sessionEvents(VIN_A, 0, 10_000, 1)).map((e) => e.at), [1000]);
        assert.deepEqual(await store.sessionEvents(VIN_B, 1501, 10_000), []);
        assert.equal(await store.pruneSessionEvents(2000), 2);
        assert.deepEqual((await store.sessionEvents(VIN_A, 0, 10_000)).map((e) => e.at), [2000, 3000]);
      }));

    void test('applyFrames: latest state and history from 2016 and 2025 realtime frames', () =>
      withStore(factory, async ({ store }) => {
        const a = rt(1, { at: T0, speedKmh: 36.5, socPct: 77, lon: 115.5, lat: 38.8, cellsV: [3.3, 3.35, 3.28], tempsC: [20, 31, 24] });
        const b = entryOf(
          2,
          realtimeFrame({ version: 2025, vin: VIN_B, time: bj(T0 + 10_000), speedKmh: 12, socPct: 55, h2RemainingPct: 62, alarmLevel: 3, alarmBits: 0b11, cellsV: [3.9, 3.71], tempsC: [-5, 40] }),
          T0 + 11_000,
        );
        await store.applyFrames([a, b]);
        const latest = await store.latest();
        assert.deepEqual(latest.map((l) => l.vin).sort(), [VIN_A, VIN_B].sort());
        const [la] = await store.latest([VIN_A]);
        assert.equal(la.at, T0, 'at is the collection time');
        assert.equal(la.receivedAt, T0 + 1500);
        assert.equal(la.speedKmh, 36.5);
        assert.equal(la.socPct, 77);
        assert.equal(la.totalVoltageV, 600.1);
        assert.equal(la.totalCurrentA, -12.3);
        assert.equal(la.odometerKm, 12345.6);
        assert.equal(la.vehicleState, 'started');
        assert.equal(la.chargingState, 'notCharging');
        if (supports('position', 2016)) assert.deepEqual([la.lon, la.lat], [115.5, 38.8]);
        if (supports('cellVoltages', 2016)) assert.deepEqual([la.maxCellVoltageV, la.minCellVoltageV], [3.35, 3.28]);
        if (supports('probeTemperatures', 2016)) assert.deepEqual([la.maxTempC, la.minTempC], [31, 20]);
        if (supports('alarm', 2016)) assert.equal(la.alarmLevel, 0);
        const [lb] = await store.latest([VIN_B]);
        assert.equal(lb.speedKmh, 12);
        if (supports('fuelCell', 2025)) assert.equal(lb.h2RemainingPct, 62);
        if (supports('fuelCell', 2025)) assert.equal(lb.h2MaxPressureMpa, 35);
        if (supports('alarm', 2025)) {
          assert.equal(lb.alarmLevel, 3);
          assert.deepEqual(lb.alarmFlags, (b.frame.body as { items: { type: string; flags?: string[] }[] }).items.find((i) => i.type === 'alarm')?.flags);
          assert.equal(lb.alarmFlags?.length, 2);
        }
        if (supports('cellVoltages', 2025)) assert.deepEqual([lb.maxCellVoltageV, lb.minCellVoltageV], [3.9, 3.71], 'computed from the cells (2025 has no extremes)');
        if (supports('probeTemperatures', 2025)) assert.deepEqual([lb.maxTempC, lb.minTempC], [40, -5]);
        const hist = await store.history(VIN_B, T0, T0 + 86_400_000);
        assert.equal(hist.length, 1);
        assert.deepEqual(hist[0], { vin: VIN_B, at: T0 + 10_000, seq: 2, reissue: false, frame: b.frame }, 'the full decoded frame is kept');
        assert.deepEqual(await store.latest(['LUNKNOWN000000000']), []);
      }));

    void test('latest merges newer frames only; older reissued data goes to history', () =>
      withStore(factory, async ({ store }) => {
        await store.applyFrames([rt(1, { at: T0, speedKmh: 10, lon: 115.1, lat: 38.1 })]);
        await store.applyFrames([rt(2, { at: T0 + 10_000, speedKmh: 20, noFix: true, lon: 0, lat: 0 })]);
        await store.applyFrames([rt(3, { at: T0 - 60_000, speedKmh: 99, command: 'reissue' })]);
        const [l] = await store.latest([VIN_A]);
        assert.equal(l.speedKmh, 20);
        assert.equal(l.at, T0 + 10_000);
        if (supports('position', 2016)) assert.deepEqual([l.lon, l.lat], [115.1, 38.1], 'an invalid fix keeps the last position');
        const hist = await store.history(VIN_A, T0 - 3_600_000, T0 + 3_600_000);
        assert.deepEqual(hist.map((h) => [h.seq, h.reissue]), [[3, true], [1, false], [2, false]], 'ordered by collection time');
        assert.deepEqual((await store.history(VIN_A, T0 - 3_600_000, T0 + 3_600_000, 2)).map((h) => h.seq), [3, 1], 'limit');
        assert.deepEqual((await store.history(VIN_A, T0, T0 + 10_000)).map((h) => h.seq), [1, 2], 'range is inclusive');
        assert.deepEqual(await store.history(VIN_B, 0, T0 * 2), []);
      }));

    void test('a reissued frame identical to a stored one is stored once; different data is kept', () =>
      withStore(factory, async ({ store }) => {
        await store.applyFrames([rt(1, { at: T0, speedKmh: 30, customHex: 'aa' })]);
        // The terminal did not get through, so it reissues the same data (spec §13) with command 0x03.
        await store.applyFrames([rt(5, { at: T0, speedKmh: 30, customHex: 'aa', command: 'reissue' })]);
        assert.equal((await store.history(VIN_A, T0, T0)).length, 1);
        // 2025: the same data re-signed (SM2 signatures differ) is still the same data.
        const v25 = (seq: number, sHex: string, command: 'realtime' | 'reissue'): Entry => {
          const e = entryOf(seq, realtimeFrame({ version: 2025, vin: VIN_B, time: bj(T0), command }));
          (e.frame.body as { signature?: { sHex: string } }).signature!.sHex = sHex;
          return e;
        };
        await store.applyFrames([v25(6, '33'.repeat(32), 'realtime'), v25(7, '44'.repeat(32), 'reissue')]);
        assert.equal((await store.history(VIN_B, T0, T0)).length, 1);
        // Same time, different data (a second frame of that second): both kept.
        await store.applyFrames([rt(8, { at: T0, speedKmh: 30, customHex: 'bb', command: 'reissue' })]);
        const hist = await store.history(VIN_A, T0, T0);
        assert.deepEqual(hist.map((h) => h.seq), [1, 8]);
      }));

    void test('applyFrames is idempotent: replaying a batch changes nothing', () =>
      withStore(factory, async (h) => {
        const batch = [rt(1, { at: T0, speedKmh: 10 }), rt(2, { at: T0 + 10_000, speedKmh: 20 }), entryOf(3, loginFrame(2025, VIN_B, bj(T0), 1))];
        await h.store.applyFrames(batch);
        const before = { latest: await h.store.latest(), hist: await h.store.history(VIN_A, 0, T0 * 2), vehicle: await h.store.getVehicle(VIN_B) };
        let store = h.store;
        if (h.reopen) store = await h.reopen();
        await store.applyFrames(batch);
        await store.applyFrames(batch.slice(1));
        assert.deepEqual(await store.latest(), before.latest);
        assert.deepEqual(await store.history(VIN_A, 0, T0 * 2), before.hist);
        assert.deepEqual(await store.getVehicle(VIN_B), before.vehicle);
        // A later entry after the replay is applied normally.
        await store.applyFrames([rt(4, { at: T0 + 20_000, speedKmh: 30 })]);
        assert.equal((await store.latest([VIN_A]))[0].speedKmh, 30);
      }));

    void test('vehicle login frames register the vehicle with its ICCID and edition', () =>
      withStore(factory, async ({ store }) => {
        await store.upsertVehicle({ vin: VIN_A, plate: 'P1' });
        await store.applyFrames([entryOf(1, loginFrame(2016, VIN_A, bj(T0), 1, '89860000000000000001')), entryOf(2, loginFrame(2025, VIN_B, bj(T0), 1))]);
        const a = await store.getVehicle(VIN_A);
        assert.deepEqual([a?.plate, a?.iccid, a?.version], ['P1', '89860000000000000001', 2016]);
        const b = await store.getVehicle(VIN_B);
        assert.deepEqual([b?.enabled, b?.iccid, b?.version], [true, '89860412345678901234', 2025]);
      }));

    void test('setOnline marks vehicles online and offline, with or without data', () =>
      withStore(factory, async ({ store }) => {
        await store.setOnline(VIN_B, true, T0);
        await store.applyFrames([rt(1, { at: T0, speedKmh: 10 })]);
        await store.setOnline(VIN_A, true, T0);
        assert.deepEqual((await store.latest()).map((l) => [l.vin, l.online]).sort(), [[VIN_A, true], [VIN_B, true]].sort());
        await store.setOnline(VIN_A, false, T0 + 1);
        await store.applyFrames([rt(2, { at: T0 + 10_000, speedKmh: 11 })]);
        const [a] = await store.latest([VIN_A]);
        assert.equal(a.online, false, 'data does not change the session state');
        assert.equal(a.speedKmh, 11);
      }));

    void test('historySeries returns aligned arrays, raw or one point per step', () =>
      withStore(factory, async ({ store }) => {
        if (!store.historySeries) return;
        const batch: Entry[] = [];
        for (let i = 0; i < 12; i++) batch.push(rt(i + 1, { at: T0 + i * 10_000, speedKmh: i * 10, socPct: 90 - i }));
        await store.applyFrames(batch);
        const raw = await store.historySeries(VIN_A, T0, T0 + 110_000, ['speedKmh', 'socPct', 'odometerKm']);
        assert.deepEqual(raw.t, batch.map((_, i) => T0 + i * 10_000));
        assert.deepEqual(raw.values.speedKmh, batch.map((_, i) => i * 10));
        assert.deepEqual(raw.values.socPct, batch.map((_, i) => 90 - i));
        const stepped = await store.historySeries(VIN_A, T0, T0 + 110_000, ['speedKmh', 'socPct'], 40_000);
        assert.deepEqual(stepped.t, [T0, T0 + 40_000, T0 + 80_000]);
        assert.deepEqual(stepped.values.speedKmh, [15, 55, 95], 'bucket averages');
        await assert.rejects(store.historySeries(VIN_A, T0, T0 + 1, ['nope']));
      }));

    void test('pruneHistory and runRetention delete what the policy no longer keeps', () =>
      withStore(factory, async ({ store }) => {
        const day = 86_400_000;
        await store.applyFrames([rt(1, { at: T0 - 40 * day }), rt(2, { at: T0 - 10 * day }), rt(3, { at: T0 - day })]);
        await store.recordSessionEvent({ vin: VIN_A, kind: 'login', at: T0 - 100 * day, sessionId: 's', peer: 'p' });
        await store.recordSessionEvent({ vin: VIN_A, kind: 'logout', at: T0 - 2 * day, sessionId: 's', peer: 'p' });
        const log = new MemoryFrameLog();
        const raw = new Uint8Array([0x23, 0x23]);
        const base = { vin: VIN_A, version: 2016 as const, commandId: 2, collectedAt: null, sessionId: 's', peer: 'p', raw };
        await log.append([{ ...base, receivedAt: T0 - 31 * day }, { ...base, receivedAt: T0 - 29 * day }]);
        const none = await runRetention(log, store, { rawLogDays: 'forever', historyDays: 'forever', sessionEventsDays: 'forever' }, T0);
        assert.deepEqual(none, { rawLogDeleted: 0, historyDeleted: 0, sessionEventsDeleted: 0 });
        const r = await runRetention(log, store, { rawLogDays: 30, historyDays: 30, sessionEventsDays: 90 }, T0);
        assert.deepEqual(r, { rawLogDeleted: 1, historyDeleted: 1, sessionEventsDeleted: 1 });
        assert.deepEqual((await store.history(VIN_A, 0, T0)).map((h) => h.seq), [2, 3]);
        assert.equal((await log.read(0, 10)).length, 1);
        assert.equal(await store.pruneHistory(T0), 2);
        assert.deepEqual(await store.history(VIN_A, 0, T0), []);
        assert.equal((await store.latest([VIN_A])).length, 1, 'latest state outlives history');
        await assert.rejects(runRetention(log, store, { rawLogDays: -1, historyDays: 1, sessionEventsDays: 1 }, T0), RangeError);
      }));
  });
}
