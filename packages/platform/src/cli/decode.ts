// `nevhub decode`: hex frames as arguments, hex lines on stdin, or a raw binary capture (--file, a
// TCP stream). Prints one JSON object per frame in the public model (--json, the default when
// stdout is not a terminal) or a readable tree; --explain prints every byte range with its field.
// Exit status 1 when any frame failed to decode. Platform passwords are masked unless asked.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import {
  FrameSplitter,
  decodeFrame,
  explainFrame,
  formatExplain,
  fromHex,
  parseQuirks,
  type DecodeOptions,
  type Frame,
} from '@nevhub/gbt32960';

export interface DecodeCliOptions {
  json?: boolean;
  explain?: boolean;
  showSecrets?: boolean;
  file?: string;
  lenient?: string;
}

const MASK = '********';

/** Masks secrets of the public model (data-model.md: platform passwords are never shown). */
export function maskSecrets(frame: Frame): Frame {
  const body = frame.body as { password?: unknown };
  if (typeof body.password === 'string') return { ...frame, body: { ...frame.body, password: MASK } };
  return frame;
}

function tree(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.join(', ')}]`;
    return value.map((v, i) => `\n${indent}- [${i}]${tree(v, indent + '  ')}`).join('');
  }
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => {
        const inner = tree(v, indent + '  ');
        return `\n${indent}${k}:${inner.startsWith('\n') ? inner : ' ' + inner}`;
      })
      .join('');
  }
  return String(value);
}

/** Formats one frame for output; returns [text, ok]. */
export function renderFrame(bytes: Uint8Array, opts: DecodeCliOptions, decodeOptions: DecodeOptions): [string, boolean] {
  if (opts.explain) {
    const result = explainFrame(bytes, decodeOptions);
    const frame = opts.showSecrets ? result.frame : maskSecrets(result.frame);
    if (opts.json) {
      const fields = opts.showSecrets
        ? result.fields
        : result.fields.map((f) => (f.name === 'password' ? { ...f, value: MASK, hex: '' } : f));
      return [JSON.stringify({ frame, fields }), frame.ok];
    }
    const masked = opts.showSecrets
      ? result
      : { ...result, frame, fields: result.fields.map((f) => (f.name === 'password' ? { ...f, value: MASK } : f)) };
    return [formatExplain(masked), frame.ok];
  }
  const decoded = decodeFrame(bytes, decodeOptions);
  const frame = opts.showSecrets ? decoded : maskSecrets(decoded);
  if (opts.json) return [JSON.stringify(frame), frame.ok];
  return [`frame${tree(frame, '  ')}\n`, frame.ok];
}

async function* inputs(hexArgs: string[], opts: DecodeCliOptions): AsyncGenerator<Uint8Array | string> {
  if (opts.file) {
    const data = readFileSync(opts.file);
    const splitter = new FrameSplitter();
    const frames: Uint8Array[] = [];
    splitter.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), (f) => frames.push(f.slice()));
    yield* frames;
    if (splitter.buffered > 0) yield `incomplete frame: ${splitter.buffered} byte(s) at the end of the capture`;
    return;
  }
  if (hexArgs.length > 0) {
    for (const h of hexArgs) yield h;
    return;
  }
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    const t = line.trim();
    if (t && !t.startsWith('#')) yield t;
  }
}

export async function runDecode(hexArgs: string[], opts: DecodeCliOptions, out: (s: string) => void): Promise<number> {
  const decodeOptions: DecodeOptions = { lenient: opts.lenient ? parseQuirks(opts.lenient.split(',')) : [] };
  let failed = 0;
  for await (const input of inputs(hexArgs, opts)) {
    let bytes: Uint8Array | null;
    if (typeof input === 'string') {
      bytes = input.startsWith('incomplete frame') ? null : fromHex(input);
      if (!bytes) {
        failed++;
        const message = input.startsWith('incomplete frame') ? input : `not hex: ${input.slice(0, 40)}`;
        out(opts.json ? JSON.stringify({ ok: false, error: { code: 'GBT_ERR_INPUT', message, offset: 0 } }) : `error: ${message}`);
        continue;
      }
    } else bytes = input;
    const [text, ok] = renderFrame(bytes, opts, decodeOptions);
    if (!ok) failed++;
    out(text);
  }
  return failed > 0 ? 1 : 0;
}

export function registerDecode(program: Command): void {
  program
    .command('decode')
    .description('decode GB/T 32960 frames (hex arguments, hex lines on stdin, or --file capture)')
    .argument('[hex...]', 'frames as hex')
    .option('--json', 'one JSON object per frame (default when stdout is not a terminal)')
    .option('--tree', 'readable tree (default on a terminal)')
    .option('--explain', 'every byte range with its field name and value')
    .option('--file <path>', 'raw binary capture of a TCP stream')
    .option('--lenient <quirks>', 'comma-separated lenient quirks, or "all"')
    .option('--show-secrets', 'show platform passwords instead of masking them')
    .action(async (hex: string[], o: DecodeCliOptions & { tree?: boolean }) => {
      const json = o.json ?? (o.tree ? false : !process.stdout.isTTY);
      try {
        process.exitCode = await runDecode(hex, { ...o, json }, (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n'));
      } catch (e) {
        process.stderr.write(`nevhub decode: ${(e as Error).message}\n`);
        process.exitCode = 2;
      }
    });
}
