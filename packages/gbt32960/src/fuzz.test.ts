import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpus, mutate, MUTATIONS, Prng, runFuzz } from './testing/fuzz.js';
import { decodeFrame } from './frame.js';

test('the PRNG and the mutations are reproducible from the seed', () => {
  const frames = corpus(7, 20);
  const a = new Prng(42);
  const b = new Prng(42);
  for (let i = 0; i < 200; i++) {
    const f = frames[i % frames.length];
    assert.deepEqual(mutate(f, a), mutate(f, b));
  }
});

test('every mutation kind produces decodable-or-rejected input without throwing', () => {
  const frames = corpus(3, 50);
  const rng = new Prng(9);
  for (const kind of MUTATIONS) {
    for (const f of frames) {
      const m = mutate(f, rng, kind);
      const d = decodeFrame(m);
      assert.equal(typeof d.ok, 'boolean');
    }
  }
});

test('fuzz: 20,000 mutated inputs, no throw from decodeFrame or FrameSplitter', () => {
  const stats = runFuzz({ inputs: 20_000, seed: 1 });
  assert.equal(stats.throws, 0, stats.firstThrow ? `${stats.firstThrow.hex}\n${stats.firstThrow.error}` : '');
  assert.equal(stats.inputs, 20_000);
  assert.equal(stats.scanMismatches, 0, stats.firstMismatch ? `${stats.firstMismatch.hex}\n${stats.firstMismatch.error}` : '');
  // The mutations reach the body readers: both successes and several distinct error codes.
  assert.ok(stats.decodedOk > 100, `decoded ok: ${stats.decodedOk}`);
  assert.ok(Object.keys(stats.codes).length >= 5, JSON.stringify(stats.codes));
  assert.ok(stats.streamFrames > 0);
});
