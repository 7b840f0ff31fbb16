import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildReply, replyFromBytes, replyFromBytesInto, replyLength, replyShape, type RawReplyShape } from './reply.js';
import { decodeFrame, encodeFrame } from './frame.js';
import { fromHex, toHex } from './bytes.js';
import { bcc } from './bcc.js';
import { GbtEncodeError } from './errors.js';

const GOLDEN = JSON.parse(
  readFileSync(new URL('../testing/golden-frames.json', import.meta.url), 'utf8'),
) as {
  hex: string;
  kind: string;
}[];
const frame = (hex: string) => decodeFrame(fromHex(hex)!);

// Worked example of spec §1.
const LOGIN =
  '232301fe4c5a595442474357344a3130333634393701001e120a1e14233600353839383630343032313031373030313733333938010090';
const VIN_HEX = '4c5a595442474357344a31303336343937';

test('spec §1 worked example: the login reply is time-only with the request time', () => {
  const reply = buildReply(frame(LOGIN), 'success');
  assert.equal(toHex(reply), `23230101${VIN_HEX}010006120a1e1423364a`);
  const decoded = decodeFrame(reply);
  assert.equal(decoded.ok, true);
  assert.equal(decoded.response, 'success');
  assert.equal(decoded.time, '2018-10-30T20:35:54+08:00');
  assert.equal(replyShape(decoded), 'timeOnly');
});

test('golden heartbeat: the reply flips the flag to 0x01 and keeps an empty data unit', () => {
  const request = GOLDEN.find(
    (g) => g.kind === 'heartbeat' && g.hex.toLowerCase().startsWith('232307fe4838'),
  )!;
  const expected = GOLDEN.find((g) => g.kind === 'heartbeat-response')!;
  const reply = buildReply(frame(request.hex), 'success');
  assert.equal(toHex(reply), expected.hex.toLowerCase());
  assert.equal(replyShape(decodeFrame(reply)), 'empty');
});

test('time calibration reply carries the platform time as Beijing time', () => {
  const request = GOLDEN.find((g) => g.kind === 'time-sync')!;
  const now = new Date('2025-10-27T12:02:02Z');
  const reply = decodeFrame(buildReply(frame(request.hex), 'success', { now }));
  assert.equal(reply.ok, true);
  assert.equal(reply.command, 'timeSync');
  assert.equal(reply.response, 'success');
  assert.equal(reply.time, '2025-10-27T20:02:02+08:00');
});

test('2025-only codes become 0x02 on "##" links and are kept on "$$" links (spec §4)', () => {
  const req2016 = frame(LOGIN);
  for (const code of ['vinUnknown', 'signatureError', 'structureError', 'decryptionError'] as const) {
    assert.equal(buildReply(req2016, code)[3], 0x02, code);
  }
  assert.equal(buildReply(req2016, 'vinDuplicate')[3], 0x03);
  const login2025 = GOLDEN.find((g) => g.kind === 'login' && g.hex.startsWith('2424'))!;
  const req2025 = frame(login2025.hex);
  assert.equal(req2025.version, 2025);
  const reply = buildReply(req2025, 'vinUnknown');
  assert.equal(reply[0], 0x24);
  assert.equal(reply[3], 0x04);
  assert.equal(decodeFrame(reply).response, 'vinUnknown');
});

test('echo shape is the request data unit with only the flag changed', () => {
  const realtime = GOLDEN.find((g) => g.kind === 'realtime' && g.hex.startsWith('2323'))!;
  const request = fromHex(realtime.hex)!;
  const reply = buildReply(decodeFrame(request), 'success', { shape: 'echo' });
  const expected = request.slice();
  expected[3] = 0x01;
  expected[expected.length - 1] = bcc(expected, 2, expected.length - 1);
  assert.deepEqual(reply, expected);
  const decoded = decodeFrame(reply);
  assert.equal(decoded.ok, true, JSON.stringify(decoded.error));
  assert.equal(replyShape(decoded), 'echo');
});

test('empty shape has L = 0 for any command; a request without time gets the platform time', () => {
  const empty = buildReply(frame(LOGIN), 'error', { shape: 'empty' });
  assert.equal(empty.length, 25);
  assert.equal((empty[22] << 8) | empty[23], 0);
  const custom = decodeFrame(
    encodeFrame({ version: 2016, command: 'custom', commandId: 0xc1, vin: 'X', body: { hex: '0102' } }),
  );
  assert.equal(custom.time, null);
  const reply = decodeFrame(buildReply(custom, 'success', { now: new Date('2024-01-01T00:00:00Z') }));
  assert.equal(reply.commandId, 0xc1);
  assert.equal(reply.time, '2024-01-01T08:00:00+08:00');
});

test('"command" is not a reply code', () => {
  assert.throws(() => buildReply(frame(LOGIN), 'command'), GbtEncodeError);
  assert.throws(() => buildReply(frame(LOGIN), 'unknown'), GbtEncodeError);
});

test('replyFromBytes builds, from raw bytes, the same reply as buildReply, and answers frames that do not decode', () => {
  // Spec §1 worked example: login and the platform's time-only reply.
  const login = fromHex(
    '232301fe4c5a595442474357344a3130333634393701001e120a1e14233600353839383630343032313031373030313733333938010090',
  )!;
  assert.equal(
    toHex(replyFromBytes(login, 0x01, 'timeOnly')),
    '232301014c5a595442474357344a31303336343937010006120a1e1423364a',
  );
  assert.deepEqual(replyFromBytes(login, 0x01, 'timeOnly'), buildReply(decodeFrame(login), 'success'));
  // Heartbeat: empty data unit (§6.5); time sync: the platform's time (§6.5).
  const heartbeat = fromHex('232307FE314731424C353250375452313135353230010000D5')!;
  assert.deepEqual(replyFromBytes(heartbeat, 0x01, 'empty'), buildReply(decodeFrame(heartbeat), 'success'));
  const now = new Date('2026-11-29T12:00:00Z');
  const sync = fromHex('232308FE314731424C353250375452313135353230010000DA')!;
  const reply = decodeFrame(replyFromBytes(sync, 0x01, 'platformTime', now));
  assert.equal(reply.ok, true);
  assert.equal(reply.time, '2026-11-29T20:00:00+08:00');
  // A frame with a wrong BCC still gets its (error) reply, with its own time and a correct BCC.
  const broken = login.slice();
  broken[broken.length - 1] ^= 0xff;
  const err = decodeFrame(replyFromBytes(broken, 0x02, 'timeOnly'));
  assert.equal(err.ok, true);
  assert.equal(err.response, 'error');
  assert.equal(err.time, '2018-10-30T20:35:54+08:00');
});

test('replyFromBytesInto writes the replies of a group back to back, byte-identical to replyFromBytes', () => {
  const now = new Date('2026-11-29T12:00:00Z');
  const shapes: RawReplyShape[] = ['timeOnly', 'empty', 'platformTime'];
  const requests = GOLDEN.map((g) => fromHex(g.hex)).filter((b): b is Uint8Array => b != null && b.length >= 2);
  requests.push(new Uint8Array([0x23, 0x23, 0x02]), new Uint8Array(0));
  const parts: Uint8Array[] = [];
  let total = 0;
  requests.forEach((r, i) => {
    const shape = shapes[i % 3];
    const one = replyFromBytes(r, 0x01, shape, now);
    assert.equal(one.length, replyLength(r, shape));
    parts.push(one);
    total += one.length;
  });
  // Pre-filled with garbage: every byte of every reply must be written.
  const out = new Uint8Array(total + 3).fill(0xaa);
  let at = 3;
  requests.forEach((r, i) => (at = replyFromBytesInto(r, 0x01, shapes[i % 3], out, at, now)));
  assert.equal(at, total + 3);
  assert.equal(toHex(out.subarray(3)), parts.map((p) => toHex(p)).join(''));
});
