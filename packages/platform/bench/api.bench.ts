// API benchmark (npm run bench:api [-- --seconds 15 --tick 500 --clients 100 --vehicles 10000]):
//  1. latest state of 10,000 vehicles: GET /api/v1/vehicles?limit=10000 over a store seeded with
//     one realtime frame per vehicle — with the API's 1 s list cache and without it;
//  2. one vehicle-day at 10 s (8,640 frames): GET /history, raw and downsampled to 60 s;
//  3. live fan-out: 100 WebSocket clients over real HTTP while 10,000 vehicles report every 10 s
//     (1,000 frames/s appended to the SQLite frame log → live feed → hub → clients). Lag = time a
//     client receives a vehicle's position − time the frame was appended to the log.
// Ends with one JSON line {"latestStateMs", "vehicleDayMs", "liveLagP99Ms", ...}.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { decodeFrame } from '@nevhub/gbt32960';
import { openApiDb } from '../src/api/api-db.js';
import { startApi } from '../src/api/server.js';
import { SqliteFrameLog } from '../src/log/sqlite.js';
import { attachLiveFeed } from '../src/northbound/live-feed.js';
import { LiveHub } from '../src/northbound/live-hub.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { bj, realtimeFrame } from '../src/store/testing/frames.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '15' },
    tick: { type: 'string', default: '500' },
    clients: { type: 'string', default: '100' },
    vehicles: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '9' },
  },
});
const SECONDS = Number(values.seconds);
const TICK_MS = Number(values.tick);
const CLIENTS = Number(values.clients);
const VEHICLES = Number(values.vehicles);
const RUNS = Number(values.runs);
const DAY_VIN = 'LDAY0000000000001';

const pct = (xs: ArrayLike<number>, p: number): number => {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const vinOf = (i: number): string => `LBENCH${String(i).padStart(11, '0')}`;
const log = (msg: string): void => void process.stderr.write(`${msg}\n`);

const dir = mkdtempSync(join(tmpdir(), 'nevhub-api-bench-'));
const store = new SqliteStore({ dataDir: dir });
const frameLog = new SqliteFrameLog({ dataDir: dir });
const apiDb = openApiDb(dir);
const token = apiDb.tokens.create('bench', 'viewer').token;
const hub = new LiveHub({ tickMs: TICK_MS });

// ---- seed: 10,000 vehicles with a latest state; one vehicle-day at 10 s ------------------------
const t0 = Date.now() - 86_400_000;
const frames: Uint8Array[] = [];
const types = ['taxi', 'bus', 'car', 'sanitation'] as const;
for (let i = 0; i < VEHICLES; i++) {
  await store.upsertVehicle({ vin: vinOf(i), plate: `冀F·${i}`, vehicleType: types[i % 4], powertrain: i % 4 === 3 ? 'fcev' : 'bev', enabled: true });
  frames.push(
    realtimeFrame({
      version: i % 2 ? 2025 : 2016,
      vin: vinOf(i),
      time: bj(t0 + 86_400_000),
      speedKmh: i % 60,
      socPct: 20 + (i % 80),
      lon: 115.3 + (i % 100) / 500,
      lat: 38.8 + (i % 97) / 500,
      ...(i % 4 === 3 ? { h2RemainingPct: 50 } : {}),
    }),
  );
}
for (let i = 0; i < VEHICLES; i += 1000) {
  await store.applyFrames(frames.slice(i, i + 1000).map((raw, k) => ({ seq: i + k + 1, receivedAt: Date.now(), frame: decodeFrame(raw) })));
}
for (let i = 0; i < VEHICLES; i++) await store.setOnline(vinOf(i), true, Date.now());
await store.upsertVehicle({ vin: DAY_VIN, vehicleType: 'taxi', powertrain: 'bev', enabled: true });
const day = [];
for (let k = 0; k < 8640; k++) {
  const at = t0 + k * 10_000;
  day.push({ seq: VEHICLES + 1 + k, receivedAt: at, frame: decodeFrame(realtimeFrame({ version: 2016, vin: DAY_VIN, time: bj(at), speedKmh: k % 80, socPct: 90 - k / 200, lon: 115.4 + k / 1e5, lat: 38.8 })) });
}
for (let k = 0; k < day.length; k += 1000) await store.applyFrames(day.slice(k, k + 1000));
log(`seeded ${VEHICLES} vehicles and 8640 history rows in ${dir}`);

const deps = { registry: store, sessions: store, store, log: frameLog, apiDb, hub };
const api = await startApi(deps, { port: 0, host: '127.0.0.1', webDist: null });
// The same API without the 1 s vehicle-list cache: every request reads and joins 10,000 rows.
const uncached = await startApi(deps, { port: 0, host: '127.0.0.1', webDist: null, latestCacheMs: 0 });
const headers = { authorization: `Bearer ${token}` };

async function timeGet(url: string, base: string): Promise<{ ms: number; bytes: number }> {
  const t = performance.now();
  const r = await fetch(`${base}${url}`, { headers });
  const body = await r.text();
  if (r.status !== 200) throw new Error(`${url}: ${r.status} ${body.slice(0, 200)}`);
  return { ms: performance.now() - t, bytes: body.length };
}

async function measure(name: string, url: string, base = api.url): Promise<number> {
  await timeGet(url, base); // warm-up (JIT, SQLite page cache)
  const runs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await timeGet(url, base);
    runs.push(r.ms);
    bytes = r.bytes;
  }
  log(`${name}: median ${pct(runs, 50).toFixed(1)} ms, max ${Math.max(...runs).toFixed(1)} ms, ${(bytes / 1024).toFixed(0)} KiB`);
  return pct(runs, 50);
}

const from = new Date(t0 - 1).toISOString();
const to = new Date(t0 + 86_400_000).toISOString();
const latestStateMs = await measure('latest state, 10,000 vehicles (1 s list cache)', `/api/v1/vehicles?limit=${VEHICLES}`);
const latestStateUncachedMs = await measure('latest state, 10,000 vehicles, no cache', `/api/v1/vehicles?limit=${VEHICLES}`, uncached.url);
const summaryMs = await measure('fleet summary', '/api/v1/fleet/summary');
const vehicleDayMs = await measure('vehicle-day raw (8,640 points × 4 fields)', `/api/v1/vehicles/${DAY_VIN}/history?from=${from}&to=${to}&fields=speedKmh,socPct,lon,lat`);
const vehicleDayStepMs = await measure('vehicle-day at step 60 s', `/api/v1/vehicles/${DAY_VIN}/history?from=${from}&to=${to}&fields=speedKmh,socPct,lon,lat&step=60000`);

// ---- live fan-out --------------------------------------------------------------------------------
const feed = attachLiveFeed(frameLog, hub, { pollMs: 50 });
hub.start();
// Clients run in worker threads (browsers live elsewhere: their JSON parsing should not delay the
// server's event loop). Append times are shared through a SharedArrayBuffer indexed by vehicle.
const appendedAt = new Float64Array(new SharedArrayBuffer(8 * VEHICLES));
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const WebSocket = require('ws');
const { url, count, shared } = workerData;
const appendedAt = new Float64Array(shared);
const lags = [];
const sockets = [];
let opened = 0;
for (let c = 0; c < count; c++) {
  const ws = new WebSocket(url);
  ws.on('open', () => { if (++opened === count) parentPort.postMessage({ type: 'ready' }); });
  ws.on('error', (e) => parentPort.postMessage({ type: 'error', message: String(e) }));
  ws.on('message', (data) => {
    const now = Date.now();
    const m = JSON.parse(data.toString('utf8'));
    if (m.type !== 'positions') return;
    for (const v of m.vehicles) {
      const t = appendedAt[Number(v.vin.slice(6))];
      if (t > 0) lags.push(now - t);
    }
  });
  sockets.push(ws);
}
parentPort.on('message', () => {
  for (const ws of sockets) ws.close();
  parentPort.postMessage({ type: 'done', lags: Float64Array.from(lags) });
});
`;
const WORKERS = 2;
const workers = await Promise.all(
  Array.from({ length: WORKERS }, (_, w) => {
    const count = Math.floor(CLIENTS / WORKERS) + (w < CLIENTS % WORKERS ? 1 : 0);
    const worker = new Worker(CLIENT_WORKER, { eval: true, workerData: { url: `${api.url.replace('http', 'ws')}/api/v1/live?token=${token}`, count, shared: appendedAt.buffer } });
    return new Promise<Worker>((resolve, reject) => {
      worker.on('message', (m: { type: string; message?: string }) => {
        if (m.type === 'ready') resolve(worker);
        if (m.type === 'error') reject(new Error(m.message));
      });
      worker.once('error', reject);
    });
  }),
);
log(`${CLIENTS} WebSocket clients connected; ${VEHICLES} vehicles report every 10 s for ${SECONDS} s (tick ${TICK_MS} ms)`);

// 10,000 vehicles every 10 s = 1,000 frames/s, appended in 100 ms slices (as a gateway would).
// Paced against the clock: a slow append is followed by a bigger slice, so the rate holds.
const SLICE_MS = 100;
const RATE_PER_MS = VEHICLES / 10_000;
let next = 0;
let appended = 0;
const start = Date.now();
while (Date.now() - start < SECONDS * 1000) {
  const sliceStart = Date.now();
  const due = Math.floor((sliceStart - start + SLICE_MS) * RATE_PER_MS) - appended;
  const entries = [];
  for (let k = 0; k < due; k++) {
    const i = (next + k) % VEHICLES;
    const raw = frames[i];
    entries.push({ vin: vinOf(i), version: raw[0] === 0x24 ? (2025 as const) : (2016 as const), commandId: 2, collectedAt: null, receivedAt: sliceStart, sessionId: 'bench', peer: '127.0.0.1:1', raw });
  }
  await frameLog.append(entries);
  const now = Date.now();
  for (let k = 0; k < due; k++) appendedAt[(next + k) % VEHICLES] = now;
  next += due;
  appended += due;
  const wait = SLICE_MS - (Date.now() - sliceStart);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
const appendSeconds = (Date.now() - start) / 1000;
await new Promise((r) => setTimeout(r, TICK_MS * 3));

const lagArrays = await Promise.all(
  workers.map(
    (w) =>
      new Promise<Float64Array>((resolve) => {
        w.on('message', (m: { type: string; lags?: Float64Array }) => {
          if (m.type === 'done' && m.lags) resolve(m.lags);
        });
        w.postMessage('stop');
      }),
  ),
);
const lags = new Float64Array(lagArrays.reduce((n, a) => n + a.length, 0));
lagArrays.reduce((at, a) => (lags.set(a, at), at + a.length), 0);
const liveLagP50Ms = pct(lags, 50);
const liveLagP99Ms = pct(lags, 99);
log(
  `live: ${appended} frames appended, ${lags.length} position entries received by ${CLIENTS} clients; ` +
    `lag p50 ${liveLagP50Ms} ms, p99 ${liveLagP99Ms} ms, max ${pct(lags, 100)} ms; hub skipped sends ${hub.stats.skippedSends}, dropped clients ${hub.stats.droppedClients}`,
);
await Promise.all(workers.map((w) => w.terminate()));
await feed.stop();
hub.stop();
await api.close();
await uncached.close();
apiDb.close();
await store.close();
await frameLog.close();
rmSync(dir, { recursive: true, force: true });

const round = (x: number): number => Math.round(x * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    latestStateMs: round(latestStateMs),
    latestStateUncachedMs: round(latestStateUncachedMs),
    vehicleDayMs: round(vehicleDayMs),
    liveLagP99Ms,
    liveLagP50Ms,
    fleetSummaryMs: round(summaryMs),
    vehicleDayStep60sMs: round(vehicleDayStepMs),
    vehicles: VEHICLES,
    clients: CLIENTS,
    tickMs: TICK_MS,
    framesPerSec: Math.round(appended / appendSeconds),
  })}\n`,
);
