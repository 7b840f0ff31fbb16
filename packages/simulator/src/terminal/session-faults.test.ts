import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RealtimeBody } from '@nevhub/gbt32960';
import { startFleet } from '../fleet.js';
import { FakePlatform } from '../testing/fake-platform.js';

const START = Date.parse('2026-06-01T07:00:00+08:00');

test('duplicate VIN: a second terminal with a live VIN is refused, the original session stays up', async () => {
  const p = new FakePlatform();
  const port = await p.start();
  const scenario = {
    name: 'dup',
    seed: 5,
    fleet: [{ kind: 'taxi', count: 1, edition: 2016 }],
    events: [{ kind: 'duplicateVin', vehicle: 'taxi:0', at: '30s', duration: '60s' }],
  };
  const fleet = startFleet({ scenario, target: { host: '127.0.0.1', port }, manual: true, startMs: START });
  const [term] = fleet.terminals;
  // Keep the vehicle powered so its own terminal holds the session.
  term.v.activity = { kind: 'dwell', untilS: Infinity, on: true };
  await fleet.advance(100);
  const logins = p.received.filter((r) => r.frame.command === 'vehicleLogin' && r.frame.vin === term.v.vin);
  const sockets = new Set(logins.map((r) => r.socket));
  assert.ok(sockets.size >= 2, 'the ghost terminal opened its own connection');
  assert.ok(fleet.counters.loginRejected >= 1, 'the ghost got vinDuplicate');
  assert.equal(term.online, true, 'the original terminal is still logged in');
  // Every refused login came from the ghost's socket, never from the original one.
  const first = logins[0].socket;
  assert.ok(logins.slice(1).every((r) => r.socket !== first));
  await fleet.stop();
  await p.stop();
});

test('malformed frames: broken frames on a live link, then the stream resynchronises', async () => {
  const p = new FakePlatform();
  const port = await p.start();
  const scenario = {
    name: 'bad',
    seed: 5,
    reportPeriodS: 10,
    fleet: [{ kind: 'phev', count: 1, edition: 2016 }],
    events: [{ kind: 'malformedFrames', vehicle: 'phev:0', at: '30s', duration: '30s' }],
  };
  const fleet = startFleet({ scenario, target: { host: '127.0.0.1', port }, manual: true, startMs: START });
  const [term] = fleet.terminals;
  term.v.activity = { kind: 'dwell', untilS: Infinity, on: true };
  await fleet.advance(90);
  const frames = p.received.map((r) => r.frame);
  const bad = frames.filter((f) => !f.ok);
  assert.ok(bad.length >= 2, `${bad.length} broken frames reached the platform`);
  assert.ok(bad.some((f) => f.error?.code === 'GBT_ERR_BCC'), JSON.stringify(bad.map((f) => f.error?.code)));
  assert.equal(fleet.counters.sent.malformed, 4, 'one burst of four defects (bad BCC, short length, garbage, unknown item)');
  // Realtime frames sent after the burst still decode: the platform's splitter found "##" again.
  const badAt = p.received.findIndex((r) => !r.frame.ok);
  const later = p.received.slice(badAt).filter((r) => r.frame.ok && r.frame.command === 'realtime');
  assert.ok(later.length >= 2, 'realtime frames decode after the malformed burst');
  assert.ok((later[0].frame.body as RealtimeBody).items.length > 0);
  assert.equal(term.online, true);
  await fleet.stop();
  await p.stop();
});
