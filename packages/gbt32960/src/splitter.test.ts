import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { FrameSplitter } from './splitter.js';
import { fromHex, toHex } from './bytes.js';

interface Golden {
  hex: string;
  kind: string;
  bcc_ok: boolean;
  expected: unknown;
}
const GOLDEN = JSON.parse(
  readFileSync(new URL('../testing/golden-frames.json', import.meta.url), 'utf8'),
) as Golden[];
/** Single well-formed frames of the golden file (length field agrees with the byte count). */
const FRAMES = GOLDEN.filter((g) => g.kind !== 'stream')
  .map((g) => fromHex(g.hex)!)
  .filter((b) => b.length >= 25 && b.length === 25 + ((b[22] << 8) | b[23]));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Pushes `stream` cut at `cuts` and returns copies of the emitted frames as hex. */
function splitAt(stream: Uint8Array, cuts: number[], splitter = new FrameSplitter()): string[] {
  const out: string[] = [];
  let prev = 0;
  for (const cut of [...cuts, stream.length]) {
    const err = splitter.push(stream.subarray(prev, cut), (f) => out.push(toHex(f)));
    assert.equal(err, undefined);
    prev = cut;
  }
  return out;
}

test('golden sticky-packet stream: emits the complete reissue frame and keeps 467 bytes buffered', () => {
  const g = GOLDEN.find((x) => x.kind === 'stream')!;
  const bytes = fromHex(g.hex)!;
  const s = new FrameSplitter();
  const frames: Uint8Array[] = [];
  assert.equal(
    s.push(bytes, (f) => frames.push(f)),
    undefined,
  );
  assert.equal(frames.length, 1);
  assert.equal(frames[0][2], 0x03, 'first frame is a reissue (0x03)');
  assert.equal(frames[0].length, 25 + ((bytes[22] << 8) | bytes[23]));
  assert.equal(s.buffered, 467);
  assert.equal((g.expected as { deSticky_next_length: number }).deSticky_next_length, s.buffered);
  assert.equal(s.skippedBytes, 0);
});

test('concatenated frames come out as views of the chunk, without copying', () => {
  assert.ok(FRAMES.length >= 20, `golden frames: ${FRAMES.length}`);
  const chunk = concat(FRAMES);
  const s = new FrameSplitter();
  const out: Uint8Array[] = [];
  s.push(chunk, (f) => out.push(f));
  assert.equal(out.length, FRAMES.length);
  let offset = 0;
  for (let i = 0; i < out.length; i++) {
    assert.equal(out[i].buffer, chunk.buffer, 'a view of the pushed chunk');
    assert.equal(out[i].byteOffset, chunk.byteOffset + offset);
    assert.deepEqual(out[i], FRAMES[i]);
    offset += FRAMES[i].length;
  }
  assert.equal(s.buffered, 0);
});

test('one byte at a time gives the same frames', () => {
  const stream = concat(FRAMES.slice(0, 8));
  const cuts = Array.from({ length: stream.length - 1 }, (_, i) => i + 1);
  assert.deepEqual(
    splitAt(stream, cuts),
    FRAMES.slice(0, 8).map((f) => toHex(f)),
  );
});

test('property: splitting a stream of frames at any offsets gives the same frames', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: FRAMES.length - 1 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      (picks, rawCuts) => {
        const frames = picks.map((i) => FRAMES[i]);
        const stream = concat(frames);
        const cuts = [...new Set(rawCuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const s = new FrameSplitter();
        assert.deepEqual(
          splitAt(stream, cuts, s),
          frames.map((f) => toHex(f)),
        );
        assert.equal(s.buffered, 0);
      },
    ),
    { numRuns: 500 },
  );
});

test('every single split point of a two-frame stream gives the same frames', () => {
  const frames = [FRAMES[2], FRAMES[0]];
  const stream = concat(frames);
  for (let cut = 0; cut <= stream.length; cut++) {
    assert.deepEqual(
      splitAt(stream, [cut]),
      frames.map((f) => toHex(f)),
      `cut at ${cut}`,
    );
  }
});

test('garbage between frames is skipped, counted and reported', () => {
  const garbage = [
    Uint8Array.of(0x00, 0x11, 0x22),
    Uint8Array.of(0x23, 0x41, 0x42, 0x24),
    Uint8Array.of(0xff),
  ];
  const parts = [garbage[0], FRAMES[0], garbage[1], FRAMES[1], garbage[2], FRAMES[2]];
  const reported: number[] = [];
  const s = new FrameSplitter({ onGarbage: (n) => reported.push(n) });
  const out: string[] = [];
  s.push(concat(parts), (f) => out.push(toHex(f)));
  assert.deepEqual(
    out,
    [FRAMES[0], FRAMES[1], FRAMES[2]].map((f) => toHex(f)),
  );
  assert.equal(s.skippedBytes, 3 + 4 + 1);
  assert.equal(
    reported.reduce((a, b) => a + b, 0),
    8,
  );
});

test('property: garbage without start bytes between frames never loses a frame, at any split', () => {
  const noStart = fc
    .uint8Array({ maxLength: 40 })
    .map((b) => b.map((x) => (x === 0x23 || x === 0x24 ? 0 : x)));
  fc.assert(
    fc.property(
      fc.array(fc.tuple(noStart, fc.integer({ min: 0, max: FRAMES.length - 1 })), {
        minLength: 1,
        maxLength: 6,
      }),
      fc.array(fc.nat(), { maxLength: 6 }),
      (pairs, rawCuts) => {
        const stream = concat(pairs.flatMap(([g, i]) => [g, FRAMES[i]]));
        const cuts = [...new Set(rawCuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const s = new FrameSplitter();
        assert.deepEqual(
          splitAt(stream, cuts, s),
          pairs.map(([, i]) => toHex(FRAMES[i])),
        );
        assert.equal(
          s.skippedBytes,
          pairs.reduce((n, [g]) => n + g.length, 0),
        );
      },
    ),
    { numRuns: 300 },
  );
});

test('a "##" whose length field exceeds 65531 is garbage: the splitter resynchronises', () => {
  const fake = new Uint8Array(24);
  fake[0] = 0x23;
  fake[1] = 0x23;
  fake[22] = 0xff;
  fake[23] = 0xfc; // 65532 > 65531 (spec §1)
  const s = new FrameSplitter();
  const out: string[] = [];
  s.push(concat([fake, FRAMES[3]]), (f) => out.push(toHex(f)));
  assert.deepEqual(out, [toHex(FRAMES[3])]);
  assert.equal(s.skippedBytes, 24);
});

test('frames held across pushes stay intact until the next push', () => {
  const [a, b] = [FRAMES[0], FRAMES[1]];
  const s = new FrameSplitter();
  const kept: Uint8Array[] = [];
  s.push(a.subarray(0, 10), (f) => kept.push(f));
  // Completes `a` from the buffer and buffers the first half of `b` in the same push.
  s.push(concat([a.subarray(10), b.subarray(0, 30)]), (f) => kept.push(f));
  assert.equal(kept.length, 1);
  assert.deepEqual(kept[0], a);
  assert.equal(s.buffered, 30);
  s.push(b.subarray(30), (f) => kept.push(f.slice()));
  assert.deepEqual(kept[1], b);
});

test('a frame longer than maxFrameLength is GBT_ERR_LENGTH', () => {
  const big = FRAMES.reduce((m, f) => (f.length > m.length ? f : m));
  const s = new FrameSplitter({ maxFrameLength: big.length - 1 });
  const out: Uint8Array[] = [];
  const err = s.push(concat([FRAMES[0], big]), (f) => out.push(f));
  assert.equal(out.length, 1, 'the frame before the oversized one is still emitted');
  assert.equal(err?.code, 'GBT_ERR_LENGTH');
  assert.match(err.message, /exceeds/);
  assert.equal(s.buffered, 0);
});

test('more than maxBufferedBytes held without a complete frame is GBT_ERR_BUFFER_LIMIT', () => {
  const big = FRAMES.reduce((m, f) => (f.length > m.length ? f : m));
  const s = new FrameSplitter({ maxBufferedBytes: 100 });
  assert.equal(
    s.push(big.subarray(0, 100), () => assert.fail('no frame expected')),
    undefined,
  );
  const err = s.push(big.subarray(100, 101), () => assert.fail('no frame expected'));
  assert.equal(err?.code, 'GBT_ERR_BUFFER_LIMIT');
  assert.equal(s.buffered, 0);
});

test('reset drops the buffered tail', () => {
  const s = new FrameSplitter();
  s.push(FRAMES[0].subarray(0, 20), () => assert.fail('no frame expected'));
  assert.equal(s.buffered, 20);
  s.reset();
  assert.equal(s.buffered, 0);
  const out: string[] = [];
  s.push(FRAMES[1], (f) => out.push(toHex(f)));
  assert.deepEqual(out, [toHex(FRAMES[1])]);
});
