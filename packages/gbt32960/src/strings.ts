// STRING fields: ASCII (GB/T 1988), Chinese characters in GB 18030 (2 bytes each), fixed width
// padded with 0x00 in practice (spec, notation). Trailing NULs are removed on decode and restored
// on encode, so that decode → encode gives back the same bytes.
import { toHex } from './bytes.js';
import type { Ctx } from './context.js';
import { GbtEncodeError } from './errors.js';
import type { Writer } from './bytes.js';

let gbDecoder: { decode(b: Uint8Array): string } | undefined;
let gbEncodeTable: Map<string, number> | undefined;

function decodeGb18030(b: Uint8Array): string {
  gbDecoder ??= new TextDecoder('gb18030');
  return gbDecoder.decode(b);
}

/** Two-byte GB 18030 table, built once on first use by decoding every lead/trail pair. */
function gbTable(): Map<string, number> {
  if (gbEncodeTable) return gbEncodeTable;
  const table = new Map<string, number>();
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const ch = decodeGb18030(pair);
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, (lead << 8) | trail);
    }
  }
  gbEncodeTable = table;
  return table;
}

/** Bytes → text: ASCII when every byte is < 0x80, otherwise GB 18030. */
export function bytesToText(b: Uint8Array): string {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0) end--;
  let ascii = true;
  for (let i = 0; i < end; i++) {
    if (b[i] >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    let s = '';
    for (let i = 0; i < end; i++) s += String.fromCharCode(b[i]);
    return s;
  }
  return decodeGb18030(b.subarray(0, end));
}

/** Text → bytes (ASCII or two-byte GB 18030). */
export function textToBytes(text: string, what: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const gb = gbTable().get(ch);
      if (gb === undefined) throw new GbtEncodeError(`${what}: character "${ch}" has no GB 18030 two-byte code`);
      out.push(gb >> 8, gb & 0xff);
    }
  }
  return Uint8Array.from(out);
}

export function readText(c: Ctx, n: number, name: string): string {
  const start = c.p;
  const b = c.bytes(n, name);
  const v = bytesToText(b);
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
}

export function readHex(c: Ctx, n: number, name: string): string {
  const start = c.p;
  c.need(n, name);
  // Straight from the frame: no subarray view per field.
  const v = toHex(c.b, start, start + n);
  c.p = start + n;
  if (c.trace) c.trace.field(name, start, c.p, v);
  return v;
}

/** Writes text into a fixed-width field, NUL padded. */
export function writeText(w: Writer, text: string, width: number, what: string): void {
  const b = textToBytes(text, what);
  if (b.length > width) throw new GbtEncodeError(`${what}: "${text}" is ${b.length} bytes, the field has ${width}`);
  w.bytes(b);
  for (let i = b.length; i < width; i++) w.u8(0);
}
