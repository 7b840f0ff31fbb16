// nevhub with gateway.processes 2 (startPlatform, as `nevhub serve --gateway-processes 2` runs it):
// the SQLite log and store in the primary, presence in the store, /metrics and downlink via the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESPONSE_IDS } from '@nevhub/gbt32960';
import { defaultConfig } from '../config/schema.js';
import { startPlatform } from '../platform.js';
import { ClusterGateway } from './cluster.js';
import { alive, answerQueries, loginFrame, realtimeFrame, TestClient, until } from './testkit.js';

const vin = (n: number): string => `LCLUSTER${String(n).padStart(9, '0')}`;

test('startPlatform with gateway.processes 2: store presence, /metrics and API downlink', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-cluster-'));
  const base = defaultConfig();
  const platform = await startPlatform(
    {
      ...base,
      dataDir: dir,
      gateway: { ...base.gateway, host: '127.0.0.1', port: 0, processes: 2 },
      http: { host: '127.0.0.1', port: 0 },
      log: { ...base.log, level: 'silent', durability: 'os' },
    },
    {},
  );
  const v = vin(50);
  assert.ok(platform.gateway instanceof ClusterGateway);
  const pids = platform.gateway.workerPids();
  try {
    const client = new TestClient(platform.address.port);
    client.send(loginFrame(2016, v));
    assert.equal((await client.next())?.responseId, RESPONSE_IDS.success);
    client.send(realtimeFrame(2016, v));
    answerQueries(client, 2016);
    await until(async () => (await platform.store.latest([v]))[0]?.online === true, 5000, 'online in the store');
    const url = platform.http?.url ?? '';
    const headers = { authorization: `Bearer ${platform.firstAdminToken ?? ''}` };
    await until(
      async () => /nevhub_connections 1\n/.test(await (await fetch(`${url}/metrics`, { headers })).text()),
      5000,
      '/metrics counts the worker connection',
    );
    const ready = await fetch(`${url}/readyz`);
    assert.equal(ready.status, 200);
    const res = await fetch(`${url}/api/v1/vehicles/${v}/commands`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ command: 'paramQuery', params: [0x09] }),
    });
    const body = (await res.json()) as { status: string; attempts: number };
    assert.equal(body.status, 'success', JSON.stringify(body));
    await until(async () => (await platform.log.lastSeq()) >= 3, 2000, 'login, realtime and the reply logged');
  } finally {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(pids.length === 2 && pids.every((p) => p !== undefined && !alive(p)), 'workers stopped by close');
});
