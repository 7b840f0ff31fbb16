// Child process of sqlite-crash.test.ts: appends frames for ever, printing "<seq> <n>" for each
// entry as soon as its append() resolved (= acknowledged), until the parent kills it (SIGKILL).
import { SqliteFrameLog } from './sqlite.js';
import type { NewLogEntry } from './types.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: sqlite-crash.child.ts <dataDir>');
const log = new SqliteFrameLog({ dataDir });

/** Payload of entry n: recognisable bytes so the parent can check content, not just presence. */
function crashPayload(n: number): Uint8Array {
  const raw = new Uint8Array(64);
  for (let i = 0; i < raw.length; i++) raw[i] = (n + i * 13) & 0xff;
  raw[0] = n & 0xff;
  raw[1] = (n >> 8) & 0xff;
  raw[2] = (n >> 16) & 0xff;
  return raw;
}

let n = 0;
function next(): NewLogEntry {
  n++;
  return {
    vin: `LCRASH${String(n % 10).padStart(11, '0')}`,
    version: 2016,
    commandId: 2,
    collectedAt: null,
    receivedAt: Date.now(),
    sessionId: 'crash',
    peer: 'child',
    raw: crashPayload(n),
  };
}

async function worker(): Promise<void> {
  for (;;) {
    const batch = [next(), next()];
    const first = n - 1;
    const seqs = await log.append(batch);
    process.stdout.write(`${seqs[0]} ${first}\n${seqs[1]} ${first + 1}\n`);
  }
}

// Eight concurrent writers, so that several appends are in flight (group-committed) at the kill.
await Promise.all(Array.from({ length: 8 }, () => worker()));
