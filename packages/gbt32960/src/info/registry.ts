// Info-item codecs keyed by edition and type code (2016 Table 8 / Annex B Table B.3, 2025 Table 9).
// Each codec reads exactly its body (the type byte is already consumed) and writes it back.
import type { Writer } from '../bytes.js';
import type { Ctx } from '../context.js';
import type { InfoItem, Version } from '../model.js';

export interface ItemCodec<T extends InfoItem = InfoItem> {
  decode(c: Ctx, typeId: number): T;
  encode(w: Writer, item: T, version: Version): void;
}

export type ItemTable = (ItemCodec | undefined)[];
