// The gateway on the real embedded seams: SQLite frame log + SQLite store (registry, session events).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESPONSE_IDS } from '@nevhub/gbt32960';
import { SqliteFrameLog } from '../log/sqlite.js';
import { SqliteStore } from '../store/sqlite.js';
import { Gateway } from './server.js';
import { loginFrame, logoutFrame, realtimeFrame, TestClient, until, VIN_A, VIN_B } from './testkit.js';

test('SQLite log and store: login, realtime, logout, refusal, session events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-gw-sqlite-'));
  const log = new SqliteFrameLog({ dataDir: dir });
  const store = new SqliteStore({ dataDir: dir });
  const gw = new Gateway({
    log,
    registry: store,
    events: store,
    gateway: { host: '127.0.0.1', port: 0, ackRealtime: true, registryMode: 'allowList' },
  });
  try {
    await store.upsertVehicle({ vin: VIN_A, enabled: true });
    const { port } = await gw.listen();
    const c = new TestClient(port);
    c.send(loginFrame(2025, VIN_A, 1));
    c.send(realtimeFrame(2025, VIN_A));
    c.send(logoutFrame(2025, VIN_A, 1));
    const got = await c.frames(3);
    assert.deepEqual(
      got.map((f) => [f.command, f.responseId]),
      [
        ['vehicleLogin', RESPONSE_IDS.success],
        ['realtime', RESPONSE_IDS.success],
        ['vehicleLogout', RESPONSE_IDS.success],
      ],
    );
    await c.whenClosed;
    const refused = new TestClient(port);
    refused.send(loginFrame(2025, VIN_B, 1));
    assert.equal((await refused.next())?.responseId, RESPONSE_IDS.vinUnknown);
    await refused.whenClosed;
    assert.deepEqual(
      (await log.read(0, 10)).map((e) => [e.vin, e.commandId]),
      [
        [VIN_A, 0x01],
        [VIN_A, 0x02],
        [VIN_A, 0x04],
      ],
    );
    const rec = await store.getVehicle(VIN_A);
    assert.equal(rec?.lastLoginSerial, 1);
    assert.equal(rec?.iccid, '89860402101700173398');
    await until(
      async () => (await store.sessionEvents(VIN_B, 0, Date.now() + 1000)).length === 1,
      2000,
      'rejected event',
    );
    const evA = await store.sessionEvents(VIN_A, 0, Date.now() + 1000);
    assert.deepEqual(
      evA.map((e) => e.kind),
      ['login', 'logout'],
    );
  } finally {
    await gw.close();
    await log.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
