// scanFrame's contract: for every input and the same options, ok, error (code, offset, message) and
// the envelope fields equal decodeFrame's; decode() equals decodeFrame; an ok realtime/reissue
// frame's item table matches the decoded items. Checked on the golden frames, the spec-built frames
// of info/spec-items.test.ts, random valid frames of both editions and seeded fuzzer mutations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { bcc } from './bcc.js';
import { fromHex, toHex, type Tracer } from './bytes.js';
import { decodeFrame, encodeFrame, type DecodeOptions } from './frame.js';
import { ALL_QUIRKS, type Quirk } from './lenient.js';
import type { Frame, RealtimeBody } from './model.js';
import { frameTimeText, frameVinText, isValidDataFrame, scanFrame, type FrameScan } from './scan.js';
import { frameInput } from './testing/arbitraries.js';
import { corpus, mutate, Prng } from './testing/fuzz.js';
import type { KeyProvider } from './crypto.js';

const ENVELOPE = [
  'ok',
  'version',
  'command',
  'commandId',
  'response',
  'responseId',
  'vin',
  'encryption',
  'encryptionId',
  'time',
] as const;

/** Did the structural scan answer by itself (decodeFrame not called yet)? */
function scannedItself(s: FrameScan): boolean {
  return (s as unknown as { frame: Frame | undefined }).frame === undefined;
}

/** Could the structural scan answer for these bytes without decodeFrame (scan.ts fast path)? */
function structural(b: Uint8Array, options?: DecodeOptions): boolean {
  return (
    options?.trace === undefined &&
    b.length >= 24 &&
    b[0] === b[1] &&
    (b[0] === 0x23 || b[0] === 0x24) &&
    (b[2] === 0x02 || b[2] === 0x03) &&
    b[3] === 0xfe &&
    !(b[21] >= 0x02 && b[21] <= 0x05)
  );
}

/**
 * Asserts the contract for one input; `full` also compares decode() with decodeFrame (slower).
 * Returns the scan.
 */
function check(b: Uint8Array, options?: DecodeOptions, full = true): FrameScan {
  let s: FrameScan;
  try {
    s = scanFrame(b, options);
  } catch (e) {
    assert.fail(`scanFrame threw on ${toHex(b)}: ${String(e)}`);
  }
  const f = decodeFrame(b, options);
  const where = (): string => `${toHex(b)} ${JSON.stringify(f.error)}`;
  for (const k of ENVELOPE) assert.equal(s[k], f[k], `${k} differs for ${where()}`);
  assert.deepEqual(s.error, f.error, `error differs for ${where()}`);
  if (structural(b, options) && !(options?.lenient && [...options.lenient].length > 0)) {
    assert.ok(scannedItself(s), `fast path not taken for ${where()}`);
  }
  if (s.indexed) checkTable(b, s, f);
  else assert.equal(s.itemCount, 0);
  // The gateway's hot path: validity without a scan object, then the VIN and time from the bytes.
  assert.equal(isValidDataFrame(b, options), s.ok && s.indexed, `isValidDataFrame differs for ${where()}`);
  if (s.ok && s.indexed) {
    assert.equal(frameVinText(b), f.vin);
    assert.equal(frameTimeText(b), f.time);
  }
  if (full) {
    const d = s.decode();
    assert.equal(s.decode(), d, 'decode() is memoised');
    assert.deepEqual(d, f, `decode() differs for ${where()}`);
  }
  return s;
}

/** The item table against the decoded items: count, type codes, contiguity, signature range. */
function checkTable(b: Uint8Array, s: FrameScan, f: Frame): void {
  assert.equal(f.ok, true);
  const body = f.body as RealtimeBody;
  assert.equal(s.itemCount, body.items.length);
  const dataEnd = b.length - 1;
  let p = 30; // header + collection time
  for (let i = 0; i < s.itemCount; i++) {
    assert.equal(s.itemStart(i), p);
    assert.equal(s.itemType(i), body.items[i].typeId);
    assert.ok(s.itemEnd(i) > p);
    p = s.itemEnd(i);
  }
  if (f.version === 2025) {
    assert.equal(s.signatureStart, p);
    assert.equal(s.signatureStart, body.signature?.signedEnd);
    assert.equal(s.signatureEnd, dataEnd);
  } else {
    assert.equal(p, dataEnd);
    assert.equal(s.signatureStart, -1);
    assert.equal(s.signatureEnd, -1);
  }
  assert.throws(() => s.itemStart(s.itemCount), RangeError);
  assert.throws(() => s.itemEnd(-1), RangeError);
}

const GOLDEN = (
  JSON.parse(readFileSync(new URL('../testing/golden-frames.json', import.meta.url), 'utf8')) as { hex: string }[]
)
  .map((g) => fromHex(g.hex))
  .filter((b): b is Uint8Array => b !== null);

test('golden frames: same result as decodeFrame, strict and with every quirk', () => {
  assert.ok(GOLDEN.length >= 55);
  let indexed = 0;
  for (const b of GOLDEN) {
    if (check(b).indexed) indexed++;
    check(b, { lenient: ALL_QUIRKS });
    check(b, { lenient: new Set<Quirk>(['customWithoutLength']) });
  }
  assert.ok(indexed >= 20, `indexed ${indexed}`);
});

/** The hand-written items of info/spec-items.test.ts, framed as that file frames them. */
function specFrames(): Uint8Array[] {
  const src = readFileSync(new URL('./info/spec-items.test.ts', import.meta.url), 'utf8');
  const out: Uint8Array[] = [];
  for (const m of src.matchAll(/check\(\s*(2016|2025),[\s\S]*?`([^`]*)`,\s*\);/g)) {
    const version = Number(m[1]);
    const data = '190a1b140202' + m[2].replace(/\s+/g, '') + (version === 2025 ? 'ff01' + '0000' + '0000' : '');
    const vin = Buffer.from('LNBSCU3H5JR000001', 'ascii').toString('hex');
    const start = version === 2025 ? '2424' : '2323';
    const head = fromHex(`${start}02fe${vin}01${(data.length / 2).toString(16).padStart(4, '0')}${data}`)!;
    const b = new Uint8Array(head.length + 1);
    b.set(head);
    b[head.length] = bcc(head, 2, head.length);
    out.push(b);
  }
  return out;
}

test('spec-built frames (info/spec-items.test.ts): every item type, special counts; each truncation', () => {
  const frames = specFrames();
  assert.ok(frames.length >= 4, `found ${frames.length}`);
  for (const b of frames) {
    assert.equal(check(b).indexed, true, toHex(b));
    // Every shorter data unit with a consistent length and BCC: each field's truncation.
    for (let cut = 25; cut < b.length; cut++) {
      const t = new Uint8Array(cut);
      t.set(b.subarray(0, cut - 1));
      const L = cut - 25;
      t[22] = L >> 8;
      t[23] = L & 0xff;
      t[cut - 1] = bcc(t, 2, cut - 1);
      check(t);
    }
  }
});

/** Random valid realtime/reissue command frames with an unencrypted data unit. */
const realtimeInput = (version?: 2016 | 2025) =>
  frameInput(version).filter(
    (x) => (x.command === 'realtime' || x.command === 'reissue') && (x.response ?? 'command') === 'command' && x.encryption === undefined,
  );

test('property: random valid frames of both editions (every command)', () => {
  fc.assert(
    fc.property(frameInput(), (x) => {
      check(encodeFrame(x));
    }),
    { numRuns: 1500, seed: 11 },
  );
});

test('property: random valid realtime/reissue frames are indexed, in both editions', () => {
  for (const version of [2016, 2025] as const) {
    fc.assert(
      fc.property(realtimeInput(version), (x) => {
        const b = encodeFrame(x);
        const s = check(b);
        assert.equal(s.ok, true);
        assert.equal(s.indexed, true);
        assert.equal(s.version, version);
      }),
      { numRuns: 1000, seed: version },
    );
  }
});

test('delegated cases: tracer, key provider, encrypted data units, replies, short input', () => {
  const tracer: Tracer = { field() {}, enter() {}, leave() {} };
  const keys: KeyProvider = { decrypt: (_ctx, cipher) => (cipher.length > 6 ? cipher : null) };
  for (const b of [...GOLDEN, ...specFrames()]) {
    const s = check(b, { trace: tracer });
    assert.equal(s.indexed, false);
    check(b, { keys });
  }
  for (const b of [new Uint8Array(0), Uint8Array.of(0x23), Uint8Array.of(0x24, 0x24, 0x02, 0xfe), new Uint8Array(30)]) {
    check(b);
  }
  for (const x of fc.sample(frameInput(), { seed: 5, numRuns: 300 })) check(encodeFrame(x), { keys });
});

test('a key provider does not leave the fast path for unencrypted frames', () => {
  const keys: KeyProvider = { decrypt: () => assert.fail('not called for unencrypted frames') };
  for (const x of fc.sample(realtimeInput(), { seed: 3, numRuns: 100 })) {
    const s = scanFrame(encodeFrame(x), { keys });
    assert.equal(s.indexed, true);
    assert.ok(scannedItself(s));
  }
});

test('lenient quirks: an empty list keeps the fast path; a frame that fails strictly is read by decodeFrame', () => {
  for (const x of fc.sample(realtimeInput(), { seed: 4, numRuns: 50 })) {
    const b = encodeFrame(x);
    assert.ok(scannedItself(check(b, { lenient: [] }, false)));
    assert.ok(scannedItself(check(b, { lenient: new Set<Quirk>() }, false)));
    // A strict success is the same with every quirk (they only act where strict reading fails).
    assert.ok(scannedItself(check(b, { lenient: ALL_QUIRKS }, false)));
  }
  // A ReadonlySet that is not a Set still counts as holding quirks.
  const quirks = new Set<Quirk>(['trailingBytes']);
  const readonlySet: ReadonlySet<Quirk> = {
    has: (q) => quirks.has(q),
    get size() {
      return quirks.size;
    },
    forEach: (cb) => quirks.forEach((v) => cb(v, v, readonlySet)),
    entries: () => quirks.entries(),
    keys: () => quirks.keys(),
    values: () => quirks.values(),
    [Symbol.iterator]: () => quirks[Symbol.iterator](),
  };
  const x = fc.sample(realtimeInput(2016).filter((f) => (f.body as RealtimeBody).items.length > 0), { seed: 8, numRuns: 1 })[0];
  const plain = encodeFrame(x);
  const extra = new Uint8Array(plain.length + 2);
  extra.set(plain.subarray(0, plain.length - 1));
  extra[plain.length - 1] = 0x70; // reserved type code (§7.1), then one more byte
  extra[plain.length] = 0x00;
  const L = extra.length - 25;
  extra[22] = L >> 8;
  extra[23] = L & 0xff;
  extra[extra.length - 1] = bcc(extra, 2, extra.length - 1);
  assert.equal(check(extra).error?.code, 'GBT_ERR_UNKNOWN_INFO_TYPE');
  // trailingBytes keeps the two bytes as trailingHex.
  assert.equal(check(extra, { lenient: readonlySet }).ok, true);
});

test('the VIN and time caches give the strings of decodeFrame for every byte that differs', () => {
  const base = encodeFrame(fc.sample(realtimeInput(2016), { seed: 9, numRuns: 1 })[0]);
  const frames: Uint8Array[] = [];
  // Every VIN and time byte changed to several values (ASCII, NUL, GB 18030 lead bytes, FF).
  for (let at = 4; at < 30; at++) {
    if (at >= 21 && at < 24) continue;
    for (const v of [0x00, 0x30, 0x41, 0x5a, 0x81, 0xb0, 0xfe, 0xff, 0x0c, 0x3b]) {
      const b = base.slice();
      b[at] = v;
      b[b.length - 1] = bcc(b, 2, b.length - 1);
      frames.push(b);
    }
  }
  const rng = new Prng(7);
  for (let round = 0; round < 3; round++) {
    for (let i = 0; i < frames.length; i++) check(frames[rng.int(frames.length)], undefined, false);
  }
});

test('fuzz: 240,000 seeded mutations, same ok/error/envelope as decodeFrame, never throws', () => {
  // The fuzzer's corpus plus realtime/reissue frames, so that most mutations reach the item walk.
  const frames = [
    ...corpus(21, 300),
    ...fc.sample(realtimeInput(), { seed: 22, numRuns: 400 }).map((x) => encodeFrame(x)),
  ];
  const rng = new Prng(2024);
  const lenientAll = { lenient: new Set(ALL_QUIRKS) };
  const codes: Record<string, number> = {};
  let fast = 0;
  let ok = 0;
  const inputs = 240_000;
  for (let i = 0; i < inputs; i++) {
    const b = mutate(frames[rng.int(frames.length)], rng);
    const options = i % 4 === 3 ? lenientAll : undefined;
    // decode() against decodeFrame on every 16th input (a deep comparison per input is slow).
    const s = check(b, options, i % 16 === 0);
    if (options === undefined && structural(b)) {
      fast++;
      if (s.ok) ok++;
      else codes[s.error!.code] = (codes[s.error!.code] ?? 0) + 1;
    }
  }
  // The structural scan itself answered for most inputs, and found every kind of failure.
  assert.ok(fast > inputs / 3, `fast path inputs: ${fast}`);
  assert.ok(ok > 1000, `ok: ${ok}`);
  for (const code of [
    'GBT_ERR_TRUNCATED',
    'GBT_ERR_LENGTH',
    'GBT_ERR_BCC',
    'GBT_ERR_UNKNOWN_INFO_TYPE',
    'GBT_ERR_SIGNATURE',
    'GBT_ERR_MISSING_SIGNATURE',
    'GBT_ERR_TRAILING_DATA',
  ]) {
    assert.ok((codes[code] ?? 0) > 0, `${code} not reached: ${JSON.stringify(codes)}`);
  }
});
