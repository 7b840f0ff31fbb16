import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { explainFrame, formatExplain, UNREAD, type ExplainedField } from './explain.js';
import { encodeFrame } from './frame.js';
import { fromHex } from './bytes.js';

const GOLDEN = JSON.parse(
  readFileSync(new URL('../testing/golden-frames.json', import.meta.url), 'utf8'),
) as {
  hex: string;
  kind: string;
}[];

/** Asserts that the ranges tile [0, length) exactly: no gap, no overlap, nothing unread. */
function assertTiles(fields: ExplainedField[], length: number, label: string): void {
  let at = 0;
  for (const f of fields) {
    assert.equal(f.start, at, `${label}: ${f.path} starts at ${f.start}, expected ${at}`);
    // Zero-length fields are legitimate (an RSA signature has S length 0, spec §9.10).
    assert.ok(f.end >= f.start, `${label}: ${f.path} ends before it starts`);
    assert.notEqual(f.name, UNREAD, `${label}: bytes ${f.start}-${f.end} were not reported by the decoder`);
    at = f.end;
  }
  assert.equal(at, length, `${label}: fields end at ${at}, frame has ${length} bytes`);
}

const VEHICLE_2016 = {
  type: 'vehicle',
  typeId: 0x01,
  vehicleState: 'started',
  chargingState: 'notCharging',
  operatingMode: 'electric',
  speedKmh: 42.5,
  odometerKm: 12345.6,
  totalVoltageV: 650.2,
  totalCurrentA: -12.3,
  socPct: 77,
  dcdcState: 'working',
  gear: { gear: 'D', driving: true, braking: false, valid: true },
  insulationKOhm: 5000,
  acceleratorPct: 12,
  brakePct: 0,
} as const;

test('a decoded realtime frame is covered contiguously from 0 to its length', () => {
  const bytes = encodeFrame({
    version: 2016,
    command: 'realtime',
    vin: 'LZYTBGCW4J1036497',
    time: '2025-10-27T20:02:02+08:00',
    body: { items: [VEHICLE_2016, { type: 'custom', typeId: 0x80, hex: 'a1b2c3' }] },
  });
  const { frame, fields } = explainFrame(bytes);
  assert.equal(frame.ok, true, JSON.stringify(frame.error));
  assertTiles(fields, bytes.length, 'realtime 2016');
  const speed = fields.find((f) => f.path === 'items[0].speedKmh')!;
  assert.equal(speed.value, 42.5);
  assert.equal(speed.hex, '01a9');
  assert.equal(speed.end - speed.start, 2);
  assert.deepEqual(
    fields.slice(0, 6).map((f) => f.name),
    ['start', 'command', 'response', 'vin', 'encryption', 'dataLength'],
  );
  assert.equal(fields[fields.length - 1].name, 'bcc');
  assert.equal(fields.find((f) => f.path === 'items[1].hex')?.value, 'a1b2c3');
});

test('a 2025 realtime frame with its signature is covered contiguously', () => {
  const { gear: _g, acceleratorPct: _a, brakePct: _b, ...rest } = VEHICLE_2016;
  const bytes = encodeFrame({
    version: 2025,
    command: 'realtime',
    vin: 'HAUV4BGN6S5002219',
    time: '2025-10-27T20:02:02+08:00',
    body: {
      items: [{ ...rest, gear: { gear: 'P', driving: false, braking: true, valid: true } }],
      signature: {
        algorithm: 'sm2',
        algorithmId: 1,
        rHex: '11'.repeat(32),
        sHex: '22'.repeat(32),
        signedStart: 24,
        signedEnd: 0,
      },
    },
  });
  const { frame, fields } = explainFrame(bytes);
  assert.equal(frame.ok, true, JSON.stringify(frame.error));
  assertTiles(fields, bytes.length, 'realtime 2025');
  assert.ok(fields.some((f) => f.name === 'signatureMarker'));
});

test('every golden realtime frame that decodes is covered contiguously', () => {
  let checked = 0;
  for (const g of GOLDEN.filter((x) => x.kind === 'realtime' || x.kind === 'reissue')) {
    const bytes = fromHex(g.hex)!;
    const { frame, fields } = explainFrame(bytes);
    if (!frame.ok) continue;
    assertTiles(fields, bytes.length, g.hex.slice(0, 60));
    checked++;
  }
  assert.ok(checked >= 1, 'at least one golden realtime frame decodes');
});

test('a failed frame is explained up to the error and the rest is marked unread', () => {
  const hex = '23230701483832323036353030303030303030303001000045'; // wrong BCC
  const bytes = fromHex(hex)!;
  const r = explainFrame(bytes);
  assert.equal(r.frame.error?.code, 'GBT_ERR_BCC');
  assert.equal(r.fields[r.fields.length - 1].name, 'bcc');
  const text = formatExplain(r);
  assert.match(text, /GBT_ERR_BCC/);
  const truncated = explainFrame(bytes.subarray(0, 10));
  assert.equal(truncated.fields[truncated.fields.length - 1].name, UNREAD);
  assert.equal(truncated.fields[truncated.fields.length - 1].end, 10);
});

test('formatExplain prints one row per field with offsets, hex, path and value', () => {
  const bytes = encodeFrame({ version: 2016, command: 'heartbeat', vin: 'H8220650000000000', body: {} });
  const r = explainFrame(bytes);
  const lines = formatExplain(r).split('\n');
  assert.equal(lines.length, 2 + r.fields.length);
  assert.match(lines[0], /2016 heartbeat \(command\) VIN H8220650000000000/);
  assert.match(lines[1], /^offset\s+hex\s+field\s+value$/);
  assert.match(lines[2], /^0-1\s+2323\s+start\s+##$/);
  assert.ok(lines.some((l) => /^4-20\s+4838.*\s+vin\s+H8220650000000000$/.test(l)));
});
