import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveHub, type LiveClient, type LiveMessage } from './live-hub.js';

class FakeClient implements LiveClient {
  bufferedAmount = 0;
  readonly messages: LiveMessage[] = [];
  closed: { code?: number; reason?: string } | undefined;
  send(data: string): void {
    this.messages.push(JSON.parse(data) as LiveMessage);
  }
  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }
}

function positions(m: LiveMessage | undefined) {
  assert.equal(m?.type, 'positions');
  return m.type === 'positions' ? m.vehicles : [];
}

test('a new client gets a snapshot, then one coalesced entry per vehicle per tick', () => {
  let now = 1_000_000;
  const hub = new LiveHub({ now: () => now });
  hub.update({ vin: 'A', online: true, at: now, receivedAt: now, lon: 115.4, lat: 38.8, speedKmh: 10, socPct: 80 });
  const c = new FakeClient();
  hub.addClient(c);
  assert.deepEqual(positions(c.messages[0]).map((v) => v.vin), ['A']);
  now += 1000;
  hub.update({ vin: 'A', at: now, receivedAt: now, speedKmh: 20 });
  hub.update({ vin: 'A', at: now, receivedAt: now, speedKmh: 30 });
  hub.update({ vin: 'B', online: true, at: now, receivedAt: now, speedKmh: 0, chargingState: 'parkedCharging' });
  hub.flush();
  const tick = positions(c.messages[1]);
  assert.equal(tick.length, 2);
  const a = tick.find((v) => v.vin === 'A')!;
  assert.equal(a.speedKmh, 30);
  assert.equal(a.lon, 115.4, 'fields not in the update are kept');
  assert.equal(a.status, 'driving');
  assert.equal(tick.find((v) => v.vin === 'B')!.status, 'charging');
  hub.flush();
  assert.equal(c.messages.length, 2, 'nothing changed: nothing sent');
});

test('events go out at once; silent vehicles turn offline with an event', () => {
  let now = 0;
  const hub = new LiveHub({ now: () => now, offlineAfterMs: 60_000 });
  const c = new FakeClient();
  hub.addClient(c);
  hub.update({ vin: 'A', online: true, at: 0, receivedAt: 0, alarmLevel: 3 });
  hub.event({ kind: 'alarm', vin: 'A', at: 0, level: 3, flags: ['batteryHighTemperature'] });
  assert.deepEqual(c.messages[1], { type: 'event', event: { kind: 'alarm', vin: 'A', at: 0, level: 3, flags: ['batteryHighTemperature'] } });
  hub.flush();
  assert.equal(positions(c.messages[2])[0].status, 'alarm');
  now = 61_000;
  hub.flush();
  const offline = c.messages.find((m) => m.type === 'event' && m.event.kind === 'offline');
  assert.ok(offline);
  assert.equal(positions(c.messages.at(-1))[0].status, 'offline');
});

test('a slow client is skipped while over the cap, then gets a full snapshot; dropped after N skipped ticks', () => {
  let now = 0;
  const hub = new LiveHub({ now: () => now, maxBufferedBytes: 1000, maxSkippedTicks: 3 });
  const fast = new FakeClient();
  const slow = new FakeClient();
  hub.addClient(fast);
  hub.addClient(slow);
  for (const vin of ['A', 'B', 'C']) hub.update({ vin, online: true, at: now, receivedAt: now, speedKmh: 1 });
  slow.bufferedAmount = 5000;
  hub.flush();
  assert.equal(fast.messages.length, 2);
  assert.equal(slow.messages.length, 1, 'skipped');
  slow.bufferedAmount = 0;
  now += 1000;
  hub.update({ vin: 'A', at: now, receivedAt: now, speedKmh: 2 });
  hub.flush();
  assert.equal(positions(fast.messages.at(-1)).length, 1, 'fast client: the delta');
  assert.equal(positions(slow.messages.at(-1)).length, 3, 'recovered client: a full snapshot');
  slow.bufferedAmount = 5000;
  for (let i = 0; i < 3; i++) hub.flush();
  assert.equal(slow.closed?.code, 1013);
  assert.equal(hub.clientCount, 1);
  assert.equal(hub.stats.droppedClients, 1);
});

test('refuelling: H2 remaining rising while stopped shows status refuelling; totals integrate energy', () => {
  let now = Date.parse('2026-11-29T02:00:00Z');
  const hub = new LiveHub({ now: () => now });
  hub.update({ vin: 'H', online: true, at: now, receivedAt: now, speedKmh: 0, h2RemainingPct: 20, totalVoltageV: 600, totalCurrentA: 100 });
  now += 60_000;
  hub.update({ vin: 'H', at: now, receivedAt: now, h2RemainingPct: 35 });
  assert.equal(hub.snapshot()[0].status, 'refuelling');
  assert.equal(hub.isRefuelling('H'), true);
  // 600 V × 100 A for one minute = 1 kWh (discharge positive, spec §8.1).
  assert.equal(hub.totals.snapshot(now).energyTodayKwh, 1);
  now += 60_000;
  hub.update({ vin: 'H', at: now, receivedAt: now, h2RemainingPct: 31, totalCurrentA: 0 });
  assert.equal(hub.totals.snapshot(now).hydrogenTodayKg, 1, '4 % of a 25 kg tank');
});
