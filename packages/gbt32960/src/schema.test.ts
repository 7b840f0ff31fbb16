import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { frameJsonSchema } from './schema.js';
import { decodeFrame, encodeFrame } from './frame.js';
import { fromHex } from './bytes.js';

type Schema = Record<string, unknown>;

/** A tiny JSON Schema validator for the subset frameJsonSchema uses ($ref, type, const, enum,
 * oneOf, properties/required/additionalProperties, items, pattern, minimum/maximum). */
function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  const typeOk = (t: string, v: unknown): boolean => {
    switch (t) {
      case 'null':
        return v === null;
      case 'integer':
        return Number.isInteger(v);
      case 'number':
        return typeof v === 'number' && Number.isFinite(v);
      case 'object':
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      case 'array':
        return Array.isArray(v);
      default:
        return typeof v === t;
    }
  };
  const check = (s: Schema, v: unknown, path: string, out: string[]): void => {
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/$defs/', '');
      const target = (root.$defs as Record<string, Schema>)[name];
      if (!target) return void out.push(`${path}: unresolved ${s.$ref}`);
      check(target, v, path, out);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => typeOk(t, v)))
        return void out.push(`${path}: ${JSON.stringify(v)} is not ${types.join('|')}`);
    }
    if ('const' in s && s.const !== v)
      out.push(`${path}: ${JSON.stringify(v)} !== ${JSON.stringify(s.const)}`);
    if (Array.isArray(s.enum) && !s.enum.includes(v))
      out.push(`${path}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
    if (typeof s.pattern === 'string' && typeof v === 'string' && !new RegExp(s.pattern).test(v)) {
      out.push(`${path}: "${v}" does not match ${s.pattern}`);
    }
    if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum)
      out.push(`${path}: ${v} < ${s.minimum}`);
    if (typeof s.maximum === 'number' && typeof v === 'number' && v > s.maximum)
      out.push(`${path}: ${v} > ${s.maximum}`);
    if (Array.isArray(s.oneOf)) {
      const matches = (s.oneOf as Schema[]).filter((alt) => {
        const sub: string[] = [];
        check(alt, v, path, sub);
        return sub.length === 0;
      }).length;
      if (matches !== 1)
        out.push(`${path}: ${matches} oneOf alternatives match ${JSON.stringify(v).slice(0, 80)}`);
    }
    if (typeOk('object', v)) {
      const o = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const k of (s.required ?? []) as string[]) if (!(k in o)) out.push(`${path}: missing ${k}`);
      for (const [k, val] of Object.entries(o)) {
        if (props[k]) check(props[k], val, `${path}.${k}`, out);
        else if (s.additionalProperties === false) out.push(`${path}: unexpected property ${k}`);
      }
    }
    if (Array.isArray(v) && s.items) v.forEach((x, i) => check(s.items as Schema, x, `${path}[${i}]`, out));
  };
  check(root, value, '$', errors);
  return errors;
}

const GOLDEN = JSON.parse(
  readFileSync(new URL('../testing/golden-frames.json', import.meta.url), 'utf8'),
) as { hex: string }[];

test('the schema declares draft 2020-12 and resolves every $ref', () => {
  const schema = frameJsonSchema();
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  const refs = JSON.stringify(schema).match(/#\/\$defs\/\w+/g) ?? [];
  const defs = schema.$defs as Record<string, unknown>;
  for (const r of refs) assert.ok(defs[r.slice(8)], `unresolved ${r}`);
  assert.ok(refs.length > 20);
});

test('every decoded golden frame validates against the schema', () => {
  const schema = frameJsonSchema();
  let ok = 0;
  for (const g of GOLDEN) {
    const bytes = fromHex(g.hex);
    if (!bytes) continue;
    const frame = decodeFrame(bytes);
    // JSON round trip: the schema describes what the API emits.
    const errors = validate(schema, JSON.parse(JSON.stringify(frame)));
    assert.deepEqual(errors, [], `${g.hex.slice(0, 40)}…: ${errors.join('; ')}`);
    if (frame.ok) ok++;
  }
  assert.ok(ok >= 30, `${ok} golden frames decoded`);
});

test('the validator rejects frames that break the model', () => {
  const schema = frameJsonSchema();
  const frame = JSON.parse(JSON.stringify(decodeFrame(fromHex(GOLDEN[0].hex)!))) as Record<string, unknown>;
  assert.deepEqual(validate(schema, frame), []);
  assert.notDeepEqual(validate(schema, { ...frame, version: 2020 }), []);
  assert.notDeepEqual(validate(schema, { ...frame, extra: 1 }), []);
  const { vin: _vin, ...noVin } = frame;
  assert.notDeepEqual(validate(schema, noVin), []);
  assert.notDeepEqual(validate(schema, { ...frame, time: '2025-10-27 20:02:02' }), []);
});

test('encoder-built frames of other commands validate too', () => {
  const schema = frameJsonSchema();
  const inputs = [
    {
      version: 2016,
      command: 'vehicleLogout',
      vin: 'A',
      time: '2025-01-02T03:04:05+08:00',
      body: { serial: 7 },
    },
    { version: 2025, command: 'heartbeat', vin: 'B', body: {} },
    { version: 2016, command: 'custom', commandId: 0xc0, vin: 'C', body: { hex: 'beef' } },
  ] as const;
  for (const input of inputs) {
    const frame = decodeFrame(encodeFrame(input));
    assert.equal(frame.ok, true);
    assert.deepEqual(validate(schema, JSON.parse(JSON.stringify(frame))), []);
  }
});

test('schema/frame.schema.json is the current frameJsonSchema() (bench/write-schema.ts)', () => {
  const file = JSON.parse(
    readFileSync(new URL('../schema/frame.schema.json', import.meta.url), 'utf8'),
  ) as unknown;
  assert.deepEqual(file, frameJsonSchema());
});
