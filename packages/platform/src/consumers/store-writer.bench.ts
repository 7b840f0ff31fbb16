// Store-writer benchmark: log → decode → SqliteStore.applyFrames throughput (frames/s) for
// realistic 2016 and 2025 realtime frames. Run:
//   node --import tsx packages/platform/src/consumers/store-writer.bench.ts [frames]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteFrameLog } from '../log/sqlite.js';
import type { NewLogEntry } from '../log/types.js';
import { SqliteStore } from '../store/sqlite.js';
import { bj, realtimeFrame } from '../store/testing/frames.js';
import { StoreWriter } from './store-writer.js';

const total = Number(process.argv[2] ?? 20_000);
const T0 = Date.UTC(2025, 9, 27, 0, 0, 0);
const cells = Array.from({ length: 96 }, (_, i) => 3.3 + (i % 10) / 1000);
const temps = Array.from({ length: 32 }, (_, i) => 25 + (i % 5));

const dir = mkdtempSync(join(tmpdir(), 'nevhub-bench-'));
const log = new SqliteFrameLog({ dataDir: dir, maxPending: 1_000_000 });
const store = new SqliteStore({ dataDir: dir });
const entries: NewLogEntry[] = [];
for (let i = 0; i < total; i++) {
  const version = i % 2 === 0 ? 2016 : 2025;
  const vin = `LBENCH${String(i % 200).padStart(11, '0')}`;
  const at = T0 + Math.floor(i / 200) * 10_000;
  const raw = realtimeFrame({ version, vin, time: bj(at), speedKmh: i % 90, socPct: 50, cellsV: cells, tempsC: temps, h2RemainingPct: 50 });
  entries.push({ vin, version, commandId: 2, collectedAt: bj(at), receivedAt: at + 500, sessionId: 's', peer: 'p', raw });
}
for (let i = 0; i < entries.length; i += 1000) await log.append(entries.slice(i, i + 1000));
for (const batchSize of [100, 500, 2000]) {
  await log.setCursor(`store-${batchSize}`, 0);
  const fresh = new SqliteStore({ dataDir: dir, fileName: `store-${batchSize}.db` });
  const writer = new StoreWriter({ log, store: fresh, batchSize, cursor: `store-${batchSize}` });
  const t0 = performance.now();
  await writer.drain();
  const ms = performance.now() - t0;
  console.log(`batch ${String(batchSize).padStart(5)}: ${Math.round((total / ms) * 1000)} frames/s (${total} frames, ${ms.toFixed(0)} ms)`);
  const t1 = performance.now();
  const day = await fresh.history('LBENCH00000000001', T0, T0 + 86_400_000);
  const series = await fresh.historySeries('LBENCH00000000001', T0, T0 + 86_400_000, ['speedKmh', 'socPct', 'maxCellVoltageV'], 60_000);
  console.log(`  one vehicle-day: ${day.length} records + ${series.t.length}-point series in ${(performance.now() - t1).toFixed(1)} ms`);
  await fresh.close();
}
await store.close();
await log.close();
rmSync(dir, { recursive: true, force: true });
