// End to end: `nevhub demo` as a user runs it (a child process: platform + simulated fleet over
// real TCP + API + dashboard), then the dashboard's browser suite (packages/web/test) in a real
// Chromium against it, then Ctrl-C (SIGINT) must stop everything cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'packages/platform/bin/nevhub.js');
const DASHBOARD_SUITE = join(ROOT, 'packages/web/test/dashboard.test.ts');

function waitForLine(child: ChildProcess, re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${String(re)} within ${timeoutMs} ms; output:\n${out}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`demo exited early (${code}); output:\n${out}`));
    });
  });
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    // A child test run of its own: without NODE_TEST_CONTEXT it does not report into this runner.
    const { NODE_TEST_CONTEXT: _ctx, ...parentEnv } = process.env;
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...parentEnv, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

test('nevhub demo serves the live fleet to the dashboard in Chromium and stops cleanly on Ctrl-C', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nevhub-demo-'));
  const demo = spawn(
    process.execPath,
    [BIN, 'demo', '--data-dir', dataDir, '--http-port', '0', '--gateway-port', '0', '--vehicles', '30', '--speed', '2', '--log-level', 'warn'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    const m = await waitForLine(demo, /dashboard: (http:\/\/[^/\s]+)\/\?token=(\S+)/, 120_000);
    const [, url, token] = m;
    // Vehicles log in and report over TCP before the browser looks.
    let online = 0;
    for (let i = 0; i < 60 && online === 0; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const res = await fetch(`${url}/api/v1/fleet/summary`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
      online = ((await res.json()) as { online: number }).online;
    }
    assert.ok(online > 0, 'no simulated vehicle came online');
    // The dashboard's vehicle page draws history (charts, cell heat strip over time): wait until
    // the reporting vehicles have a few realtime records of every powertrain.
    const get = async <T>(path: string): Promise<T> =>
      (await (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
    for (let i = 0; i < 90; i++) {
      const { items } = await get<{ items: { vin: string; status: string; powertrain: string }[] }>('/api/v1/vehicles?limit=500');
      const reporting = items.filter((v) => v.status !== 'offline');
      const counts = await Promise.all(
        reporting.map(async (v) => (await get<{ t: number[] }>(`/api/v1/vehicles/${v.vin}/history?fields=speedKmh`)).t.length),
      );
      const ready = reporting.filter((_, k) => counts[k] >= 3);
      if (ready.length === reporting.length && reporting.some((v) => v.powertrain === 'fcev')) break;
      await new Promise((r) => setTimeout(r, 2000));
    }

    const suite = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', DASHBOARD_SUITE], {
      NEVHUB_WEB_URL: url,
      NEVHUB_TOKEN: token,
    });
    const pass = Number(/# pass (\d+)/.exec(suite.out)?.[1] ?? 0);
    const fail = Number(/# fail (\d+)/.exec(suite.out)?.[1] ?? -1);
    if (/SKIP dashboard browser test/.test(suite.out)) {
      assert.fail(`Chromium could not be launched (apt-get install -y chromium):\n${suite.out.slice(0, 2000)}`);
    }
    assert.equal(fail, 0, suite.out.slice(-4000));
    assert.ok(pass >= 7, `only ${pass} dashboard checks passed against the real platform:\n${suite.out.slice(-4000)}`);
    assert.equal(suite.code, 0);

    const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
    demo.kill('SIGINT');
    assert.equal(await exited, 0, 'demo did not stop cleanly on SIGINT');
  } finally {
    if (demo.exitCode === null) demo.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
