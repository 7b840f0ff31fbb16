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
  // In the bundle, import.meta.url is defined as ts-worker.ts's own URL (the worker paths resolve
  // from it); the code itself runs from node_modules/.cache/nevhub-workers/probe.worker.mjs.
  assert.match(r.url, /\/src\/log\/ts-worker\.ts$/);
  assert.equal(r.bcc, 1 ^ 2 ^ 4 ^ 8 ^ 16);
  assert.equal(r.nested?.bcc, 2 ^ 4 ^ 8 ^ 16);
  assert.match(r.nested?.url ?? '', /\/src\/log\/ts-worker\.ts$/);
  assert.ok(existsSync(new URL('../../node_modules/.cache/nevhub-workers/probe.worker.mjs', import.meta.url)), 'bundle written');
});

test('NEVHUB_WORKERS=tsx runs the worker through tsx (its own module URL)', async () => {
  const before = process.env.NEVHUB_WORKERS;
  process.env.NEVHUB_WORKERS = 'tsx';
  try {
    const r = await probe(false);
    assert.match(r.url, /\/src\/log\/testing\/probe\.worker\.ts$/);
    assert.equal(r.bcc, 1 ^ 2 ^ 4 ^ 8 ^ 16);
  } finally {
    if (before === undefined) delete process.env.NEVHUB_WORKERS;
    else process.env.NEVHUB_WORKERS = before;
  }
});
