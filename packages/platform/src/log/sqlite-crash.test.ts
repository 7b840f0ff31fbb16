// Crash durability: every append acknowledged to a child process survives its SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteFrameLog } from './sqlite.js';

const CHILD = fileURLToPath(new URL('./sqlite-crash.child.ts', import.meta.url));

function payload(n: number): number[] {
  const raw = new Uint8Array(64);
  for (let i = 0; i < raw.length; i++) raw[i] = (n + i * 13) & 0xff;
  raw[0] = n & 0xff;
  raw[1] = (n >> 8) & 0xff;
  raw[2] = (n >> 16) & 0xff;
  return Array.from(raw);
}

test('sqlite: every acknowledged seq is present exactly once after SIGKILL mid-stream', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nevhub-crash-'));
  try {
    const acked = new Map<number, number>();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let buf = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const line of lines) {
          const [seq, n] = line.split(' ').map(Number);
          acked.set(seq, n);
        }
        if (acked.size >= 2000 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) => {
        if (signal === 'SIGKILL') resolve();
        else reject(new Error(`child exited with ${code}: ${err}`));
      });
    });
    assert.ok(acked.size >= 2000);
    const log = new SqliteFrameLog({ dataDir });
    try {
      const all = await log.read(0, 1_000_000);
      const seqs = all.map((e) => e.seq);
      assert.equal(new Set(seqs).size, seqs.length, 'no seq twice');
      const bySeq = new Map(all.map((e) => [e.seq, e]));
      for (const [seq, n] of acked) {
        const e = bySeq.get(seq);
        assert.ok(e, `acknowledged seq ${seq} survived the crash`);
        assert.deepEqual(Array.from(e.raw), payload(n), `seq ${seq} holds entry ${n}`);
      }
      // The log stays appendable after the crash, after the highest seq.
      const [next] = await log.append([{ ...all[0], raw: new Uint8Array([1]) }]);
      assert.equal(next, Math.max(...seqs) + 1);
    } finally {
      await log.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
