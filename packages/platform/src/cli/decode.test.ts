import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fromHex } from '@nevhub/gbt32960';
import { runDecode } from './decode.js';

const run = promisify(execFile);
const BIN = new URL('../../bin/nevhub.js', import.meta.url).pathname;
// Spec §1 worked example (36node, real traffic) and its platform reply.
const LOGIN = '232301fe4c5a595442474357344a3130333634393701001e120a1e14233600353839383630343032313031373030313733333938010090';
const REPLY = '232301014c5a595442474357344a3130333634393701000612' + '0a1e1423364a';
// rtm_con plt_login2016: platform login whose password must be masked.
const PLATFORM_LOGIN =
  '232305fe484155563442474e365335303032323139010029190a1b1402020802484155563442474e36533530484155563442474e365335303032323139484155018d';

async function collect(args: string[], opts: Parameters<typeof runDecode>[1]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runDecode(args, opts, (s) => lines.push(s));
  return { code, lines };
}

test('decodes the spec worked example and its reply as JSON, exit 0', async () => {
  const { code, lines } = await collect([LOGIN, REPLY], { json: true });
  assert.equal(code, 0);
  const [login, reply] = lines.map((l) => JSON.parse(l));
  assert.equal(login.vin, 'LZYTBGCW4J1036497');
  assert.equal(login.body.iccid, '89860402101700173398');
  assert.equal(reply.response, 'success');
  assert.equal(reply.time, '2018-10-30T20:35:54+08:00');
});

test('exit status 1 when any frame fails, with the error code', async () => {
  const bad = LOGIN.slice(0, -2) + '00';
  const { code, lines } = await collect([LOGIN, bad, 'nothex'], { json: true });
  assert.equal(code, 1);
  assert.equal(JSON.parse(lines[1]).error.code, 'GBT_ERR_BCC');
  assert.equal(JSON.parse(lines[2]).error.code, 'GBT_ERR_INPUT');
});

test('platform passwords are masked unless --show-secrets', async () => {
  const masked = JSON.parse((await collect([PLATFORM_LOGIN], { json: true })).lines[0]);
  assert.equal(masked.body.password, '********');
  const shown = JSON.parse((await collect([PLATFORM_LOGIN], { json: true, showSecrets: true })).lines[0]);
  assert.notEqual(shown.body.password, '********');
  const explained = (await collect([PLATFORM_LOGIN], { json: false, explain: true })).lines.join('\n');
  assert.doesNotMatch(explained, new RegExp(shown.body.password as string));
});

test('--explain names every byte range like a protocol analyser', async () => {
  const { lines } = await collect([LOGIN], { json: true, explain: true });
  const { fields } = JSON.parse(lines[0]) as { fields: { start: number; end: number; name: string }[] };
  assert.deepEqual(
    fields.map((f) => f.name),
    ['start', 'command', 'response', 'vin', 'encryption', 'dataLength', 'time', 'serial', 'iccid', 'packCount', 'packCodeLength', 'bcc'],
  );
  assert.equal(fields.at(-1)!.end, LOGIN.length / 2);
});

test('--file reads a raw TCP capture with sticky frames and reports a truncated tail', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-decode-'));
  try {
    const path = join(dir, 'capture.bin');
    const a = fromHex(LOGIN)!;
    const b = fromHex(REPLY)!;
    writeFileSync(path, Buffer.concat([a, b, a.subarray(0, 10)]));
    const { code, lines } = await collect([], { json: true, file: path });
    assert.equal(code, 1);
    assert.equal(lines.length, 3);
    assert.equal(JSON.parse(lines[0]).command, 'vehicleLogin');
    assert.equal(JSON.parse(lines[1]).response, 'success');
    assert.match(JSON.parse(lines[2]).error.message, /incomplete frame: 10 byte/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the nevhub binary decodes hex lines from stdin', async () => {
  const child = run(process.execPath, [BIN, 'decode', '--json'], { encoding: 'utf8' });
  child.child.stdin!.end(`${LOGIN}\n# a comment\n\n${REPLY}\n`);
  const { stdout } = await child;
  const frames = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(frames.map((f) => f.command), ['vehicleLogin', 'vehicleLogin']);
});
