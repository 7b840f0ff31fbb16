import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeFrame, encodeFrame, type FrameInput } from './frame.js';
import { FrameSplitter } from './splitter.js';
import { toHex } from './bytes.js';
import { ALL_QUIRKS } from './lenient.js';
import { frameBytes, frameInput } from './testing/arbitraries.js';
import { mutate, Prng } from './testing/fuzz.js';
import type { Frame } from './model.js';

/** The part of a decoded frame that FrameInput describes. */
function asInput(f: Frame, like: FrameInput): FrameInput {
  const out: FrameInput = {
    version: f.version,
    command: f.command,
    response: f.response,
    vin: f.vin,
    encryption: f.encryption,
    time: f.time,
    body: f.body,
  };
  if (like.commandId !== undefined) out.commandId = f.commandId;
  return out;
}

/** fast-check records have a null prototype; structuredClone gives plain objects (and keeps -0). */
function normalised(x: FrameInput): FrameInput {
  const out: FrameInput = {
    version: x.version,
    command: x.command,
    response: x.response ?? 'command',
    vin: x.vin,
    encryption: x.encryption ?? 'none',
    time: x.time ?? null,
    body: x.body,
  };
  if (x.commandId !== undefined) out.commandId = x.commandId;
  return structuredClone(out);
}

test('property: decode(encode(x)) gives x back, and encode(decode(bytes)) gives the bytes back', () => {
  fc.assert(
    fc.property(frameInput(), (x) => {
      const bytes = encodeFrame(x);
      const f = decodeFrame(bytes);
      assert.equal(f.ok, true, `${JSON.stringify(f.error)} for ${toHex(bytes)}`);
      assert.deepEqual(asInput(f, x), normalised(x));
      assert.equal(toHex(encodeFrame(f)), toHex(bytes));
    }),
    { numRuns: 3000 },
  );
});

test('property: both editions are covered by the generator', () => {
  for (const version of [2016, 2025] as const) {
    const seen = new Set<string>();
    const items = new Set<string>();
    for (const x of fc.sample(frameInput(version), 3000)) {
      seen.add(x.command);
      if ('items' in x.body) for (const it of x.body.items) items.add(it.type);
    }
    const commands = [
      'vehicleLogin',
      'realtime',
      'reissue',
      'vehicleLogout',
      'platformLogin',
      'platformLogout',
      'heartbeat',
      'timeSync',
      'paramQuery',
      'paramSet',
      'terminalControl',
      'custom',
    ];
    if (version === 2025) commands.push('activation', 'activationResponse', 'keyExchange');
    for (const c of commands) assert.ok(seen.has(c), `${version}: ${c} generated`);
    const types = [
      'vehicle',
      'driveMotors',
      'fuelCell',
      'engine',
      'position',
      'alarm',
      'cellVoltages',
      'probeTemperatures',
      'custom',
    ];
    types.push(
      ...(version === 2016 ? ['extremes'] : ['fuelCellStacks', 'superCapacitor', 'superCapacitorExtremes']),
    );
    for (const t of types) assert.ok(items.has(t), `${version}: item ${t} generated`);
  }
});

test('property: decodeFrame never throws on arbitrary bytes (strict and lenient)', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.constantFrom(0x23, 0x24),
      fc.boolean(),
      (b, start, lenient) => {
        // Half of the inputs get a start marker and a consistent length so the body readers run.
        if (b.length >= 25 && b[0] % 2 === 0) {
          b[0] = b[1] = start;
          const L = b.length - 25;
          b[22] = L >> 8;
          b[23] = L & 0xff;
        }
        const f = decodeFrame(b, lenient ? { lenient: ALL_QUIRKS } : {});
        assert.equal(typeof f.ok, 'boolean');
        if (!f.ok) assert.match(f.error!.code, /^GBT_ERR_/);
      },
    ),
    { numRuns: 5000 },
  );
});

test('property: decodeFrame never throws on mutated valid frames', () => {
  fc.assert(
    fc.property(frameBytes, fc.integer({ min: 0, max: 0xffffffff }), fc.boolean(), (bytes, seed, lenient) => {
      const rng = new Prng(seed);
      for (let i = 0; i < 5; i++) {
        const m = mutate(bytes, rng);
        const f = decodeFrame(m, lenient ? { lenient: ALL_QUIRKS } : {});
        assert.equal(typeof f.ok, 'boolean');
        if (!f.ok) assert.match(f.error!.code, /^GBT_ERR_/);
      }
    }),
    { numRuns: 1500 },
  );
});

test('property: a stream of random frames split at any offsets gives the same frames', () => {
  fc.assert(
    fc.property(
      fc.array(frameBytes, { minLength: 1, maxLength: 6 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      (frames, rawCuts) => {
        const total = frames.reduce((n, f) => n + f.length, 0);
        const stream = new Uint8Array(total);
        let o = 0;
        for (const f of frames) {
          stream.set(f, o);
          o += f.length;
        }
        const cuts = [...new Set(rawCuts.map((c) => c % (total + 1)))].sort((a, b) => a - b);
        const s = new FrameSplitter();
        const out: string[] = [];
        let prev = 0;
        for (const cut of [...cuts, total]) {
          assert.equal(
            s.push(stream.subarray(prev, cut), (f) => out.push(toHex(f))),
            undefined,
          );
          prev = cut;
        }
        assert.deepEqual(
          out,
          frames.map((f) => toHex(f)),
        );
        assert.equal(s.buffered, 0);
        assert.equal(s.skippedBytes, 0);
      },
    ),
    { numRuns: 500 },
  );
});
