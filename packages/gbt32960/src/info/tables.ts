// Which codec reads which type code, per edition (2016 Annex B Table B.3; 2025 Table 9).
// Custom types (0x80–0xFE and platform-exchange ranges) are handled in custom.ts.
import type { ItemCodec, ItemTable } from './registry.js';
import { vehicleCodec } from './vehicle.js';

function table(entries: [number, ItemCodec][]): ItemTable {
  const t: ItemTable = new Array<ItemCodec | undefined>(256).fill(undefined);
  for (const [id, codec] of entries) t[id] = codec;
  return t;
}

export const ITEMS_2016: ItemTable = table([[0x01, vehicleCodec]]);

export const ITEMS_2025: ItemTable = table([[0x01, vehicleCodec]]);
