// Worker threads run their TypeScript as one esbuild bundle (no tsx loader in the worker), or
// through tsx when asked (NEVHUB_WORKERS=tsx).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { ProbeReply } from './testing/probe.worker.js';
import { startTsWorker } from './ts-worker.js';

function probe(nested: boolean): Promise<ProbeReply> {
  const w = startTsWorker('log/testing/probe.worker.ts', { bytes: [1, 2, 4, 8, 16], nested });
  return new Promise<ProbeReply>((resolve, reject) => {
    w.once('message', (m: ProbeReply) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

test('a worker runs from its bundle, with the workspace packages it imports, and can start a nested worker', async () => {
  const r = await probe(true);
  assert.match(r.file, /\/node_modules\/\.cache\/nevhub-workers\/probe\.worker\.mjs$/);
  assert.equal(r.bcc, 1 ^ 2 ^ 4 ^ 8 ^ 16);
  // The nested worker was found from the bundle (worker paths resolve from ts-worker.ts's URL).
  assert.equal(r.nested?.bcc, 2 ^ 4 ^ 8 ^ 16);
  assert.match(r.nested?.file ?? '', /probe\.worker\.mjs$/);
  assert.ok(existsSync(new URL('../../node_modules/.cache/nevhub-workers/probe.worker.mjs', import.meta.url)), 'bundle written');
});

test('NEVHUB_WORKERS=tsx runs the worker through tsx (its own module URL)', async () => {
  const before = process.env.NEVHUB_WORKERS;
  process.env.NEVHUB_WORKERS = 'tsx';
  try {
    const r = await probe(false);
    assert.match(r.file, /\/src\/log\/testing\/probe\.worker\.ts$/);
    assert.equal(r.bcc, 1 ^ 2 ^ 4 ^ 8 ^ 16);
  } finally {
    if (before === undefined) delete process.env.NEVHUB_WORKERS;
    else process.env.NEVHUB_WORKERS = before;
  }
});

test('a worker module that reads import.meta is not bundled: it runs through tsx, with its own URL', async () => {
  const w = startTsWorker('log/testing/meta.worker.ts', {});
  const url = await new Promise<string>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await w.terminate();
  assert.match(url, /\/src\/log\/testing\/meta\.worker\.ts$/);
});
