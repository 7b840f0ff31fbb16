// Annex B session behaviour over real TCP (spec §4, §6, §13): both editions, refusals, duplicates,
// spoofing, bad frames, bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bcc, RESPONSE_IDS } from '@nevhub/gbt32960';
import {
  loginFrame,
  logoutFrame,
  realtimeFrame,
  simpleFrame,
  startTestGateway,
  TestClient,
  timeAt,
  until,
  VIN_A,
  VIN_B,
} from './testkit.js';

for (const version of [2016, 2025] as const) {
  test(`${version}: login, realtime (no reply), heartbeat, time sync, logout`, async () => {
    const t = await startTestGateway();
    try {
      const c = new TestClient(t.port);
      await c.ready;
      const login = loginFrame(version, VIN_A, 1);
      c.send(login);
      const reply = await c.next();
      assert.equal(reply?.command, 'vehicleLogin');
      assert.equal(reply?.responseId, RESPONSE_IDS.success);
      assert.equal(reply?.version, version);
      assert.equal(reply?.vin, VIN_A);
      // Correct realtime frames get no reply (spec §4/§13); the heartbeat reply comes first.
      c.send(realtimeFrame(version, VIN_A));
      c.send(realtimeFrame(version, VIN_A, undefined, 'reissue'));
      c.send(simpleFrame(version, 'heartbeat', VIN_A));
      const hb = await c.next();
      assert.equal(hb?.command, 'heartbeat');
      assert.equal(hb?.responseId, RESPONSE_IDS.success);
      c.send(simpleFrame(version, 'timeSync', VIN_A));
      const ts = await c.next();
      assert.equal(ts?.command, 'timeSync');
      assert.ok(
        ts?.time && Math.abs(Date.parse(ts.time) - Date.now()) < 5000,
        'time sync carries platform time',
      );
      c.send(logoutFrame(version, VIN_A, 1));
      const lo = await c.next();
      assert.equal(lo?.command, 'vehicleLogout');
      assert.equal(lo?.responseId, RESPONSE_IDS.success);
      await c.whenClosed;
      const entries = await t.log.read(0, 100);
      assert.deepEqual(
        entries.map((e) => e.commandId),
        [0x01, 0x02, 0x03, 0x04],
      );
      assert.deepEqual(Buffer.from(entries[0].raw), Buffer.from(login));
      assert.equal(entries[0].vin, VIN_A);
      const rec = await t.registry.getVehicle(VIN_A);
      assert.equal(rec?.iccid, '89860402101700173398');
      assert.equal(rec?.lastLoginSerial, 1);
      await until(() => t.registry.events.some((e) => e.kind === 'logout'), 2000, 'logout event');
      assert.deepEqual(
        t.registry.events.map((e) => e.kind),
        ['login', 'logout'],
      );
    } finally {
      await t.close();
    }
  });

  test(`${version}: ackRealtime acknowledges every realtime frame`, async () => {
    const t = await startTestGateway({ gateway: { ackRealtime: true } });
    try {
      const c = new TestClient(t.port);
      c.send(loginFrame(version, VIN_A));
      for (let i = 0; i < 5; i++) c.send(realtimeFrame(version, VIN_A));
      const got = await c.frames(6);
      assert.equal(got.length, 6);
      assert.ok(got.slice(1).every((f) => f.command === 'realtime' && f.responseId === RESPONSE_IDS.success));
      c.destroy();
    } finally {
      await t.close();
    }
  });

  test(`${version}: allow-list mode refuses an unknown VIN and closes`, async () => {
    const t = await startTestGateway({ gateway: { registryMode: 'allowList' } });
    try {
      await t.registry.upsertVehicle({ vin: VIN_B, enabled: true });
      const c = new TestClient(t.port);
      c.send(loginFrame(version, VIN_A));
      const r = await c.next();
      // 2025: 0x04 VIN does not exist; 2016 has no such code: 0x02 (spec §4 Rule).
      assert.equal(r?.responseId, version === 2025 ? RESPONSE_IDS.vinUnknown : RESPONSE_IDS.error);
      await c.whenClosed;
      assert.equal(await t.log.lastSeq(), 0);
      assert.equal(t.registry.events.at(-1)?.kind, 'rejected');
      const ok = new TestClient(t.port);
      ok.send(loginFrame(version, VIN_B));
      assert.equal((await ok.next())?.responseId, RESPONSE_IDS.success);
      ok.destroy();
    } finally {
      await t.close();
    }
  });

  test(`${version}: wrong frames get error replies and are not logged`, async () => {
    const t = await startTestGateway();
    try {
      const c = new TestClient(t.port);
      c.send(loginFrame(version, VIN_A));
      await c.next();
      // Wrong BCC.
      const badBcc = realtimeFrame(version, VIN_A);
      badBcc[badBcc.length - 1] ^= 0x55;
      c.send(badBcc);
      const r1 = await c.next();
      assert.equal(r1?.command, 'realtime');
      assert.equal(r1?.responseId, version === 2025 ? RESPONSE_IDS.structureError : RESPONSE_IDS.error);
      // Garbage between frames is skipped; the next frame still works.
      c.send(Buffer.from('garbage!garbage!'));
      c.send(simpleFrame(version, 'heartbeat', VIN_A));
      assert.equal((await c.next())?.command, 'heartbeat');
      // Body structure error with a right BCC: a truncated vehicle item, length field consistent.
      const good = realtimeFrame(version, VIN_A);
      const cut = Buffer.from(good.subarray(0, 24 + 6 + 5));
      cut.writeUInt16BE(6 + 5, 22);
      const withBcc = Buffer.concat([cut, Buffer.of(bcc(cut, 2, cut.length))]);
      c.send(withBcc);
      const r2 = await c.next();
      assert.equal(r2?.responseId, version === 2025 ? RESPONSE_IDS.structureError : RESPONSE_IDS.error);
      if (version === 2025) {
        // Unsigned 2025 realtime frame: signature error 0x05.
        const signed = realtimeFrame(2025, VIN_A);
        const sigLen = 1 + 2 + 32 + 2 + 32;
        const l = (signed[22] << 8) | signed[23];
        const unsigned = Buffer.from(signed.subarray(0, 24 + l - sigLen - 1));
        unsigned.writeUInt16BE(l - sigLen - 1, 22);
        c.send(Buffer.concat([unsigned, Buffer.of(bcc(unsigned, 2, unsigned.length))]));
        const r3 = await c.next();
        assert.equal(r3?.responseId, RESPONSE_IDS.signatureError);
      }
      const m = t.gateway.metrics();
      assert.equal(m.decodeErrors.GBT_ERR_BCC, 1);
      assert.ok(m.garbageBytes >= 16);
      assert.deepEqual(
        (await t.log.read(0, 10)).map((e) => e.commandId),
        [0x01],
      );
      c.destroy();
    } finally {
      await t.close();
    }
  });
}

test('duplicate login: replace closes the old connection', async () => {
  const t = await startTestGateway();
  try {
    const a = new TestClient(t.port);
    a.send(loginFrame(2016, VIN_A, 1));
    await a.next();
    const b = new TestClient(t.port);
    b.send(loginFrame(2016, VIN_A, 2));
    assert.equal((await b.next())?.responseId, RESPONSE_IDS.success);
    await a.whenClosed;
    assert.equal(t.gateway.onlineSession(VIN_A)?.peer, `127.0.0.1:${b.socket.localPort}`);
    await until(() => t.registry.events.some((e) => e.kind === 'replaced'), 2000, 'replaced event');
    assert.equal(t.gateway.metrics().closedByReason.replaced, 1);
    b.destroy();
  } finally {
    await t.close();
  }
});

test('duplicate login: reject answers 0x03 and keeps the first', async () => {
  const t = await startTestGateway({ gateway: { duplicateLogin: 'reject' } });
  try {
    const a = new TestClient(t.port);
    a.send(loginFrame(2025, VIN_A, 1));
    await a.next();
    const b = new TestClient(t.port);
    b.send(loginFrame(2025, VIN_A, 2));
    assert.equal((await b.next())?.responseId, RESPONSE_IDS.vinDuplicate);
    await b.whenClosed;
    a.send(simpleFrame(2025, 'heartbeat', VIN_A));
    assert.equal((await a.next())?.command, 'heartbeat');
    assert.equal(a.closed, false);
    a.destroy();
  } finally {
    await t.close();
  }
});

test('spoofed VIN: error reply and close, frame not logged', async () => {
  const t = await startTestGateway();
  try {
    const c = new TestClient(t.port);
    c.send(loginFrame(2016, VIN_A));
    await c.next();
    c.send(realtimeFrame(2016, VIN_B));
    const r = await c.next();
    assert.equal(r?.responseId, RESPONSE_IDS.error);
    await c.whenClosed;
    assert.deepEqual(
      (await t.log.read(0, 10)).map((e) => e.vin),
      [VIN_A],
    );
  } finally {
    await t.close();
  }
});

test('frames before login are not logged; too many bytes before login close the link', async () => {
  const t = await startTestGateway({ gateway: { preLoginMaxBytes: 1024 } });
  try {
    const c = new TestClient(t.port);
    c.send(realtimeFrame(2016, VIN_A));
    c.send(simpleFrame(2016, 'heartbeat', VIN_A));
    // Then a login: accepted, and only the login is in the log.
    c.send(loginFrame(2016, VIN_A));
    const r = await c.next();
    assert.equal(r?.command, 'vehicleLogin');
    assert.deepEqual(
      (await t.log.read(0, 10)).map((e) => e.commandId),
      [0x01],
    );
    c.destroy();
    const flood = new TestClient(t.port);
    for (let i = 0; i < 20; i++) flood.send(realtimeFrame(2016, VIN_A));
    await flood.whenClosed;
    assert.equal(flood.received.length, 0);
    await until(() => (t.gateway.metrics().closedByReason.preLogin ?? 0) === 1, 2000, 'preLogin close');
  } finally {
    await t.close();
  }
});

test('a lying length field cannot make the gateway buffer without bound', async () => {
  const t = await startTestGateway({ gateway: { preLoginMaxBytes: 4096 } });
  try {
    const c = new TestClient(t.port);
    // Header says L = 60000, then the client keeps sending filler: closed at the pre-login bound.
    const header = Buffer.from(loginFrame(2016, VIN_A).subarray(0, 24));
    header.writeUInt16BE(60000, 22);
    c.send(header);
    for (let i = 0; i < 10; i++) c.send(Buffer.alloc(1000, 0x41));
    await c.whenClosed;
    assert.equal(await t.log.lastSeq(), 0);
  } finally {
    await t.close();
  }
});

test('frames are counted by command on the fast path (one chunk) and the general one (mixed chunk)', async () => {
  const t = await startTestGateway({ gateway: { ackRealtime: true } });
  try {
    const c = new TestClient(t.port);
    c.send(loginFrame(2016, VIN_A));
    await c.next();
    // One write: 3 realtime and 2 reissue frames, all valid (the fast path).
    const rt = realtimeFrame(2016, VIN_A);
    const re = realtimeFrame(2016, VIN_A, timeAt(-60), 'reissue');
    c.send(Buffer.concat([rt, re, rt, re, rt]));
    for (let i = 0; i < 5; i++) await c.next();
    // One write: a heartbeat, then 2 realtime frames (the general loop from the heartbeat on).
    c.send(Buffer.concat([simpleFrame(2016, 'heartbeat', VIN_A), rt, rt]));
    for (let i = 0; i < 3; i++) await c.next();
    const m = t.gateway.metrics().framesByCommand;
    assert.equal(m.realtime, 5);
    assert.equal(m.reissue, 2);
    assert.equal(m.heartbeat, 1);
    assert.equal(await t.log.lastSeq(), 1 + 7);
  } finally {
    await t.close();
  }
});

test('idle timeout closes the session with a reason', async () => {
  const t = await startTestGateway({ gateway: { idleTimeoutSec: 1 } });
  try {
    const c = new TestClient(t.port);
    c.send(loginFrame(2016, VIN_A));
    await c.next();
    await c.whenClosed;
    await until(() => t.registry.events.some((e) => e.kind === 'disconnect'), 2000, 'disconnect event');
    const ev = t.registry.events.find((e) => e.kind === 'disconnect');
    assert.match(ev?.reason ?? '', /idle timeout 1 s/);
    assert.equal(t.gateway.onlineSession(VIN_A), undefined);
  } finally {
    await t.close();
  }
});

test('idle timeout counts from the last read: a session that keeps sending stays open', async () => {
  const t = await startTestGateway({ gateway: { idleTimeoutSec: 1 } });
  try {
    const c = new TestClient(t.port);
    c.send(loginFrame(2016, VIN_A));
    await c.next();
    // Heartbeats every 400 ms for 2.4 s: more than twice the timeout, never 1 s apart.
    let lastSent = 0;
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 400));
      c.send(simpleFrame(2016, 'heartbeat', VIN_A));
      lastSent = performance.now();
      await c.next();
    }
    assert.ok(t.gateway.onlineSession(VIN_A), 'still online while it sends');
    await c.whenClosed;
    const quiet = performance.now() - lastSent;
    // Closed about 1 s after the last read, not counted from the login.
    assert.ok(quiet >= 900, `closed ${quiet.toFixed(0)} ms after the last frame`);
    await until(() => t.registry.events.some((e) => e.kind === 'disconnect'), 2000, 'disconnect event');
    assert.match(t.registry.events.find((e) => e.kind === 'disconnect')?.reason ?? '', /idle timeout 1 s/);
  } finally {
    await t.close();
  }
});

test('a slow client sending one byte at a time is served', async () => {
  const t = await startTestGateway({ gateway: { ackRealtime: true } });
  try {
    const c = new TestClient(t.port);
    const bytes = Buffer.concat([loginFrame(2025, VIN_A), realtimeFrame(2025, VIN_A)]);
    for (const b of bytes) {
      c.send(Buffer.of(b));
      await new Promise((r) => setImmediate(r));
    }
    const got = await c.frames(2);
    assert.deepEqual(
      got.map((f) => f.command),
      ['vehicleLogin', 'realtime'],
    );
    assert.equal(await t.log.lastSeq(), 2);
    c.destroy();
  } finally {
    await t.close();
  }
});

test('a client that never reads its replies is closed as a slow consumer', async () => {
  const t = await startTestGateway({ gateway: { ackRealtime: true, maxWriteQueueBytes: 64 * 1024 } });
  try {
    const c = new TestClient(t.port, { read: false });
    c.send(loginFrame(2016, VIN_A));
    // Heartbeat replies are 25 bytes: enough of them overflow the kernel buffers and then the cap.
    const hb = simpleFrame(2016, 'heartbeat', VIN_A);
    const burst = Buffer.concat(new Array<Buffer>(2000).fill(Buffer.from(hb)));
    let closed = false;
    void c.whenClosed.then(() => (closed = true));
    for (let i = 0; i < 400 && !closed; i++) {
      c.send(burst);
      await new Promise((r) => setTimeout(r, 2));
    }
    await until(
      () => (t.gateway.metrics().closedByReason.slowConsumer ?? 0) === 1,
      10_000,
      'slow consumer close',
    );
    c.destroy();
  } finally {
    await t.close();
  }
});

test('2,000 connections opened and dropped at once while a session keeps working', async () => {
  const t = await startTestGateway({ gateway: { ackRealtime: true } });
  try {
    const worker = new TestClient(t.port);
    worker.send(loginFrame(2025, VIN_A));
    await worker.next();
    const crowd: TestClient[] = [];
    for (let i = 0; i < 2000; i++) crowd.push(new TestClient(t.port));
    await Promise.allSettled(crowd.map((c) => c.ready));
    for (let i = 0; i < 20; i++) worker.send(realtimeFrame(2025, VIN_A));
    for (const c of crowd) c.destroy();
    const got = await worker.frames(21, 10_000);
    assert.equal(got.length, 21);
    await until(() => t.gateway.sessionCount === 1, 10_000, 'crowd to drain');
    assert.equal(t.gateway.metrics().connectionsTotal, 2001);
    worker.destroy();
  } finally {
    await t.close();
  }
});
