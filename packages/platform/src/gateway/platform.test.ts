// Lower platforms (spec §6.3, §6.4): one connection carries many VINs, each checked against the account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESPONSE_IDS } from '@nevhub/gbt32960';
import {
  loginFrame,
  logoutFrame,
  platformLoginFrame,
  realtimeFrame,
  startTestGateway,
  TestClient,
  until,
} from './testkit.js';
import { encodeFrame } from '@nevhub/gbt32960';

const vins = Array.from({ length: 50 }, (_, i) => `LPLAT000000${String(i).padStart(6, '0')}`);

test('platform login, then login/realtime/logout for 50 VINs on one connection', async () => {
  const t = await startTestGateway({
    gateway: { ackRealtime: true },
    platforms: [{ username: 'city-a', password: 's3cret', allowedVins: vins }],
  });
  try {
    const c = new TestClient(t.port);
    c.send(platformLoginFrame(2025, 'city-a', 's3cret'));
    const r = await c.next();
    assert.equal(r?.command, 'platformLogin');
    assert.equal(r?.responseId, RESPONSE_IDS.success);
    for (const vin of vins) {
      c.send(loginFrame(2025, vin));
      c.send(realtimeFrame(2025, vin));
      c.send(logoutFrame(2025, vin));
    }
    const got = await c.frames(1 + vins.length * 3, 10_000);
    assert.equal(got.length, 1 + vins.length * 3);
    assert.ok(got.every((f) => f.responseId === RESPONSE_IDS.success));
    assert.equal(await t.log.lastSeq(), vins.length * 3);
    // A VIN outside the account: error reply, and the platform link is closed.
    c.send(realtimeFrame(2025, 'LOTHER00000000001'));
    const bad = await c.next();
    assert.equal(bad?.responseId, RESPONSE_IDS.error);
    await c.whenClosed;
    assert.equal(await t.log.lastSeq(), vins.length * 3);
    await until(() => t.registry.events.some((e) => e.kind === 'platformLogin'), 2000, 'platformLogin event');
  } finally {
    await t.close();
  }
});

test('platform logout ends the link; a wrong password is refused', async () => {
  const t = await startTestGateway({
    platforms: [{ username: 'city-a', password: 's3cret', allowedVins: '*' }],
  });
  try {
    const c = new TestClient(t.port);
    c.send(platformLoginFrame(2016, 'city-a', 's3cret', 7));
    await c.next();
    c.send(
      encodeFrame({
        version: 2016,
        command: 'platformLogout',
        vin: 'PLATFORM000000001',
        time: '2026-11-29T10:00:00+08:00',
        body: { serial: 7 },
      }),
    );
    assert.equal((await c.next())?.responseId, RESPONSE_IDS.success);
    await c.whenClosed;
    const bad = new TestClient(t.port);
    bad.send(platformLoginFrame(2016, 'city-a', 'wrong'));
    assert.equal((await bad.next())?.responseId, RESPONSE_IDS.error);
    await bad.whenClosed;
    assert.equal(t.gateway.metrics().loginRejected, 1);
  } finally {
    await t.close();
  }
});
