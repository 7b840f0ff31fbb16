import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RealtimeBody, VehicleItem } from '@nevhub/gbt32960';
import { startFleet } from '../fleet.js';
import { FakePlatform } from '../testing/fake-platform.js';

const START = Date.parse('2026-06-01T07:00:00+08:00');

test('2025 post-power-down monitoring: 1 Hz battery frames 59:30–60:00 after HV power-down (spec §13)', async () => {
  const p = new FakePlatform();
  const port = await p.start();
  const scenario = { name: 'mon', seed: 9, fleet: [{ kind: 'taxi', count: 1, edition: 2025 }, { kind: 'taxi', count: 1, edition: 2016 }] };
  const fleet = startFleet({ scenario, target: { host: '127.0.0.1', port }, manual: true, startMs: START });
  const [t2025, t2016] = fleet.terminals;
  for (const t of fleet.terminals) t.v.activity = { kind: 'dwell', untilS: Infinity, on: true };
  await fleet.advance(20);
  // HV power-down: the vehicles park for good during second 21.
  for (const t of fleet.terminals) t.v.activity = { kind: 'park', untilS: Infinity };
  await fleet.advance(3700);
  const offMs = START + 21_000;
  const inWindow = (vin: string) =>
    p.received
      .map((r) => r.frame)
      .filter((f) => f.vin === vin && f.command === 'realtime' && Date.parse(f.time!) >= offMs + 3570_000 && Date.parse(f.time!) < offMs + 3600_000);
  const mon = inWindow(t2025.v.vin);
  assert.equal(mon.length, 30, 'every 1 Hz sample of the 30 s window');
  const times = mon.map((f) => Date.parse(f.time!));
  for (let i = 1; i < times.length; i++) assert.equal(times[i] - times[i - 1], 1000);
  for (const f of mon) {
    assert.equal(f.ok, true);
    const body = f.body as RealtimeBody;
    assert.deepEqual(body.items.map((i) => i.typeId), [0x01, 0x05, 0x06, 0x07, 0x08]);
    assert.equal((body.items[0] as VehicleItem).vehicleState, 'off');
    assert.ok(body.signature, 'signed like every 2025 realtime frame');
  }
  // Nothing between the 3-minute after-off reports and the window; 2016 has no such rule.
  const quiet = p.received.map((r) => r.frame).filter((f) => f.vin === t2025.v.vin && f.command === 'realtime' && Date.parse(f.time!) > offMs + 300_000 && Date.parse(f.time!) < offMs + 3570_000);
  assert.equal(quiet.length, 0);
  assert.equal(inWindow(t2016.v.vin).length, 0);
  // The link came up for the window and went down after it (logout, spec §13).
  assert.equal(t2025.online, false);
  assert.ok(p.received.filter((r) => r.frame.vin === t2025.v.vin && r.frame.command === 'vehicleLogout').length >= 2);
  await fleet.stop();
  await p.stop();
});
