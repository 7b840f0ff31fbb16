// Over real HTTP and a real WebSocket: frames appended to the SQLite frame log reach a ws client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { bj, loginFrame, realtimeFrame } from '../store/testing/frames.js';
import { attachLiveFeed, type LiveFeed } from '../northbound/live-feed.js';
import type { LiveMessage } from '../northbound/live-hub.js';
import { makeFixture, TAXI, type Fixture } from './testing/fixture.js';

let f: Fixture;
let base: string;
let feed: LiveFeed;

before(async () => {
  f = await makeFixture();
  await f.app.listen({ port: 0, host: '127.0.0.1' });
  base = `127.0.0.1:${(f.app.server.address() as AddressInfo).port}`;
  feed = attachLiveFeed(f.log, f.hub, { pollMs: 20, seed: await f.store.latest() });
  f.hub.start();
});
after(async () => {
  await feed.stop();
  await f.close();
});

/** Collects messages until `match` returns true for one of them. */
function waitFor(ws: WebSocket, match: (m: LiveMessage) => boolean): Promise<LiveMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const m = JSON.parse((data as Buffer).toString('utf8')) as LiveMessage;
      if (match(m)) {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.once('error', reject);
  });
}

async function append(vin: string, raw: Uint8Array): Promise<void> {
  await f.log.append([{ vin, version: raw[0] === 0x24 ? 2025 : 2016, commandId: raw[2], collectedAt: null, receivedAt: Date.now(), sessionId: 's2', peer: '127.0.0.1:6000', raw }]);
}

test('REST over real HTTP', async () => {
  const r = await fetch(`http://${base}/api/v1/fleet/summary`, { headers: f.auth('viewer') });
  assert.equal(r.status, 200);
  assert.equal(((await r.json()) as { total: number }).total, 2);
});

test('WebSocket without a token is refused with 401 JSON', async () => {
  const ws = new WebSocket(`ws://${base}/api/v1/live`);
  const status = await new Promise<number>((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
  });
  assert.equal(status, 401);
});

test('WebSocket client gets a snapshot, then position updates and events from the frame log', async () => {
  const ws = new WebSocket(`ws://${base}/api/v1/live?token=${f.tokens.viewer}`);
  const snapshot = await waitFor(ws, (m) => m.type === 'positions');
  assert.ok(snapshot.type === 'positions' && snapshot.vehicles.some((v) => v.vin === TAXI));

  const now = Date.now();
  const vin = 'LLIVE000000000009';
  const eventP = waitFor(ws, (m) => m.type === 'event' && m.event.vin === vin && m.event.kind === 'login');
  const posP = waitFor(ws, (m) => m.type === 'positions' && m.vehicles.some((v) => v.vin === vin && v.speedKmh === 77));
  await append(vin, loginFrame(2016, vin, bj(now), 1));
  await append(vin, realtimeFrame({ version: 2016, vin, time: bj(now), speedKmh: 77, lon: 115.5, lat: 38.9 }));
  const ev = await eventP;
  assert.equal(ev.type === 'event' && ev.event.kind, 'login');
  const pos = await posP;
  const v = pos.type === 'positions' ? pos.vehicles.find((x) => x.vin === vin) : undefined;
  assert.deepEqual(
    { lon: v?.lon, lat: v?.lat, status: v?.status },
    { lon: 115.5, lat: 38.9, status: 'driving' },
  );
  ws.close();
  await new Promise((r) => ws.once('close', r));
});
