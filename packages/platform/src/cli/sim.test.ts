import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = promisify(execFile);
const BIN = new URL('../../bin/nevhub.js', import.meta.url).pathname;

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test('nevhub sim against an unreachable platform retries, says so in one line, and exits 1 without a stack trace', async () => {
  const port = await closedPort();
  const err = await run(process.execPath, [BIN, 'sim', '--scenario', 'baoding', '--target', `127.0.0.1:${port}`, '--vehicles', '3', '--duration', '3s'], {
    encoding: 'utf8',
  }).then(
    () => assert.fail('expected exit status 1'),
    (e: { code: number; stderr: string; stdout: string }) => e,
  );
  assert.equal(err.code, 1);
  assert.match(err.stderr, /no vehicle could log in to 127\.0\.0\.1:\d+/);
  assert.doesNotMatch(err.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(JSON.parse(err.stdout).logins, 0);
});

test('nevhub sim reports a scenario mistake by field path, and a missing file, in one line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-sim-'));
  try {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'bad', fleet: [{ kind: 'taxi', count: -1 }] }));
    for (const [scenario, expected] of [
      [file, /fleet\[0\]\.count: must be a positive integer/],
      [join(dir, 'missing.yaml'), /^nevhub sim: /],
    ] as const) {
      const err = await run(process.execPath, [BIN, 'sim', '--scenario', scenario, '--target', '127.0.0.1:1'], { encoding: 'utf8' }).then(
        () => assert.fail('expected a failure'),
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal(err.code, 2);
      assert.match(err.stderr, expected);
      assert.doesNotMatch(err.stderr, /\n\s+at /, 'no stack trace');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
