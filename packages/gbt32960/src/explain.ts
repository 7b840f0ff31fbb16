// Byte-by-byte explanation of a frame, like a protocol analyser: every byte range with its field
// name, path and decoded value. Built on the decoder's Tracer hook (bytes.ts), so it shows exactly
// what decodeFrame read, not a second interpretation of the layout.
import { toHex, type Tracer } from './bytes.js';
import { decodeFrame, type DecodeOptions } from './frame.js';
import type { Frame } from './model.js';

export interface ExplainedField {
  /** Byte offset in the frame (in the plaintext for a decrypted data unit). */
  start: number;
  end: number;
  /** Field name as the decoder reports it, e.g. `speedKmh`. */
  name: string;
  value: unknown;
  /** The field's bytes. */
  hex: string;
  /** Full path, e.g. `items[0].speedKmh`. */
  path: string;
}

export interface ExplainResult {
  frame: Frame;
  fields: ExplainedField[];
}

/** Name given to byte ranges that no decoder step reported (failed frames, encrypted units). */
export const UNREAD = '(unread)';

class CollectingTracer implements Tracer {
  readonly fields: ExplainedField[] = [];
  private readonly prefixes: string[] = [];
  constructor(private readonly bytes: Uint8Array) {}

  field(name: string, start: number, end: number, value: unknown): void {
    const prefix = this.prefixes.length > 0 ? this.prefixes[this.prefixes.length - 1] : '';
    this.fields.push({
      start,
      end,
      name,
      value,
      hex: toHex(this.bytes, start, Math.min(end, this.bytes.length)),
      path: prefix ? `${prefix}.${name}` : name,
    });
  }

  enter(name: string): void {
    const prefix = this.prefixes.length > 0 ? this.prefixes[this.prefixes.length - 1] : '';
    this.prefixes.push(prefix ? `${prefix}.${name}` : name);
  }

  leave(): void {
    this.prefixes.pop();
  }
}

/**
 * Decodes `bytes` with a tracer and returns the frame plus its fields in byte order. Ranges the
 * decoder did not report (after an error, or inside an undecrypted data unit) are listed as
 * `(unread)` so that the fields always cover the frame from 0 to its length.
 */
export function explainFrame(bytes: Uint8Array, opts: Omit<DecodeOptions, 'trace'> = {}): ExplainResult {
  const tracer = new CollectingTracer(bytes);
  const frame = decodeFrame(bytes, { ...opts, trace: tracer });
  // A decrypted data unit is traced with plaintext offsets; those ranges do not map onto `bytes`.
  const traced = tracer.fields.filter((f) => f.end <= bytes.length);
  traced.sort((a, b) => a.start - b.start || a.end - b.end);
  const fields: ExplainedField[] = [];
  let at = 0;
  for (const f of traced) {
    if (f.start > at) fields.push(unread(bytes, at, f.start));
    fields.push(f);
    if (f.end > at) at = f.end;
  }
  if (at < bytes.length) fields.push(unread(bytes, at, bytes.length));
  return { frame, fields };
}

function unread(bytes: Uint8Array, start: number, end: number): ExplainedField {
  return { start, end, name: UNREAD, value: undefined, hex: toHex(bytes, start, end), path: UNREAD };
}

const MAX_HEX_CHARS = 32;

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? typeof value;
}

/** A readable table: offset range, hex (long ranges shortened), field path, value. */
export function formatExplain(result: ExplainResult): string {
  const rows = result.fields.map((f) => {
    const hex =
      f.hex.length > MAX_HEX_CHARS ? `${f.hex.slice(0, MAX_HEX_CHARS - 3)}…(${f.end - f.start}B)` : f.hex;
    return [`${f.start}-${f.end - 1}`, hex, f.path, show(f.value)];
  });
  const header = ['offset', 'hex', 'field', 'value'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const f = result.frame;
  const summary = f.ok
    ? `${f.version} ${f.command} (${f.response}) VIN ${f.vin}, ${result.fields.length} fields`
    : `${f.version} ${f.command}: ${f.error?.code ?? 'error'} at ${f.error?.offset ?? 0}: ${f.error?.message ?? ''}`;
  return [summary, line(header), ...rows.map(line)].join('\n');
}
