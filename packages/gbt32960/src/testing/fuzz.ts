// Seeded mutation fuzzer for the codec: takes valid frames (golden + generated), mutates them
// (bit flips, byte insert/delete, truncation, lying length fields with a recomputed BCC so the
// body readers run, splices) and checks that decodeFrame and FrameSplitter never throw.
// Reproducible: the same seed gives the same inputs. Used by fuzz.test.ts and bench/fuzz.ts.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { bcc } from '../bcc.js';
import { fromHex } from '../bytes.js';
import { decodeFrame } from '../frame.js';
import { scanFrame } from '../scan.js';
import { ALL_QUIRKS } from '../lenient.js';
import { FrameSplitter } from '../splitter.js';
import { frameBytes } from './arbitraries.js';

/** mulberry32: small, fast, seedable; good enough to drive mutations. */
export class Prng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

export const MUTATIONS = [
  'bitFlip',
  'byteSet',
  'insert',
  'delete',
  'truncate',
  'lyingLength',
  'splice',
  'interesting',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** Values that sit on field boundaries: special codes, counts, the signature marker. */
const INTERESTING = [0x00, 0x01, 0x02, 0x7f, 0x80, 0xfd, 0xfe, 0xff, 0x23, 0x24];

function fixBcc(b: Uint8Array): void {
  if (b.length >= 25) b[b.length - 1] = bcc(b, 2, b.length - 1);
}

/** Sets the length field to the actual data-unit length (so the frame reaches the body readers). */
function fixLength(b: Uint8Array): void {
  if (b.length < 25) return;
  const L = Math.min(b.length - 25, 0xffff);
  b[22] = L >> 8;
  b[23] = L & 0xff;
}

/** One mutation of `frame` (a new array). Most keep the length and BCC consistent so that the
 * data-unit readers, not the envelope checks, see the damage. */
export function mutate(
  frame: Uint8Array,
  rng: Prng,
  kind: Mutation = MUTATIONS[rng.int(MUTATIONS.length)],
): Uint8Array {
  let b = frame.slice();
  const at = (): number => rng.int(Math.max(1, b.length));
  switch (kind) {
    case 'bitFlip':
      for (let i = 1 + rng.int(3); i > 0 && b.length > 0; i--) b[at()] ^= 1 << rng.int(8);
      break;
    case 'byteSet':
      if (b.length > 0) b[at()] = rng.int(256);
      break;
    case 'interesting':
      if (b.length > 24) b[24 + rng.int(b.length - 24)] = INTERESTING[rng.int(INTERESTING.length)];
      break;
    case 'insert': {
      const p = at();
      const n = 1 + rng.int(4);
      const out = new Uint8Array(b.length + n);
      out.set(b.subarray(0, p));
      for (let i = 0; i < n; i++) out[p + i] = rng.int(256);
      out.set(b.subarray(p), p + n);
      b = out;
      fixLength(b);
      break;
    }
    case 'delete': {
      if (b.length === 0) break;
      const p = at();
      const n = Math.min(1 + rng.int(4), b.length - p);
      const out = new Uint8Array(b.length - n);
      out.set(b.subarray(0, p));
      out.set(b.subarray(p + n), p);
      b = out;
      fixLength(b);
      break;
    }
    case 'truncate':
      b = b.slice(0, rng.int(b.length + 1));
      if (rng.next() < 0.5) fixLength(b);
      break;
    case 'lyingLength':
      // A length field that disagrees with the bytes, with a BCC that matches them anyway.
      if (b.length >= 24) {
        const L = rng.next() < 0.5 ? rng.int(0x10000) : Math.max(0, b.length - 25 + rng.int(9) - 4);
        b[22] = L >> 8;
        b[23] = L & 0xff;
      }
      break;
    case 'splice': {
      // Head of this frame, tail of itself shifted: structure from one place, data from another.
      if (b.length < 30) break;
      const p = 24 + rng.int(b.length - 24);
      const q = 24 + rng.int(b.length - 24);
      const out = new Uint8Array(p + (b.length - q));
      out.set(b.subarray(0, p));
      out.set(b.subarray(q), p);
      b = out;
      fixLength(b);
      break;
    }
  }
  if (kind !== 'truncate' || rng.next() < 0.5) fixBcc(b);
  return b;
}

/** Golden frames from testing/golden-frames.json plus `generated` random valid frames. */
export function corpus(seed: number, generated = 200): Uint8Array[] {
  const golden = JSON.parse(
    readFileSync(new URL('../../testing/golden-frames.json', import.meta.url), 'utf8'),
  ) as { hex: string }[];
  const out = golden.map((g) => fromHex(g.hex)).filter((b): b is Uint8Array => b !== null);
  out.push(...fc.sample(frameBytes, { seed, numRuns: generated }));
  return out;
}

export interface FuzzStats {
  inputs: number;
  /** Inputs that made the codec throw (must be 0). */
  throws: number;
  firstThrow?: { hex: string; error: string };
  decodedOk: number;
  /** Inputs where scanFrame's ok / error code / offset differ from decodeFrame's (must be 0). */
  scanMismatches: number;
  firstMismatch?: { hex: string; error: string };
  /** Error code → count, over decoded inputs. */
  codes: Record<string, number>;
  /** Frames emitted by the splitter from garbage-laden streams. */
  streamFrames: number;
  elapsedMs: number;
}

export interface FuzzOptions {
  inputs: number;
  seed: number;
  corpus?: Uint8Array[];
  /** Every n-th input is a stream of mutated frames with garbage between them (splitter check). */
  streamEvery?: number;
}

/** Runs the fuzzer; never throws itself (throws of the codec are counted). */
export function runFuzz(opts: FuzzOptions): FuzzStats {
  const rng = new Prng(opts.seed);
  const frames = opts.corpus ?? corpus(opts.seed);
  const streamEvery = opts.streamEvery ?? 64;
  const stats: FuzzStats = { inputs: 0, throws: 0, decodedOk: 0, scanMismatches: 0, codes: {}, streamFrames: 0, elapsedMs: 0 };
  const lenientAll = { lenient: new Set(ALL_QUIRKS) };
  const splitter = new FrameSplitter();
  const t0 = performance.now();
  const record = (input: Uint8Array, e: unknown): void => {
    stats.throws++;
    stats.firstThrow ??= {
      hex: Buffer.from(input).toString('hex'),
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    };
  };
  for (let i = 0; i < opts.inputs; i++) {
    const base = frames[rng.int(frames.length)];
    stats.inputs++;
    if (i % streamEvery === streamEvery - 1) {
      // Garbage between (mutated) frames, pushed in random pieces.
      const parts: Uint8Array[] = [];
      for (let k = 0; k < 4; k++) {
        const g = new Uint8Array(rng.int(8));
        for (let j = 0; j < g.length; j++) g[j] = rng.next() < 0.2 ? 0x23 : rng.int(256);
        parts.push(
          g,
          rng.next() < 0.5 ? frames[rng.int(frames.length)] : mutate(frames[rng.int(frames.length)], rng),
        );
      }
      const stream = Buffer.concat(parts);
      // A mutated header can announce a long frame and hold the following ones: start clean.
      splitter.reset();
      try {
        let p = 0;
        while (p < stream.length) {
          const n = 1 + rng.int(64);
          const err = splitter.push(stream.subarray(p, p + n), (f) => {
            stats.streamFrames++;
            decodeFrame(f);
          });
          if (err) splitter.reset();
          p += n;
        }
      } catch (e) {
        record(stream, e);
      }
      continue;
    }
    const input = mutate(base, rng);
    try {
      const opts = (i & 1) === 0 ? undefined : lenientAll;
      const f = decodeFrame(input, opts);
      // scanFrame's contract (scan.ts): the same verdict as decodeFrame on every input.
      const s = scanFrame(input, opts);
      if (s.ok !== f.ok || s.error?.code !== f.error?.code || s.error?.offset !== f.error?.offset) {
        stats.scanMismatches++;
        stats.firstMismatch ??= {
          hex: Buffer.from(input).toString('hex'),
          error: `scan ${s.ok} ${s.error?.code ?? ''}@${s.error?.offset ?? ''}, decode ${f.ok} ${f.error?.code ?? ''}@${f.error?.offset ?? ''}`,
        };
      }
      if (f.ok) stats.decodedOk++;
      else {
        const code = f.error?.code ?? 'none';
        stats.codes[code] = (stats.codes[code] ?? 0) + 1;
      }
    } catch (e) {
      record(input, e);
    }
  }
  stats.elapsedMs = performance.now() - t0;
  return stats;
}
