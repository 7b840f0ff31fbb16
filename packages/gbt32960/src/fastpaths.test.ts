// The decoder/encoder fast paths (bench/codec.bench.ts) must give exactly what the plain code
// gives: word-wise BCC, native hex, table-built times, the reused encode buffer, the array writers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bcc } from './bcc.js';
import { Writer, toHex } from './bytes.js';
import { Ctx } from './context.js';
import { decodeFrame, encodeFrame, type FrameInput } from './frame.js';
import { GbtEncodeError } from './errors.js';
import { bytesToText } from './strings.js';
import { formatTime, readTime, timeComponents, writeTime } from './time.js';
import { writeTempArray, writeWordArray } from './info/arrays.js';
import { count8, count16, w8, w16 } from './values.js';
import type { Num } from './model.js';

function errorOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof GbtEncodeError ? e.message : String(e);
  }
  return undefined;
}

function byteBcc(b: Uint8Array, start: number, end: number): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= b[i];
  return x;
}

test('bcc equals the byte-by-byte XOR at every alignment, length and buffer kind', () => {
  const backing = new Uint8Array(700);
  for (let i = 0; i < backing.length; i++) backing[i] = (i * 151 + 7) & 0xff;
  const shared = new Uint8Array(new SharedArrayBuffer(700));
  shared.set(backing);
  for (const base of [backing, shared]) {
    for (let offset = 0; offset < 8; offset++) {
      const b = base.subarray(offset, offset + 600);
      for (const [start, end] of [[2, 599], [0, 600], [3, 67], [5, 69], [2, 66], [1, 64], [7, 8], [10, 10], [12, 9]]) {
        assert.equal(bcc(b, start, end), byteBcc(b, start, end), `offset ${offset}, ${start}…${end}`);
      }
    }
  }
});

test('bcc is right across calls on alternating buffers and on a resizable buffer that grows', () => {
  const fill = (b: Uint8Array, seed: number): Uint8Array => {
    for (let i = 0; i < b.length; i++) b[i] = (i * 31 + seed) & 0xff;
    return b;
  };
  const a = fill(new Uint8Array(512), 1);
  const c = fill(new Uint8Array(300), 2);
  for (let k = 0; k < 4; k++) {
    // Frames of one read share a buffer (the word view is reused); another buffer gets its own.
    assert.equal(bcc(a.subarray(8, 400), 2, 391), byteBcc(a.subarray(8, 400), 2, 391));
    assert.equal(bcc(a.subarray(100, 500), 3, 399), byteBcc(a.subarray(100, 500), 3, 399));
    assert.equal(bcc(c, 2, 299), byteBcc(c, 2, 299));
  }
  // A resizable ArrayBuffer: a view made before it grew does not reach the new bytes.
  // (ES2024: typed here by hand, the project's lib is older.)
  const rab = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void })(128, {
    maxByteLength: 1024,
  });
  fill(new Uint8Array(rab), 3);
  assert.equal(bcc(new Uint8Array(rab), 2, 127), byteBcc(new Uint8Array(rab), 2, 127));
  rab.resize(1024);
  const grown = fill(new Uint8Array(rab), 4);
  assert.equal(bcc(grown, 2, 1023), byteBcc(grown, 2, 1023));
  assert.equal(bcc(grown.subarray(600), 1, 400), byteBcc(grown.subarray(600), 1, 400));
});

test('property: bcc equals the byte loop on random buffers and ranges', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 400 }), fc.nat(8), fc.nat(400), fc.nat(400), (bytes, off, a, z) => {
      const buf = new Uint8Array(bytes.length + off);
      buf.set(bytes, off);
      const b = buf.subarray(off);
      const start = Math.min(a, z, b.length);
      const end = Math.min(Math.max(a, z), b.length);
      assert.equal(bcc(b, start, end), byteBcc(b, start, end));
    }),
  );
});

test('bcc keeps the byte loop answer for ranges past the end of the array', () => {
  const b = new Uint8Array(100).map((_, i) => i);
  assert.equal(bcc(b, 2, 150), byteBcc(b, 2, 150));
  assert.equal(bcc(b, -5, 90), byteBcc(b, -5, 90));
});

function pureHex(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += b[i].toString(16).padStart(2, '0');
  return s;
}

test('toHex gives lower-case hex on short and long runs, views and ranges', () => {
  const backing = new Uint8Array(300).map((_, i) => (i * 37 + 11) & 0xff);
  const view = backing.subarray(3, 200);
  for (const [start, end] of [[0, 0], [0, 5], [0, 15], [0, 16], [10, 42], [0, 197], [100, 197]]) {
    assert.equal(toHex(view, start, end), pureHex(view, start, end), `${start}…${end}`);
  }
  assert.equal(toHex(view), pureHex(view, 0, view.length));
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(toHex(all), pureHex(all, 0, 256));
});

test('readTime gives formatTime’s string for every component, in range or not', () => {
  const cases = [
    [25, 10, 27, 20, 2, 2],
    [0, 1, 1, 0, 0, 0],
    [99, 12, 31, 23, 59, 59],
    [100, 1, 1, 0, 0, 0],
    [5, 0, 0, 24, 60, 61],
    [255, 255, 255, 255, 255, 255],
    [7, 99, 99, 99, 99, 99],
  ];
  for (const t of cases) {
    const c = new Ctx(Uint8Array.from(t), 0, 6, 2016, new Set());
    const [y, mo, d, h, mi, s] = t;
    assert.equal(readTime(c), formatTime(y, mo, d, h, mi, s), t.join(','));
  }
});

test('property: writeTime writes timeComponents for model-form time strings', () => {
  const two = fc.integer({ min: 0, max: 99 }).map((v) => String(v).padStart(2, '0'));
  fc.assert(
    fc.property(fc.integer({ min: 1990, max: 2300 }), two, two, two, two, two, (y, mo, d, h, mi, s) => {
      const text = `${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`;
      const w = new Writer(8);
      const fast = errorOf(() => writeTime(w, text));
      const slow = errorOf(() => timeComponents(text));
      assert.equal(fast, slow, text);
      if (!fast) assert.deepEqual(Array.from(w.result()), timeComponents(text), text);
    }),
  );
});

test('writeTime writes timeComponents for other time forms', () => {
  const texts = [
    '2025-10-27T20:02:02+08:00',
    '2000-01-01T00:00:00+08:00',
    '2255-12-31T23:59:59+08:00',
    '2099-99-99T99:99:99+08:00',
    '2025-10-27T12:02:02Z',
    '2025-10-27T20:02:02.5+08:00',
    '2025-10-27T20:02:02+0800',
    '2025-10-27T20:02:02',
  ];
  for (const text of texts) {
    const w = new Writer(8);
    writeTime(w, text);
    assert.deepEqual(Array.from(w.result()), timeComponents(text), text);
  }
  for (const bad of ['1999-12-31T23:59:59+08:00', '2256-01-01T00:00:00+08:00', '2025-1x-27T20:02:02+08:00', '2025/10/27T20:02:02+08:00']) {
    let fast: unknown;
    let slow: unknown;
    try {
      writeTime(new Writer(8), bad);
    } catch (e) {
      fast = e instanceof GbtEncodeError ? e.message : e;
    }
    try {
      timeComponents(bad);
    } catch (e) {
      slow = e instanceof GbtEncodeError ? e.message : e;
    }
    assert.equal(fast, slow, bad);
  }
});

test('count8/count16 return shared frozen counts with the same values', () => {
  const c = new Ctx(Uint8Array.from([3, 0xfe, 0xff, 0, 32, 0xff, 0xfe, 0x12, 0x34]), 0, 9, 2016, new Set());
  assert.deepEqual(count8(c, 'a'), { n: 3 });
  assert.deepEqual(count8(c, 'b'), { n: 0, special: 'abnormal' });
  assert.deepEqual(count8(c, 'c'), { n: 0, special: 'invalid' });
  const probes = count16(c, 'd');
  assert.deepEqual(probes, { n: 32 });
  assert.ok(Object.isFrozen(probes));
  assert.deepEqual(count16(c, 'e'), { n: 0, special: 'abnormal' });
  assert.deepEqual(count16(c, 'f'), { n: 0x1234 });
});

test('writeWordArray/writeTempArray write what w16/w8 write and throw the same errors', () => {
  const words: Num[][] = [
    [3.371, 3.412, 0, 65.533, 'abnormal', 'invalid', 0.0004, -0.0004],
    [65.536],
    [-0.001],
    [Number.NaN],
    ['bad' as Num],
    [undefined as unknown as Num],
  ];
  for (const list of words) {
    const a = new Writer(4);
    const b = new Writer(4);
    const ea = errorOf(() => writeWordArray(a, list, 'cells', 1000));
    const eb = errorOf(() => {
      for (const v of list) w16(b, v, 'cells', 1000);
    });
    assert.equal(ea, eb, JSON.stringify(list));
    if (!ea) assert.deepEqual(a.result(), b.result());
  }
  const temps: Num[][] = [[-40, 0, 25.4, 213, 'abnormal', 'invalid'], [216], [-41], [Number.POSITIVE_INFINITY]];
  for (const list of temps) {
    const a = new Writer(2);
    const b = new Writer(2);
    const ea = errorOf(() => writeTempArray(a, list, 't'));
    const eb = errorOf(() => {
      for (const v of list) w8(b, v, 't', 1, 40);
    });
    assert.equal(ea, eb, JSON.stringify(list));
    if (!ea) assert.deepEqual(a.result(), b.result());
  }
});

test('encodeFrame called from inside a key provider (nested) gives both frames intact', () => {
  const inner: FrameInput = { version: 2016, command: 'heartbeat', vin: 'INNER000000000001', body: {} };
  const innerBytes = encodeFrame(inner);
  let nested: Uint8Array | undefined;
  const keys = {
    decrypt: () => null,
    encrypt: (_ctx: unknown, plain: Uint8Array): Uint8Array => {
      nested = encodeFrame(inner);
      return plain.map((v) => v ^ 0x5a);
    },
  };
  const outer: FrameInput = {
    version: 2016,
    command: 'vehicleLogout',
    vin: 'OUTER000000000001',
    encryption: 'rsa',
    time: '2025-10-27T20:02:02+08:00',
    body: { serial: 7 },
  };
  const bytes = encodeFrame(outer, { keys });
  assert.deepEqual(nested, innerBytes);
  const f = decodeFrame(bytes, { keys: { decrypt: (_c, cipher) => cipher.map((v) => v ^ 0x5a) } });
  assert.equal(f.ok, true, JSON.stringify(f.error));
  assert.equal(f.vin, 'OUTER000000000001');
  assert.deepEqual(f.body, { serial: 7 });
  // The reused buffer never leaks: results are independent copies.
  const again = encodeFrame(inner);
  assert.notEqual(again.buffer, innerBytes.buffer);
  assert.deepEqual(again, innerBytes);
});

test('a VIN shorter than 17 bytes, or with bytes ≥ 0x80 (GB 18030), decodes as before', () => {
  for (const vin of ['SHORTVIN', 'LZYTBGCW4J1036497', '']) {
    const f = decodeFrame(encodeFrame({ version: 2016, command: 'heartbeat', vin, body: {} }));
    assert.equal(f.ok, true);
    assert.equal(f.vin, vin);
  }
  const b = encodeFrame({ version: 2016, command: 'heartbeat', vin: 'A', body: {} });
  b.set([0xb2, 0xe2, 0xca, 0xd4], 5); // "测试" in GB 18030 after the "A"
  b[b.length - 1] = bcc(b, 2, b.length - 1);
  const f = decodeFrame(b);
  assert.equal(f.ok, true);
  assert.equal(f.vin, bytesToText(b.subarray(4, 21)));
  assert.equal(f.vin, 'A测试');
});

test('the fast item readers give exactly what the full item codecs give, on 60,000 mutated frames', async () => {
  // A tracer makes readRealtimeItems use the full codecs only (info/realtime.ts); without one the
  // fast readers run first and hand back to the full codec wherever it would warn or fail.
  const { corpus, mutate, Prng } = await import('./testing/fuzz.js');
  const noTrace = { field: () => undefined, enter: () => undefined, leave: () => undefined };
  const frames = corpus(7, 300);
  const rng = new Prng(7);
  const replacer = (_k: string, v: unknown): unknown => (v === undefined ? '\u0000undef' : Object.is(v, -0) ? '\u0000negzero' : v);
  let compared = 0;
  for (let i = 0; i < 60_000; i++) {
    const base = frames[i % frames.length];
    const b = i < frames.length ? base : mutate(base, rng);
    const fast = JSON.stringify(decodeFrame(b), replacer);
    const full = JSON.stringify(decodeFrame(b, { trace: noTrace }), replacer);
    if (fast !== full) assert.fail(`fast and full readers differ on ${toHex(b)}\nfast ${fast}\nfull ${full}`);
    compared++;
  }
  assert.equal(compared, 60_000);
});
