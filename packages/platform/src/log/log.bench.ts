// Frame-log benchmark: append throughput and latency with C concurrent appenders (each awaits its
// append before the next, as a gateway connection does), for the memory log (the null baseline)
// and SQLite with synchronous=FULL and NORMAL. Run:
//   node --import tsx packages/platform/src/log/log.bench.ts [entries] [rawBytes]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryFrameLog } from './memory.js';
import { SqliteFrameLog } from './sqlite.js';
import type { FrameLog, NewLogEntry } from './types.js';

const total = Number(process.argv[2] ?? 20_000);
const rawBytes = Number(process.argv[3] ?? 400);
const raw = new Uint8Array(rawBytes).map((_, i) => i & 0xff);

function entry(i: number): NewLogEntry {
  return { vin: `LBENCH${String(i % 2000).padStart(11, '0')}`, version: 2016, commandId: 2, collectedAt: null, receivedAt: Date.now(), sessionId: 's', peer: 'p', raw };
}

async function run(name: string, log: FrameLog, concurrency: number, commits: () => number): Promise<void> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const s = performance.now();
        await log.append([entry(i)]);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const ms = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  const q = (p: number): string => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2);
  const c = commits();
  console.log(
    `${name.padEnd(16)} C=${String(concurrency).padStart(4)}  ${Math.round((total / ms) * 1000)
      .toString()
      .padStart(7)} entries/s  p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  commits ${c}  (${(total / Math.max(c, 1)).toFixed(1)}/commit)`,
  );
}

for (const concurrency of [1, 16, 256]) {
  const mem = new MemoryFrameLog();
  await run('memory', mem, concurrency, () => 0);
  for (const synchronous of ['full', 'normal'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'nevhub-bench-'));
    const log = new SqliteFrameLog({ dataDir: dir, synchronous, maxPending: 1_000_000 });
    await run(`sqlite ${synchronous}`, log, concurrency, () => log.stats.commits);
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
