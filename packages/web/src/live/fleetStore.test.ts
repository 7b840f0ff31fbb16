import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VehicleSummary } from '../api/types.js';
import { EventLog, FLUSH_MAX_MS, FLUSH_MIN_MS, FleetStore, nextFlushInterval } from './fleetStore.js';

const vehicle = (vin: string, lon = 115.4): VehicleSummary => ({
  vin,
  plate: null,
  vehicleType: 'taxi',
  powertrain: 'bev',
  version: 2016,
  status: 'parked',
  online: true,
  lon,
  lat: 38.8,
  speedKmh: 0,
  socPct: 50,
  h2RemainingPct: null,
  alarmLevel: 0,
  at: 0,
});

test('updates are merged per VIN and reach listeners once per flush', () => {
  const store = new FleetStore();
  let notified = 0;
  store.subscribe(() => notified++);
  store.load([vehicle('A'), vehicle('B')]);
  assert.equal(notified, 1);
  const base = { lat: 38.8, speedKmh: 30, socPct: 49, status: 'driving', alarmLevel: 0 } as const;
  store.applyPositions([{ vin: 'A', lon: 115.5, ...base }]);
  store.applyPositions([{ vin: 'A', lon: 115.6, ...base }, { vin: 'B', lon: 115.7, ...base, status: 'offline' }]);
  store.applyPositions([{ vin: 'UNKNOWN', lon: 1, ...base }]);
  assert.equal(notified, 1, 'no notification before the flush');
  store.flush();
  assert.equal(notified, 2);
  assert.equal(store.get('A')?.lon, 115.6, 'the newest update per VIN wins');
  assert.equal(store.get('A')?.status, 'driving');
  assert.equal(store.get('B')?.online, false);
  assert.equal(store.get('UNKNOWN'), undefined, 'unknown VINs wait for the REST snapshot');
  assert.equal(store.size, 2);
});

test('a null position keeps the last known one', () => {
  const store = new FleetStore();
  store.load([vehicle('A', 115.42)]);
  store.applyPositions([{ vin: 'A', lon: null, lat: null, speedKmh: 0, socPct: null, status: 'parked', alarmLevel: null }]);
  store.flush();
  assert.equal(store.get('A')?.lon, 115.42);
  assert.equal(store.get('A')?.socPct, 50);
});

test('list() is cached per version', () => {
  const store = new FleetStore();
  store.load([vehicle('A')]);
  const a = store.list();
  assert.equal(store.list(), a);
  store.flush();
  assert.notEqual(store.list(), a);
});

test('the flush interval adapts between its bounds', () => {
  assert.equal(nextFlushInterval(0, 0), FLUSH_MIN_MS);
  assert.equal(nextFlushInterval(1000, 0), FLUSH_MAX_MS);
  assert.equal(nextFlushInterval(0, 100_000), FLUSH_MAX_MS);
  const mid = nextFlushInterval(10, 1000);
  assert.ok(mid > FLUSH_MIN_MS && mid < FLUSH_MAX_MS, String(mid));
});

test('the event log keeps the newest events first, bounded', () => {
  const log = new EventLog(3);
  for (let i = 0; i < 5; i++) log.push({ kind: 'login', vin: `V${i}`, at: i });
  assert.deepEqual(
    log.list().map((e) => e.vin),
    ['V4', 'V3', 'V2'],
  );
});
