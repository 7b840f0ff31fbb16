import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLoad } from './run.js';
import { FakePlatform } from '../testing/fake-platform.js';

test('load mode: 200 connections over two source addresses log in and send realtime and heartbeats', async () => {
  const p = new FakePlatform();
  const port = await p.start();
  const summary = await runLoad({
    target: { host: '127.0.0.1', port },
    connections: 200,
    localAddresses: ['127.0.0.1', '127.0.0.2'],
    rate: 0.5,
    heartbeatPeriodS: 1,
    durationS: 3,
    progress: false,
  });
  // Let the last writes reach the platform before counting.
  await new Promise((r) => setTimeout(r, 100));
  const frames = p.received.map((r) => r.frame);
  const count = (cmd: string): number => frames.filter((f) => f.command === cmd).length;
  await p.stop();
  assert.equal(summary.connections, 200);
  assert.equal(summary.connected, 200);
  assert.equal(summary.loggedIn, 200);
  assert.equal(summary.errors, 0);
  for (const f of frames) assert.equal(f.ok, true, JSON.stringify(f.error));
  assert.equal(count('vehicleLogin'), 200);
  assert.equal(new Set(frames.filter((f) => f.command === 'vehicleLogin').map((f) => f.vin)).size, 200, 'one VIN per connection');
  assert.ok(count('realtime') >= 200, `${count('realtime')} realtime frames`);
  assert.ok(count('heartbeat') > 0, 'heartbeats between realtime frames');
  // The fake platform answers logins and heartbeats (spec §4); realtime frames are not acknowledged.
  assert.equal(frames.length, summary.framesSent, 'every frame the generator counted arrived');
  // Replies to the last heartbeats may still be in flight when the summary is taken.
  assert.ok(summary.replies >= 200 && summary.replies <= count('vehicleLogin') + count('heartbeat'), `${summary.replies} replies`);
  assert.ok(summary.p99ReplyMs >= summary.p50ReplyMs);
  // Connections really were spread over both source addresses.
  const sources = new Set(p.received.map((r) => r.remoteAddress));
  assert.deepEqual([...sources].sort(), ['127.0.0.1', '127.0.0.2']);
});
