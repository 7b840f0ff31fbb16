// Seeded mutation fuzzer for the codec (src/testing/fuzz.ts).
// npm run fuzz:codec -- --inputs 10000000 --seed 1
// Prints inputs/s, the error-code histogram and one JSON summary line; exits 1 if anything threw or
// scanFrame disagreed with decodeFrame on any input.
import { parseArgs } from 'node:util';
import { corpus, runFuzz, type FuzzStats } from '../src/testing/fuzz.js';

const { values } = parseArgs({
  options: {
    inputs: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: '250000' },
  },
});
const inputs = Number(values.inputs);
const seed = Number(values.seed);
const batch = Math.max(1, Number(values.batch));
if (!Number.isInteger(inputs) || inputs <= 0 || !Number.isInteger(seed)) {
  console.error('usage: fuzz.ts --inputs N --seed S');
  process.exit(2);
}

const frames = corpus(seed, 500);
const total: FuzzStats = { inputs: 0, throws: 0, decodedOk: 0, scanMismatches: 0, codes: {}, streamFrames: 0, elapsedMs: 0 };
// Batches with derived seeds: progress output, same inputs for the same --seed.
for (let done = 0, i = 0; done < inputs; i++) {
  const n = Math.min(batch, inputs - done);
  const s = runFuzz({ inputs: n, seed: (seed * 1_000_003 + i) >>> 0, corpus: frames });
  total.inputs += s.inputs;
  total.throws += s.throws;
  total.scanMismatches += s.scanMismatches;
  total.firstMismatch ??= s.firstMismatch;
  total.decodedOk += s.decodedOk;
  total.streamFrames += s.streamFrames;
  total.elapsedMs += s.elapsedMs;
  total.firstThrow ??= s.firstThrow;
  for (const [k, v] of Object.entries(s.codes)) total.codes[k] = (total.codes[k] ?? 0) + v;
  done += n;
  if (inputs > batch) console.error(`  ${done}/${inputs} inputs, ${total.throws} throws`);
}

const perSec = Math.round(total.inputs / (total.elapsedMs / 1000));
console.log(`corpus: ${frames.length} frames (golden + generated), seed ${seed}`);
console.log(`inputs: ${total.inputs}  time: ${(total.elapsedMs / 1000).toFixed(1)} s  inputs/s: ${perSec}`);
console.log(`decoded ok: ${total.decodedOk}  stream frames: ${total.streamFrames}  throws: ${total.throws}  scanFrame ≠ decodeFrame: ${total.scanMismatches}`);
console.log('error codes:');
for (const [code, n] of Object.entries(total.codes).sort((a, b) => b[1] - a[1])) {
  console.log(`  ${code.padEnd(28)} ${String(n).padStart(10)}`);
}
if (total.firstThrow) console.log(`first throw: ${total.firstThrow.hex}\n${total.firstThrow.error}`);
if (total.firstMismatch) console.log(`first scan mismatch: ${total.firstMismatch.hex}\n${total.firstMismatch.error}`);
console.log(
  JSON.stringify({
    inputs: total.inputs,
    seed,
    inputsPerSec: perSec,
    throws: total.throws,
    scanMismatches: total.scanMismatches,
    decodedOk: total.decodedOk,
    streamFrames: total.streamFrames,
    codes: total.codes,
  }),
);
process.exit(total.throws > 0 || total.scanMismatches > 0 ? 1 : 0);
