// A real API over real SQLite files in a temp dir, seeded with two vehicles: a 2016 BEV taxi and
// a 2025 FCEV sanitation truck, with a login and an hour of realtime frames each in the frame log
// and the store. Tokens for every role.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrame } from '@nevhub/gbt32960';
import type { FastifyInstance } from 'fastify';
import { SqliteFrameLog } from '../../log/sqlite.js';
import { SqliteStore } from '../../store/sqlite.js';
import { bj, loginFrame, realtimeFrame } from '../../store/testing/frames.js';
import { LiveHub } from '../../northbound/live-hub.js';
import { openApiDb, type ApiDb } from '../api-db.js';
import type { GatewayPort } from '../deps.js';
import { buildApi, type ApiOptions } from '../server.js';

export const TAXI = 'LTAXI000000000001';
export const TRUCK = 'LFCEV000000000002';
/** 2026-11-29T08:00:00+08:00 */
export const T0 = Date.parse('2026-11-29T00:00:00Z');

export interface Fixture {
  dir: string;
  app: FastifyInstance;
  store: SqliteStore;
  log: SqliteFrameLog;
  apiDb: ApiDb;
  hub: LiveHub;
  tokens: { admin: string; operator: string; viewer: string };
  auth(role: 'admin' | 'operator' | 'viewer'): { authorization: string };
  close(): Promise<void>;
}

export async function seed(store: SqliteStore, log: SqliteFrameLog): Promise<void> {
  await store.upsertVehicle({ vin: TAXI, plate: '冀F·D12345', vehicleType: 'taxi', powertrain: 'bev', enabled: true });
  await store.upsertVehicle({ vin: TRUCK, plate: '冀F·H0002', vehicleType: 'sanitation', powertrain: 'fcev', enabled: true });
  const raws: { vin: string; raw: Uint8Array; at: number }[] = [
    { vin: TAXI, raw: loginFrame(2016, TAXI, bj(T0), 1), at: T0 },
    { vin: TRUCK, raw: loginFrame(2025, TRUCK, bj(T0), 1), at: T0 },
  ];
  for (let i = 1; i <= 360; i++) {
    const at = T0 + i * 10_000;
    raws.push({ vin: TAXI, at, raw: realtimeFrame({ version: 2016, vin: TAXI, time: bj(at), speedKmh: 30 + (i % 20), socPct: 80 - i / 60, lon: 115.46 + i / 10000, lat: 38.87 }) });
    raws.push({
      vin: TRUCK,
      at,
      raw: realtimeFrame({ version: 2025, vin: TRUCK, time: bj(at), speedKmh: 0, socPct: 60, h2RemainingPct: 50 - Math.floor(i / 60), alarmLevel: i === 360 ? 3 : 0 }),
    });
  }
  const seqs = await log.append(raws.map((r) => ({ vin: r.vin, version: r.raw[0] === 0x24 ? 2025 : 2016, commandId: r.raw[2], collectedAt: null, receivedAt: r.at, sessionId: 's1', peer: '127.0.0.1:5000', raw: r.raw })));
  await store.applyFrames(raws.map((r, i) => ({ seq: seqs[i], receivedAt: r.at, frame: decodeFrame(r.raw) })));
  await store.setOnline(TAXI, true, T0 + 3_600_000);
  await store.setOnline(TRUCK, true, T0 + 3_600_000);
}

export async function makeFixture(opts: { gateway?: GatewayPort; api?: ApiOptions; hub?: LiveHub } = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-api-'));
  const store = new SqliteStore({ dataDir: dir });
  const log = new SqliteFrameLog({ dataDir: dir, synchronous: 'normal' });
  const apiDb = openApiDb(dir);
  const hub = opts.hub ?? new LiveHub({ tickMs: 50 });
  await seed(store, log);
  const tokens = {
    admin: apiDb.tokens.create('test admin', 'admin').token,
    operator: apiDb.tokens.create('test operator', 'operator').token,
    viewer: apiDb.tokens.create('test viewer', 'viewer').token,
  };
  const app = buildApi({ registry: store, sessions: store, store, log, apiDb, hub, gateway: opts.gateway }, { webDist: null, ...opts.api });
  await app.ready();
  return {
    dir,
    app,
    store,
    log,
    apiDb,
    hub,
    tokens,
    auth: (role) => ({ authorization: `Bearer ${tokens[role]}` }),
    async close() {
      await app.close();
      hub.stop();
      apiDb.close();
      await store.close();
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
