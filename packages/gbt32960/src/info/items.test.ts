// Item codecs: range warnings with their field paths, truncation, edition checks, encode errors,
// the tracer, and a property test that any raw bytes of a well-structured body round-trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bcc, decodeFrame, encodeFrame, fromHex, GbtEncodeError, toHex, type Tracer } from '../index.js';
import type { RealtimeBody, Version } from '../model.js';

const VIN_HEX = Buffer.from('LNBSCU3H5JR000001', 'ascii').toString('hex');

function frameBytes(version: Version, dataHex: string): Uint8Array {
  const data = '190a1b140202' + dataHex + (version === 2025 ? 'ff0100000000' : '');
  const start = version === 2025 ? '2424' : '2323';
  const head = `${start}02fe${VIN_HEX}01${(data.length / 2).toString(16).padStart(4, '0')}${data}`;
  const b = fromHex(head)!;
  return fromHex(head + bcc(b, 2, b.length).toString(16).padStart(2, '0'))!;
}

test('out-of-range values decode, warn with the full field path, and round-trip', () => {
  // 2025 cells: pack 2's third cell raw 60001 > 60000 (§9.7); probe raw 0xFD > 250 (§9.8).
  const bytes = frameBytes(2025, '07 02 01 1b58 7530 0000 02 1b58 7530 0003 0fa0 0fa0 ea61 08 01 01 0001 fd'.replace(/ /g, ''));
  const f = decodeFrame(bytes);
  assert.equal(f.ok, true, JSON.stringify(f.error));
  assert.deepEqual(
    f.warnings?.map((w) => w.field),
    ['items[0].packs[1].cellVoltagesV[2]', 'items[1].packs[0].temperaturesC[0]'],
  );
  const body = f.body as RealtimeBody;
  assert.deepEqual(body.items[0].type === 'cellVoltages' && body.items[0].packs[1].cellVoltagesV, [4, 4, 60.001]);
  assert.deepEqual(body.items[1].type === 'probeTemperatures' && body.items[1].packs[0].temperaturesC, [213]);
  assert.equal(toHex(encodeFrame(f)), toHex(bytes));
});

test('a motor warning names the motor; undefined enum codes stay numbers', () => {
  const f = decodeFrame(frameBytes(2016, '02 02 01 01 5a 4e20 4e20 5a 1770 2710 02 09 fd 4e20 4e20 5a 1770 2710'.replace(/ /g, '')));
  assert.equal(f.ok, true);
  assert.deepEqual(
    f.warnings?.map((w) => w.field),
    ['items[0].motors[1].state', 'items[0].motors[1].controllerTempC'],
  );
  const m = (f.body as RealtimeBody).items[0];
  assert.ok(m.type === 'driveMotors');
  assert.equal(m.motors[1].state, 9);
  assert.equal(m.motors[1].controllerTempC, 213);
});

test('a truncated item fails with GBT_ERR_TRUNCATED at the field that runs out', () => {
  const f = decodeFrame(frameBytes(2016, '0801011e8126dd00ff00c903 0fdd0fdf'.replace(/ /g, '')));
  assert.equal(f.ok, false);
  assert.equal(f.error?.code, 'GBT_ERR_TRUNCATED');
  assert.equal(f.error?.offset, 24 + 6 + 12);
});

test('type codes follow the edition: 0x30 is reserved in 2016, 0x09 is custom in 2025', () => {
  const f2016 = decodeFrame(frameBytes(2016, '3001'));
  assert.equal(f2016.error?.code, 'GBT_ERR_UNKNOWN_INFO_TYPE');
  assert.equal(f2016.error?.offset, 30);
  const f2025 = decodeFrame(frameBytes(2025, '090002abcd'));
  assert.equal(f2025.ok, true);
  assert.deepEqual((f2025.body as RealtimeBody).items, [{ type: 'custom', typeId: 9, hex: 'abcd' }]);
});

test('encoding refuses an item whose type does not match its code in the edition', () => {
  const input = {
    version: 2025 as const,
    command: 'realtime' as const,
    vin: 'X',
    time: '2025-10-27T20:02:02+08:00',
    body: {
      items: [{ type: 'alarm' as const, typeId: 0x07 as const, maxLevel: 0, flags: [], flagBits: 0, batteryFaults: [], motorFaults: [], engineFaults: [], otherFaults: [] }],
      signature: { algorithm: 'sm2' as const, algorithmId: 1, rHex: '', sHex: '', signedStart: 0, signedEnd: 0 },
    },
  };
  assert.throws(() => encodeFrame(input), GbtEncodeError);
  assert.throws(
    () => encodeFrame({ ...input, version: 2016, body: { items: [{ type: 'engine', typeId: 4, crankshaftRpm: 70000 }] } }),
    /outside the field's wire range/,
  );
  assert.throws(
    () => encodeFrame({ ...input, version: 2016, body: { items: [{ ...input.body.items[0], flags: ['thermalEvent'] }] } }),
    /does not exist in 2016/,
  );
});

test('the tracer sees every cell with its byte range, inside the pack scope', () => {
  const fields: [string, number, number][] = [];
  const scopes: string[] = [];
  const tracer: Tracer = {
    field: (name, start, end) => fields.push([name, start, end]),
    enter: (name) => scopes.push(name),
    leave: () => undefined,
  };
  const f = decodeFrame(frameBytes(2016, '0801011e8126dd00ff00c9020fdd0fdf'), { trace: tracer });
  assert.equal(f.ok, true);
  assert.ok(scopes.includes('packs[0]'));
  const cells = fields.filter(([n]) => n.startsWith('cellVoltagesV['));
  assert.deepEqual(cells, [
    ['cellVoltagesV[0]', 42, 44],
    ['cellVoltagesV[1]', 44, 46],
  ]);
});

// Property: random raw field values (special codes and out-of-range values included) inside a
// valid structure decode and re-encode to the same bytes.
const byte = fc.integer({ min: 0, max: 255 });
const hex = (n: number): fc.Arbitrary<string> => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => toHex(b));
const countedList = (countBytes: 1 | 2, elem: number, max: number): fc.Arbitrary<string> =>
  fc.integer({ min: 0, max }).chain((n) => hex(n * elem).map((body) => n.toString(16).padStart(countBytes * 2, '0') + body));

const items2016 = fc.oneof(
  hex(20).map((b) => '01' + b),
  fc.tuple(fc.integer({ min: 0, max: 3 })).chain(([n]) => hex(12 * n).map((b) => '02' + n.toString(16).padStart(2, '0') + b)),
  fc.tuple(hex(6), countedList(2, 1, 5), hex(10)).map(([a, l, b]) => '03' + a + l + b),
  hex(5).map((b) => '04' + b),
  hex(9).map((b) => '05' + b),
  hex(14).map((b) => '06' + b),
  fc.tuple(hex(5), countedList(1, 4, 3), countedList(1, 4, 3), countedList(1, 4, 3), countedList(1, 4, 3)).map((p) => '07' + p.join('')),
  fc.tuple(hex(9), byte.filter((m) => m < 20)).chain(([h, m]) => hex(2 * m).map((c) => '0801' + h + m.toString(16).padStart(2, '0') + c)),
  fc.tuple(hex(1), countedList(2, 1, 6)).map(([p, l]) => '0901' + p + l),
);

const items2025 = fc.oneof(
  hex(18).map((b) => '01' + b),
  fc.tuple(fc.integer({ min: 0, max: 3 })).chain(([n]) => hex(10 * n).map((b) => '02' + n.toString(16).padStart(2, '0') + b)),
  hex(12).map((b) => '03' + b),
  hex(2).map((b) => '04' + b),
  hex(10).map((b) => '05' + b),
  fc.tuple(hex(5), countedList(1, 4, 2), countedList(1, 4, 2), countedList(1, 4, 2), countedList(1, 4, 2), countedList(1, 2, 3)).map((p) => '06' + p.join('')),
  fc.tuple(hex(5), countedList(2, 2, 8)).map(([h, l]) => '0701' + h + l),
  fc.tuple(hex(1), countedList(2, 1, 8)).map(([p, l]) => '0801' + p + l),
  fc.tuple(hex(10), countedList(2, 1, 4)).map(([h, l]) => '3001' + h + l),
  fc.tuple(hex(5), countedList(2, 2, 4), countedList(2, 1, 4)).map(([h, a, b]) => '31' + h + a + b),
  hex(18).map((b) => '32' + b),
);

function roundTrips(version: Version, items: string[]): void {
  const bytes = frameBytes(version, items.join(''));
  const f = decodeFrame(bytes);
  assert.equal(f.ok, true, `${toHex(bytes)}: ${JSON.stringify(f.error)}`);
  assert.equal(toHex(encodeFrame(f)), toHex(bytes));
}

test('property: any raw values in a valid 2016 structure round-trip', () => {
  fc.assert(fc.property(fc.array(items2016, { minLength: 1, maxLength: 6 }), (items) => roundTrips(2016, items)), { numRuns: 400 });
});

test('property: any raw values in a valid 2025 structure round-trip', () => {
  fc.assert(fc.property(fc.array(items2025, { minLength: 1, maxLength: 6 }), (items) => roundTrips(2025, items)), { numRuns: 400 });
});
