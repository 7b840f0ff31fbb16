import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '@nevhub/gbt32960';
import { bj, realtimeFrame } from '../store/testing/frames.js';
import { makeFixture, TAXI, TRUCK, T0, type Fixture } from './testing/fixture.js';
import { buildApi } from './server.js';
import { ensureAdminToken, openApiDb, platformAccountsForGateway, verifyPlatformLogin } from './api-db.js';
import type { GatewayPort } from './deps.js';

const sent: { vin: string; command: string; body: unknown }[] = [];
const gateway: GatewayPort = {
  port: 32960,
  sendCommand(vin, cmd) {
    sent.push({ vin, ...cmd });
    return Promise.resolve({ status: 'success', reply: { ok: true, command: cmd.command }, attempts: 1 });
  },
  metrics: () => ({ connectionsOpen: 7, framesByCommand: { realtime: 12 }, decodeErrors: { GBT_ERR_BCC: 2 }, appendLatencyMs: { buckets: [1, 10], counts: [3, 1, 0], sum: 9, count: 4 } }),
};

let f: Fixture;
before(async () => {
  f = await makeFixture({ gateway });
});
after(() => f.close());

const range = `from=${encodeURIComponent(new Date(T0).toISOString())}&to=${encodeURIComponent(new Date(T0 + 3_600_000).toISOString())}`;

test('auth: no token 401, bad token 401, viewer cannot write (403), health needs no token', async () => {
  const none = await f.app.inject({ method: 'GET', url: '/api/v1/vehicles' });
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().code, 'NEVHUB_ERR_UNAUTHORIZED');
  assert.match(none.json().message, /Bearer/);
  const bad = await f.app.inject({ method: 'GET', url: '/api/v1/vehicles', headers: { authorization: 'Bearer nope' } });
  assert.equal(bad.statusCode, 401);
  const viewerWrite = await f.app.inject({ method: 'POST', url: '/api/v1/vehicles', headers: f.auth('viewer'), payload: { vin: 'X1' } });
  assert.equal(viewerWrite.statusCode, 403);
  assert.deepEqual(Object.keys(viewerWrite.json()).sort(), ['code', 'error', 'message', 'statusCode']);
  assert.equal(viewerWrite.json().code, 'NEVHUB_ERR_FORBIDDEN');
  const operatorCmd = await f.app.inject({ method: 'POST', url: `/api/v1/vehicles/${TAXI}/commands`, headers: f.auth('viewer'), payload: { command: 'paramQuery', params: [1] } });
  assert.equal(operatorCmd.statusCode, 403);
  const health = await f.app.inject({ method: 'GET', url: '/healthz' });
  assert.deepEqual(health.json(), { status: 'ok' });
});

test('validation errors are 400 with NEVHUB_ERR_VALIDATION and a readable message', async () => {
  const r = await f.app.inject({ method: 'GET', url: '/api/v1/vehicles?limit=0', headers: f.auth('viewer') });
  assert.equal(r.statusCode, 400);
  assert.equal(r.json().code, 'NEVHUB_ERR_VALIDATION');
  assert.match(r.json().message, /limit/);
  const s = await f.app.inject({ method: 'GET', url: '/api/v1/vehicles?status=flying', headers: f.auth('viewer') });
  assert.equal(s.json().code, 'NEVHUB_ERR_VALIDATION');
  const t = await f.app.inject({ method: 'GET', url: `/api/v1/vehicles/${TAXI}/history?from=yesterday`, headers: f.auth('viewer') });
  assert.equal(t.statusCode, 400);
  assert.equal(t.json().code, 'NEVHUB_ERR_BAD_TIME_RANGE');
  const body = await f.app.inject({ method: 'POST', url: '/api/v1/vehicles', headers: f.auth('admin'), payload: { plate: 'no vin' } });
  assert.equal(body.statusCode, 400);
  assert.match(body.json().message, /vin/);
});

test('GET /api/v1/fleet/summary counts status and type', async () => {
  const r = await f.app.inject({ method: 'GET', url: '/api/v1/fleet/summary', headers: f.auth('viewer') });
  assert.equal(r.statusCode, 200);
  const s = r.json();
  assert.equal(s.total, 2);
  assert.equal(s.online, 2);
  assert.equal(s.driving, 1);
  assert.equal(s.alarm, 1, 'the truck ends at alarm level 3');
  assert.equal(s.offline, 0);
  assert.deepEqual(s.byType, { taxi: 1, bus: 0, car: 0, sanitation: 1, other: 0 });
  assert.equal(typeof s.energyTodayKwh, 'number');
  assert.equal(typeof s.hydrogenTodayKg, 'number');
});

test('GET /api/v1/vehicles lists with filters and paging', async () => {
  const all = (await f.app.inject({ method: 'GET', url: '/api/v1/vehicles', headers: f.auth('viewer') })).json();
  assert.equal(all.total, 2);
  const taxi = all.items.find((v: { vin: string }) => v.vin === TAXI);
  assert.equal(taxi.vehicleType, 'taxi');
  assert.equal(taxi.powertrain, 'bev');
  assert.equal(taxi.status, 'driving');
  assert.equal(taxi.online, true);
  assert.equal(typeof taxi.lon, 'number');
  assert.equal(typeof taxi.at, 'number');
  const byType = (await f.app.inject({ method: 'GET', url: '/api/v1/vehicles?type=sanitation', headers: f.auth('viewer') })).json();
  assert.deepEqual(byType.items.map((v: { vin: string }) => v.vin), [TRUCK]);
  assert.equal(byType.items[0].h2RemainingPct, 44);
  const alarm = (await f.app.inject({ method: 'GET', url: '/api/v1/vehicles?status=alarm', headers: f.auth('viewer') })).json();
  assert.deepEqual(alarm.items.map((v: { vin: string }) => v.vin), [TRUCK]);
  const q = (await f.app.inject({ method: 'GET', url: `/api/v1/vehicles?q=${encodeURIComponent('D123')}`, headers: f.auth('viewer') })).json();
  assert.deepEqual(q.items.map((v: { vin: string }) => v.vin), [TAXI]);
  const page = (await f.app.inject({ method: 'GET', url: '/api/v1/vehicles?limit=1&offset=1', headers: f.auth('viewer') })).json();
  assert.equal(page.total, 2);
  assert.equal(page.items.length, 1);
  assert.equal(page.items[0].vin, TAXI, 'sorted by VIN: LFCEV… before LTAXI…');
});

test('GET /api/v1/vehicles/:vin gives registry record and latest state; unknown VIN is 404', async () => {
  const r = (await f.app.inject({ method: 'GET', url: `/api/v1/vehicles/${TAXI}`, headers: f.auth('viewer') })).json();
  assert.equal(r.vehicle.vin, TAXI);
  assert.equal(r.vehicle.plate, '冀F·D12345');
  assert.equal(r.latest.online, true);
  assert.equal(r.latest.status, 'driving');
  assert.equal(typeof r.latest.socPct, 'number');
  const missing = await f.app.inject({ method: 'GET', url: '/api/v1/vehicles/NOSUCHVIN', headers: f.auth('viewer') });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'NEVHUB_ERR_VEHICLE_NOT_FOUND');
});

test('vehicle registry: create (admin), duplicate 409, patch allow-list flag, delete', async () => {
  const vin = 'LNEWBUS0000000003';
  const created = await f.app.inject({ method: 'POST', url: '/api/v1/vehicles', headers: f.auth('admin'), payload: { vin, plate: 'BUS 3', vehicleType: 'bus', powertrain: 'bev' } });
  assert.equal(created.statusCode, 201);
  assert.equal(created.json().enabled, true);
  const dup = await f.app.inject({ method: 'POST', url: '/api/v1/vehicles', headers: f.auth('admin'), payload: { vin } });
  assert.equal(dup.statusCode, 409);
  assert.equal(dup.json().code, 'NEVHUB_ERR_VEHICLE_EXISTS');
  const patched = await f.app.inject({ method: 'PATCH', url: `/api/v1/vehicles/${vin}`, headers: f.auth('admin'), payload: { enabled: false } });
  assert.equal(patched.statusCode, 200);
  assert.equal(patched.json().enabled, false);
  assert.equal((await f.store.getVehicle(vin))?.enabled, false);
  const listed = (await f.app.inject({ method: 'GET', url: '/api/v1/vehicles?type=bus', headers: f.auth('viewer') })).json();
  assert.equal(listed.items[0].status, 'offline');
  const del = await f.app.inject({ method: 'DELETE', url: `/api/v1/vehicles/${vin}`, headers: f.auth('admin') });
  assert.equal(del.statusCode, 204);
  const again = await f.app.inject({ method: 'DELETE', url: `/api/v1/vehicles/${vin}`, headers: f.auth('admin') });
  assert.equal(again.statusCode, 404);
  const badEnum = await f.app.inject({ method: 'PATCH', url: `/api/v1/vehicles/${TAXI}`, headers: f.auth('admin'), payload: { vehicleType: 'tank' } });
  assert.equal(badEnum.statusCode, 400);
});

test('GET history: store columns downsampled, and data-model paths from the records', async () => {
  const r = await f.app.inject({ method: 'GET', url: `/api/v1/vehicles/${TAXI}/history?${range}&fields=speedKmh,socPct&step=60000`, headers: f.auth('viewer') });
  assert.equal(r.statusCode, 200);
  const h = r.json();
  assert.deepEqual(Object.keys(h.series), ['speedKmh', 'socPct']);
  assert.ok(h.t.length >= 59 && h.t.length <= 61, `got ${h.t.length} buckets`);
  assert.equal(h.series.speedKmh.length, h.t.length);
  assert.equal(h.t[1] - h.t[0], 60_000);
  const raw = (await f.app.inject({ method: 'GET', url: `/api/v1/vehicles/${TAXI}/history?${range}&fields=speedKmh`, headers: f.auth('viewer') })).json();
  assert.equal(raw.t.length, 360);
  const paths = (await f.app.inject({ method: 'GET', url: `/api/v1/vehicles/${TRUCK}/history?${range}&fields=h2MaxTempC,fuelCell.dcdcTempC&step=600000`, headers: f.auth('viewer') })).json();
  assert.equal(paths.series.h2MaxTempC[0], 30);
  assert.equal(paths.series['fuelCell.dcdcTempC'][0], 40);
  const badField = await f.app.inject({ method: 'GET', url: `/api/v1/vehicles/${TAXI}/history?fields=a;b`, headers: f.auth('viewer') });
  assert.equal(badField.statusCode, 400);
});

test('GET cells: per-record cell voltages and temperatures', async () => {
  const c = (await f.app.inject({ method: 'GET', url: `/api/v1/vehicles/${TAXI}/cells?${range}&step=600000`, headers: f.auth('viewer') })).json();
  assert.ok(c.t.length >= 6 && c.t.length <= 7);
  assert.deepEqual(c.cellVoltagesV[0], [3.301, 3.312, 3.297, 3.305]);
  assert.deepEqual(c.temperaturesC[0], [25, 27, 26]);
});

test('GET frames: newest first, decoded and explained byte by byte', async () => {
  const r = (await f.app.inject({ method: 'GET', url: `/api/v1/vehicles/${TAXI}/frames?limit=5`, headers: f.auth('viewer') })).json();
  assert.equal(r.items.length, 5);
  const seqs = r.items.map((i: { seq: number }) => i.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
  const first = r.items[0];
  assert.equal(first.command, 'realtime');
  assert.equal(first.frame.vin, TAXI);
  assert.match(first.hex, /^2323/);
  assert.ok(first.explain.length > 10);
  const speed = first.explain.find((e: { name: string }) => e.name === 'speedKmh');
  assert.ok(speed, 'speedKmh explained');
  assert.equal(typeof speed.start, 'number');
  const old = (await f.app.inject({ method: 'GET', url: `/api/v1/vehicles/${TAXI}/frames?limit=3&to=${T0}`, headers: f.auth('viewer') })).json();
  assert.deepEqual(old.items.map((i: { command: string }) => i.command), ['vehicleLogin']);
});

test('GET sessions: newest first', async () => {
  await f.store.recordSessionEvent({ vin: TAXI, kind: 'login', at: T0, sessionId: 's1', peer: '10.0.0.1:1', serial: 1 });
  await f.store.recordSessionEvent({ vin: TAXI, kind: 'disconnect', at: T0 + 5000, sessionId: 's1', peer: '10.0.0.1:1', reason: 'idle timeout 180 s' });
  const r = (await f.app.inject({ method: 'GET', url: `/api/v1/vehicles/${TAXI}/sessions?limit=10&from=${T0 - 1}`, headers: f.auth('viewer') })).json();
  assert.deepEqual(r.items.map((i: { kind: string }) => i.kind), ['disconnect', 'login']);
  assert.equal(r.items[0].reason, 'idle timeout 180 s');
  assert.equal(r.items[1].serial, 1);
});

test('GET fuel-cell: latest hydrogen items and series', async () => {
  const r = (await f.app.inject({ method: 'GET', url: `/api/v1/vehicles/${TRUCK}/fuel-cell?${range}&step=600000`, headers: f.auth('viewer') })).json();
  assert.equal(r.latest.fuelCell.h2RemainingPct, 44);
  assert.equal(r.latest.h2RemainingPct, 44);
  assert.ok(r.series.t.length >= 6);
  assert.equal(r.series.series.h2RemainingPct[0], 50);
  assert.equal(r.series.series.h2MaxPressureMpa[0], 35);
});

test('POST commands (operator) goes to the gateway and is journaled; bad shapes are 400', async () => {
  const r = await f.app.inject({ method: 'POST', url: `/api/v1/vehicles/${TAXI}/commands`, headers: f.auth('operator'), payload: { command: 'paramQuery', params: [1, 9] } });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().status, 'success');
  assert.equal(r.json().attempts, 1);
  assert.deepEqual(sent.at(-1)?.body, { params: [{ id: 1, name: 'storagePeriodMs' }, { id: 9, name: 'heartbeatPeriodS' }] });
  const set = await f.app.inject({ method: 'POST', url: `/api/v1/vehicles/${TAXI}/commands`, headers: f.auth('operator'), payload: { command: 'paramSet', params: [{ id: 2, value: 10 }] } });
  assert.equal(set.statusCode, 200);
  const ctl = await f.app.inject({ method: 'POST', url: `/api/v1/vehicles/${TAXI}/commands`, headers: f.auth('operator'), payload: { command: 'terminalControl', control: { controlId: 4 } } });
  assert.equal(ctl.statusCode, 200);
  assert.equal((sent.at(-1)?.body as { controlId: number }).controlId, 4);
  const bad = await f.app.inject({ method: 'POST', url: `/api/v1/vehicles/${TAXI}/commands`, headers: f.auth('operator'), payload: { command: 'paramSet', params: [1] } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'NEVHUB_ERR_BAD_COMMAND');
  const unknown = await f.app.inject({ method: 'POST', url: `/api/v1/vehicles/${TAXI}/commands`, headers: f.auth('operator'), payload: { command: 'reboot' } });
  assert.equal(unknown.statusCode, 400);
  const list = (await f.app.inject({ method: 'GET', url: `/api/v1/commands?vin=${TAXI}`, headers: f.auth('viewer') })).json();
  assert.equal(list.items.length, 3);
  assert.equal(list.items[0].command, 'terminalControl');
  assert.equal(list.items[2].status, 'success');
  assert.equal(list.items[2].requestedBy, 'test operator');
  assert.deepEqual(list.items[2].request, { command: 'paramQuery', params: [1, 9] });
});

test('POST commands without a gateway is 503', async () => {
  const app = buildApi({ registry: f.store, sessions: f.store, store: f.store, log: f.log, apiDb: f.apiDb }, { webDist: null });
  try {
    const r = await app.inject({ method: 'POST', url: `/api/v1/vehicles/${TAXI}/commands`, headers: f.auth('operator'), payload: { command: 'paramQuery', params: [1] } });
    assert.equal(r.statusCode, 503);
    assert.equal(r.json().code, 'NEVHUB_ERR_GATEWAY_UNAVAILABLE');
  } finally {
    await app.close();
  }
});

test('platform accounts (admin): password write-only, visible to the gateway, deletable', async () => {
  const forbidden = await f.app.inject({ method: 'GET', url: '/api/v1/platforms', headers: f.auth('operator') });
  assert.equal(forbidden.statusCode, 403);
  const created = await f.app.inject({ method: 'POST', url: '/api/v1/platforms', headers: f.auth('admin'), payload: { username: 'lower1', password: 's3cret', allowedVins: [TAXI] } });
  assert.equal(created.statusCode, 201);
  assert.equal(created.json().password, '********');
  const list = (await f.app.inject({ method: 'GET', url: '/api/v1/platforms', headers: f.auth('admin') })).json();
  assert.deepEqual(list.items.map((p: { username: string; password: string }) => [p.username, p.password]), [['lower1', '********']]);
  assert.ok(!JSON.stringify(list).includes('s3cret'));
  const live = f.apiDb.platforms.forGateway();
  assert.deepEqual(live, [{ username: 'lower1', password: 's3cret', allowedVins: [TAXI] }]);
  assert.equal(f.apiDb.platforms.verify('lower1', 's3cret')?.username, 'lower1');
  assert.equal(f.apiDb.platforms.verify('lower1', 'wrong'), undefined);
  assert.deepEqual(platformAccountsForGateway(f.dir), [{ username: 'lower1', password: 's3cret', allowedVins: [TAXI] }]);
  assert.deepEqual(verifyPlatformLogin(f.dir, 'lower1', 's3cret')?.allowedVins, [TAXI]);
  const del = await f.app.inject({ method: 'DELETE', url: '/api/v1/platforms/lower1', headers: f.auth('admin') });
  assert.equal(del.statusCode, 204);
  assert.equal(live.length, 0, 'the gateway array follows deletions');
  const tooLong = await f.app.inject({ method: 'POST', url: '/api/v1/platforms', headers: f.auth('admin'), payload: { username: 'x'.repeat(13), password: 'p' } });
  assert.equal(tooLong.statusCode, 400);
});

test('tokens (admin): created secret works once shown, revoked token is 401', async () => {
  const created = await f.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: f.auth('admin'), payload: { name: 'grafana', role: 'viewer' } });
  assert.equal(created.statusCode, 201);
  const { token, info } = created.json();
  assert.match(token, /^nvh_/);
  const listed = (await f.app.inject({ method: 'GET', url: '/api/v1/tokens', headers: f.auth('admin') })).json();
  assert.ok(listed.items.some((t: { id: string; role: string }) => t.id === info.id && t.role === 'viewer'));
  assert.ok(!JSON.stringify(listed).includes(token));
  const use = await f.app.inject({ method: 'GET', url: '/api/v1/fleet/summary', headers: { authorization: `Bearer ${token}` } });
  assert.equal(use.statusCode, 200);
  await f.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${info.id}`, headers: f.auth('admin') });
  const after = await f.app.inject({ method: 'GET', url: '/api/v1/fleet/summary', headers: { authorization: `Bearer ${token}` } });
  assert.equal(after.statusCode, 401);
});

test('ensureAdminToken creates one admin token on first start only and stores only its hash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-admin-'));
  try {
    const token = ensureAdminToken(dir);
    assert.ok(token);
    assert.equal(ensureAdminToken(dir), undefined);
    const db = openApiDb(dir);
    assert.equal(db.tokens.verify(token)?.role, 'admin');
    const rows = db.db.prepare('SELECT hash FROM api_tokens').all() as { hash: string }[];
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0].hash, token);
    assert.match(rows[0].hash, /^[0-9a-f]{64}$/);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GET roads and frames/decode', async () => {
  const roads = (await f.app.inject({ method: 'GET', url: '/api/v1/roads', headers: f.auth('viewer') })).json();
  assert.equal(roads.type, 'FeatureCollection');
  assert.ok(Array.isArray(roads.features));
  const hex = toHex(realtimeFrame({ version: 2025, vin: TRUCK, time: bj(T0), h2RemainingPct: 70 }));
  const r = await f.app.inject({ method: 'GET', url: `/api/v1/frames/decode?hex=${hex}`, headers: f.auth('viewer') });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().frame.ok, true);
  assert.equal(r.json().frame.command, 'realtime');
  assert.ok(r.json().explain.some((e: { path: string }) => e.path.includes('h2RemainingPct')));
  const bad = await f.app.inject({ method: 'GET', url: '/api/v1/frames/decode?hex=zz', headers: f.auth('viewer') });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().code, 'NEVHUB_ERR_BAD_HEX');
});

test('GET /metrics (Prometheus text, gateway counters merged) and /readyz', async () => {
  const m = await f.app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(m.statusCode, 200);
  assert.match(m.headers['content-type'] as string, /text\/plain/);
  assert.match(m.body, /^nevhub_connections 7$/m);
  assert.match(m.body, /^nevhub_frames_total\{command="realtime"\} 12$/m);
  assert.match(m.body, /^nevhub_decode_errors_total\{code="GBT_ERR_BCC"\} 2$/m);
  assert.match(m.body, /^nevhub_log_append_seconds_bucket\{le="0.01"\} 4$/m);
  assert.match(m.body, /# TYPE nevhub_store_apply_seconds histogram/);
  assert.match(m.body, /^nevhub_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+$/m);
  const ready = await f.app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json().checks, { apiDb: true, frameLog: true, store: true, gateway: true });
});

test('OpenAPI at /docs/json documents every route with the bearer scheme', async () => {
  const r = await f.app.inject({ method: 'GET', url: '/docs/json' });
  assert.equal(r.statusCode, 200);
  const doc = r.json();
  for (const p of ['/api/v1/fleet/summary', '/api/v1/vehicles', '/api/v1/vehicles/{vin}', '/api/v1/vehicles/{vin}/history', '/api/v1/vehicles/{vin}/commands', '/api/v1/platforms', '/api/v1/frames/decode']) {
    assert.ok(doc.paths[p], `documented: ${p}`);
  }
  assert.equal(doc.components.securitySchemes.bearer.scheme, 'bearer');
  const ui = await f.app.inject({ method: 'GET', url: '/docs/' });
  assert.equal(ui.statusCode, 200);
});

test('static: hint page when the dashboard is not built; SPA fallback when it is; API 404 stays JSON', async () => {
  const hint = await f.app.inject({ method: 'GET', url: '/' });
  assert.equal(hint.statusCode, 200);
  assert.match(hint.body, /npm run build/);
  const dist = mkdtempSync(join(tmpdir(), 'nevhub-web-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>nevhub dashboard</title>');
  writeFileSync(join(dist, 'app.js'), 'console.log(1)');
  const app = buildApi({ registry: f.store, sessions: f.store, store: f.store, log: f.log, apiDb: f.apiDb }, { webDist: dist });
  try {
    assert.match((await app.inject({ method: 'GET', url: '/' })).body, /nevhub dashboard/);
    assert.equal((await app.inject({ method: 'GET', url: '/app.js' })).body, 'console.log(1)');
    const spa = await app.inject({ method: 'GET', url: '/vehicles/LTAXI000000000001' });
    assert.equal(spa.statusCode, 200);
    assert.match(spa.body, /nevhub dashboard/);
    const api404 = await app.inject({ method: 'GET', url: '/api/v1/nope', headers: f.auth('viewer') });
    assert.equal(api404.statusCode, 404);
    assert.equal(api404.json().code, 'NEVHUB_ERR_ROUTE_NOT_FOUND');
  } finally {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  }
});
