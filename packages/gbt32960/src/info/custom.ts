// Custom items: user (OEM) types 0x80–0xFE and platform-exchange types (2016 0x0A–0x2F,
// 2025 0x09–0x2F): a WORD length and that many opaque bytes (spec §8.10, §7.1).
import { toHex, fromHex, type Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import { GbtEncodeError } from '../errors.js';
import type { CustomItem, Version } from '../model.js';
import type { ItemCodec } from './registry.js';

export const customCodec: ItemCodec<CustomItem> = {
  decode(c: Ctx, typeId: number): CustomItem {
    const start = c.p;
    const n = c.u16('length');
    if (n > c.remaining && c.lenient.has('customWithoutLength')) {
      // §15.2: a vendor block without its length word; it runs to the end of the data unit.
      c.p = start;
      c.usedQuirk('customWithoutLength');
      const hex = toHex(c.b, c.p, c.end);
      if (c.trace) c.trace.field('hex', c.p, c.end, hex);
      c.p = c.end;
      return { type: 'custom', typeId, hex, unlengthed: true };
    }
    if (c.trace) c.trace.field('length', start, c.p, n);
    c.need(n, 'custom item');
    const hex = toHex(c.b, c.p, c.p + n);
    if (c.trace) c.trace.field('hex', c.p, c.p + n, hex);
    c.p += n;
    return { type: 'custom', typeId, hex };
  },

  encode(w: Writer, it: CustomItem, _version: Version): void {
    const b = fromHex(it.hex);
    if (!b) throw new GbtEncodeError(`custom item 0x${it.typeId.toString(16)}: hex is not hex`);
    if (!it.unlengthed) {
      if (b.length > 0xffff) throw new GbtEncodeError('custom item longer than 65535 bytes');
      w.u16(b.length);
    }
    w.bytes(b);
  },
};

/** Is this type code a length-prefixed custom item in the given edition? */
export function isCustomType(typeId: number, version: Version): boolean {
  if (typeId >= 0x80 && typeId <= 0xfe) return true;
  return version === 2016 ? typeId >= 0x0a && typeId <= 0x2f : typeId >= 0x09 && typeId <= 0x2f;
}
