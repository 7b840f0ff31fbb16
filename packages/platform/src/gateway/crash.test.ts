// Crash safety end to end: a `nevhub serve` child with ackRealtime on is killed with SIGKILL while
// terminals stream frames; after a restart on the same data dir, every frame the gateway had
// acknowledged is in the SQLite log exactly once (durable before acknowledgement).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLogReader } from '../log/sqlite-reader.js';
import { RESPONSE_IDS, toHex } from '@nevhub/gbt32960';
import { loginFrame, realtimeFrame, TestClient, timeAt, until } from './testkit.js';

const root = new URL('../../../../', import.meta.url).pathname;

async function serve(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'packages/platform/bin/nevhub.js'),
      'serve',
      '--gateway-host',
      '127.0.0.1',
      '--gateway-port',
      '0',
      '--http-port',
      '0',
      '--data-dir',
      dataDir,
      '--ack-realtime',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on tcp:\/\/[^\s]+:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`nevhub serve exited with ${code} before listening: ${out}`)),
    );
  });
  return { child, port };
}

test(
  'kill -9 during a stream: every acknowledged frame is in the log exactly once',
  { timeout: 60_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nevhub-crash-'));
    // A failed assertion must not leave a server running (the test would never end).
    const children: ChildProcess[] = [];
    try {
      const first = await serve(dataDir);
      children.push(first.child);
      const terminals = 6;
      const acked: string[] = [];
      const streams = Array.from({ length: terminals }, async (_, t) => {
        const vin = `LCRASH0000000000${t}`;
        const c = new TestClient(first.port);
        await c.ready;
        c.send(loginFrame(2016, vin));
        const login = await c.next();
        assert.equal(login?.responseId, RESPONSE_IDS.success);
        const sent: string[] = [];
        let seen = 1;
        // Pipeline up to 20 frames; replies come back in order on one connection.
        for (let i = 0; !c.closed; i++) {
          const f = realtimeFrame(2016, vin, timeAt(i), 'realtime', (i % 200) + 0.5);
          sent.push(toHex(f));
          c.send(f);
          if (sent.length - (seen - 1) >= 20) await c.frames(seen + 1, 1000);
          while (c.received.length > seen) {
            const r = c.received[seen];
            if (r.command === 'realtime' && r.responseId === RESPONSE_IDS.success) acked.push(sent[seen - 1]);
            seen++;
          }
        }
        while (c.received.length > seen) {
          if (c.received[seen].responseId === RESPONSE_IDS.success) acked.push(sent[seen - 1]);
          seen++;
        }
      });
      await until(() => acked.length >= 600, 30_000, '600 acknowledged frames');
      first.child.kill('SIGKILL');
      await Promise.all(streams);
      assert.ok(acked.length >= 600);

      // Restart on the same data dir: it opens the log, and a terminal can log in again.
      const second = await serve(dataDir);
      children.push(second.child);
      const c = new TestClient(second.port);
      c.send(loginFrame(2025, 'LCRASHAFTER000001'));
      assert.equal((await c.next())?.responseId, RESPONSE_IDS.success);
      c.destroy();
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));

      const reader = new SqliteLogReader(join(dataDir, 'frames.db'));
      const counts = new Map<string, number>();
      for (const row of reader.read(0, Number.MAX_SAFE_INTEGER)) {
        const hex = toHex(row.raw);
        counts.set(hex, (counts.get(hex) ?? 0) + 1);
      }
      reader.close();
      const missing = acked.filter((h) => !counts.has(h));
      const doubled = acked.filter((h) => (counts.get(h) ?? 0) > 1);
      assert.equal(missing.length, 0, `${missing.length} acknowledged frames lost`);
      assert.equal(doubled.length, 0, `${doubled.length} acknowledged frames stored twice`);
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
