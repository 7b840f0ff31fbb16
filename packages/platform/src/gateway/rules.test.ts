// Smaller Annex B rules: 2025 activation, the daily login-serial rule, admission bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame } from '@nevhub/gbt32960';
import { serialViolation } from './login.js';
import { loginFrame, startTestGateway, TestClient, timeAt, until, VIN_A } from './testkit.js';

test('2025 activation: 0x0A "activated/success" and the public key in the registry', async () => {
  const t = await startTestGateway();
  try {
    const c = new TestClient(t.port);
    c.send(
      encodeFrame({
        version: 2025,
        command: 'activation',
        vin: VIN_A,
        time: timeAt(),
        body: {
          chipId: 'CHIP0000000000001'.slice(0, 16),
          publicKeyHex: '04' + 'ab'.repeat(64),
          activationVin: VIN_A,
          signature: {
            algorithm: 'sm2',
            algorithmId: 1,
            rHex: '11'.repeat(32),
            sHex: '22'.repeat(32),
            signedStart: 0,
            signedEnd: 0,
          },
        },
      }),
    );
    const r = await c.next();
    assert.equal(r?.command, 'activationResponse');
    assert.equal(r?.responseId, 0xfe, 'sent as its own command (spec §12.2)');
    assert.deepEqual(r?.body, { status: 'activated', info: 'success', infoId: 0 });
    const rec = await t.registry.getVehicle(VIN_A);
    assert.equal(rec?.publicKeyHex, '04' + 'ab'.repeat(64));
    assert.equal(rec?.chipId, 'CHIP000000000000');
    assert.equal((await t.log.read(0, 5))[0].commandId, 0x09);
    c.destroy();
  } finally {
    await t.close();
  }
});

test('login serial rule (spec §13): 1…65531, +1 per login, daily reset', () => {
  const prev = {
    vin: VIN_A,
    enabled: true,
    createdAt: 0,
    updatedAt: 0,
    lastLoginSerial: 4,
    lastLoginDate: '2026-11-29',
  };
  assert.equal(serialViolation(5, '2026-11-29', prev), undefined);
  assert.match(serialViolation(7, '2026-11-29', prev) ?? '', /expected 5/);
  assert.equal(serialViolation(1, '2026-11-30', prev), undefined);
  assert.match(serialViolation(5, '2026-11-30', prev) ?? '', /expected 1/);
  assert.match(serialViolation(65532, '2026-11-30', undefined) ?? '', /outside/);
  assert.equal(serialViolation(9, '2026-11-30', undefined), undefined);
});

test('a serial violation is a warning on the login event, not a rejection', async () => {
  const t = await startTestGateway();
  try {
    const day = timeAt();
    for (const serial of [1, 3]) {
      const c = new TestClient(t.port);
      c.send(loginFrame(2016, VIN_A, serial, day));
      assert.equal((await c.next())?.responseId, 0x01);
      c.destroy();
      await c.whenClosed;
    }
    await until(() => t.registry.events.filter((e) => e.kind === 'login').length === 2, 2000, 'two logins');
    const second = t.registry.events.filter((e) => e.kind === 'login')[1];
    assert.match(second.reason ?? '', /serial warning: .*expected 2/);
    assert.equal(t.gateway.metrics().serialWarnings, 1);
  } finally {
    await t.close();
  }
});

test('admission: maxConnections and the new-connection rate are enforced at accept', async () => {
  const t = await startTestGateway({ gateway: { maxConnections: 3, maxConnectionsPerSec: 100_000 } });
  try {
    const clients = Array.from({ length: 5 }, () => new TestClient(t.port));
    await until(() => clients.filter((c) => c.closed).length === 2, 5000, 'two refused');
    assert.equal(t.gateway.metrics().connectionsRefused.maxConnections, 2);
    for (const c of clients) c.destroy();
  } finally {
    await t.close();
  }
  const r = await startTestGateway({ gateway: { maxConnectionsPerSec: 2 } });
  try {
    const clients = Array.from({ length: 5 }, () => new TestClient(r.port));
    await until(() => clients.filter((c) => c.closed).length >= 3, 5000, 'rate-limited');
    assert.ok(r.gateway.metrics().connectionsRefused.rateLimit >= 3);
    for (const c of clients) c.destroy();
  } finally {
    await r.close();
  }
});
