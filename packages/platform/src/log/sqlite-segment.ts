// The SQLite frame log's segment format. One group commit is stored as ONE segment (a record of a
// segment file, sqlite-files.ts, and its row in `segments`, sqlite-schema.ts; as the row's blobs in
// a log of an earlier release): `raw` = its frames back to back, `meta` = one or more parts, each a compact
// binary table of its entries with its own string table (VIN, session id, peer and collection
// time repeat across a batch, so each distinct string is stored once per part). The main thread
// encodes parts while packing (EntryPacker, at append()); the writer thread only groups whole
// parts into segments, so it does no per-frame work. Seqs are not stored: entry i of a segment
// has seq first_seq + i (a segment always covers consecutive seqs).
//
// Part layout, little-endian:
//   header (20 B): u16 format, u16 reserved, u32 count, u32 rawBytes, u32 stringCount, u32 stringBytes
//   count records (32 B): f64 receivedAt, u32 raw end (relative to the part's first byte in raw),
//     u32 vin, u32 sessionId, u32 peer, u32 collectedAt (string indexes; NO_STRING = null),
//     u16 version, u16 commandId
//   string table (stringBytes): stringCount × (u32 byteLength, UTF-8 bytes)
import type { Version } from '@nevhub/gbt32960';
import type { LogEntry, NewLogEntry } from './types.js';

export const SEGMENT_FORMAT = 1;
const HEADER_BYTES = 20;
const RECORD_BYTES = 32;
const NO_STRING = 0xffffffff;
/** The packer starts a new part after this many raw bytes or entries. */
const PART_MAX_BYTES = 1 << 20;
const PART_MAX_ENTRIES = 16_384;
/** The writer starts a new segment rather than let one grow past this many raw bytes (whole parts). */
export const SEGMENT_MAX_BYTES = 1 << 20;

/** One part of a PackedEntries: ends of its bytes in `meta` and `raw`, and what the index needs. */
export interface PackedPart {
  count: number;
  metaEnd: number;
  rawEnd: number;
  receivedMin: number;
  receivedMax: number;
  /** Distinct VINs of the part (rows of vin_segments). */
  vins: string[];
}

/** Entries of one or more append() calls, encoded as segment parts (sqlite-protocol.ts). */
export interface PackedEntries {
  count: number;
  /** The parts' meta back to back (a valid segment meta as a whole, and part by part). */
  meta: Uint8Array;
  /** The raw frames back to back, in entry order. */
  raw: Uint8Array;
  parts: PackedPart[];
}

const utf8 = new TextEncoder();
/** Capacity of the next packer's buffers: about what the last one used (no regrowth copies). */
const hint = { meta: 4096, raw: 16 * 1024, str: 1024 };
/**
 * Buffers the writer thread sent back after its commit, for the next packers of this thread: a
 * fresh buffer of a few hundred KiB costs a page fault per 4 KiB on its first write.
 */
const pool: ArrayBuffer[] = [];
const POOL_BUFFERS = 8;
const POOL_MAX_BYTES = 8 << 20;

/** Offers a buffer that is no longer used (its contents are overwritten) to the next packers. */
export function recycleBuffer(b: ArrayBuffer): void {
  if (b.byteLength === 0 || b.byteLength > POOL_MAX_BYTES) return;
  if (pool.length >= POOL_BUFFERS) pool.shift();
  pool.push(b);
}

/**
 * Packs entries into segment parts. Copies each raw frame once (the gateway passes splitter views,
 * valid only until its next read); everything else is a few map lookups and fixed-size writes.
 */
export class EntryPacker {
  private meta: Uint8Array;
  private metaView: DataView;
  private raw: Uint8Array;
  private rawUsed = 0;
  private readonly parts: PackedPart[] = [];
  private total = 0;
  // The open part.
  private partMeta = 0;
  private partRaw = 0;
  private n = 0;
  private receivedMin = Number.POSITIVE_INFINITY;
  private receivedMax = Number.NEGATIVE_INFINITY;
  private vins: string[] = [];
  private vinIndex = new Map<string, number>();
  private strIndex = new Map<string, number>();
  private strCount = 0;
  private str = bytes(hint.str);
  private strUsed = 0;
  /** The previous entry's strings and their indexes in the open part. */
  private readonly last: { vin: string | null; vinAt: number; session: string | null; sessionAt: number; peer: string | null; peerAt: number } = {
    vin: null,
    vinAt: 0,
    session: null,
    sessionAt: 0,
    peer: null,
    peerAt: 0,
  };

  constructor() {
    this.meta = bytes(hint.meta);
    this.metaView = view(this.meta);
    this.raw = bytes(hint.raw);
  }

  get count(): number {
    return this.total;
  }

  add(e: NewLogEntry): void {
    const len = e.raw.byteLength;
    if (this.n > 0 && (this.rawUsed - this.partRaw + len > PART_MAX_BYTES || this.n >= PART_MAX_ENTRIES)) this.closePart();
    // Raw frame.
    const end = this.rawUsed + len;
    if (end > this.raw.byteLength) this.raw = grow(this.raw, this.rawUsed, end);
    this.raw.set(e.raw, this.rawUsed);
    this.rawUsed = end;
    // Record.
    const at = this.partMeta + HEADER_BYTES + this.n * RECORD_BYTES;
    if (at + RECORD_BYTES > this.meta.byteLength) this.growMeta(at + RECORD_BYTES);
    // Consecutive entries mostly share VIN, session and peer (one connection's batch).
    if (e.vin !== this.last.vin) {
      this.last.vin = e.vin;
      this.last.vinAt = this.vinString(e.vin);
    }
    if (e.sessionId !== this.last.session) {
      this.last.session = e.sessionId;
      this.last.sessionAt = this.string(e.sessionId);
    }
    if (e.peer !== this.last.peer) {
      this.last.peer = e.peer;
      this.last.peerAt = this.string(e.peer);
    }
    const v = this.metaView;
    v.setFloat64(at, e.receivedAt, true);
    v.setUint32(at + 8, end - this.partRaw, true);
    v.setUint32(at + 12, this.last.vinAt, true);
    v.setUint32(at + 16, this.last.sessionAt, true);
    v.setUint32(at + 20, this.last.peerAt, true);
    v.setUint32(at + 24, e.collectedAt === null ? NO_STRING : this.string(e.collectedAt), true);
    v.setUint16(at + 28, e.version, true);
    v.setUint16(at + 30, e.commandId, true);
    if (e.receivedAt < this.receivedMin) this.receivedMin = e.receivedAt;
    if (e.receivedAt > this.receivedMax) this.receivedMax = e.receivedAt;
    this.n++;
    this.total++;
  }

  /** The packed entries; the packer must not be used afterwards. */
  finish(): PackedEntries {
    if (this.n > 0) this.closePart();
    const metaUsed = this.partMeta;
    hint.meta = Math.max(4096, metaUsed + (metaUsed >> 2));
    hint.raw = Math.max(16 * 1024, this.rawUsed + (this.rawUsed >> 2));
    hint.str = Math.max(1024, Math.min(this.str.byteLength, 1 << 20));
    recycleBuffer(this.str.buffer as ArrayBuffer);
    return {
      count: this.total,
      meta: this.meta.subarray(0, metaUsed),
      raw: this.raw.subarray(0, this.rawUsed),
      parts: this.parts,
    };
  }

  private vinString(vin: string): number {
    let i = this.vinIndex.get(vin);
    if (i === undefined) {
      i = this.newString(vin);
      this.vinIndex.set(vin, i);
      this.vins.push(vin);
    }
    return i;
  }

  private string(s: string): number {
    const i = this.strIndex.get(s);
    if (i !== undefined) return i;
    const j = this.newString(s);
    this.strIndex.set(s, j);
    return j;
  }

  /** Appends s to the part's string table (UTF-8, length-prefixed) and returns its index. */
  private newString(s: string): number {
    const max = this.strUsed + 4 + s.length * 3;
    if (max > this.str.byteLength) this.str = grow(this.str, this.strUsed, max);
    const p = this.strUsed + 4;
    let n = s.length;
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c >= 0x80) {
        n = utf8.encodeInto(s, this.str.subarray(p)).written;
        break;
      }
      this.str[p + k] = c;
    }
    const q = this.strUsed;
    this.str[q] = n & 0xff;
    this.str[q + 1] = (n >>> 8) & 0xff;
    this.str[q + 2] = (n >>> 16) & 0xff;
    this.str[q + 3] = n >>> 24;
    this.strUsed = p + n;
    return this.strCount++;
  }

  private growMeta(need: number): void {
    this.meta = grow(this.meta, this.meta.byteLength, need);
    this.metaView = view(this.meta);
  }

  /** Writes the open part's header and string table; the next entry opens a new part. */
  private closePart(): void {
    const start = this.partMeta;
    const strings = start + HEADER_BYTES + this.n * RECORD_BYTES;
    const end = strings + this.strUsed;
    if (end > this.meta.byteLength) this.growMeta(end);
    const v = this.metaView;
    v.setUint16(start, SEGMENT_FORMAT, true);
    v.setUint16(start + 2, 0, true);
    v.setUint32(start + 4, this.n, true);
    v.setUint32(start + 8, this.rawUsed - this.partRaw, true);
    v.setUint32(start + 12, this.strCount, true);
    v.setUint32(start + 16, this.strUsed, true);
    this.meta.set(this.str.subarray(0, this.strUsed), strings);
    this.parts.push({
      count: this.n,
      metaEnd: end,
      rawEnd: this.rawUsed,
      receivedMin: this.receivedMin,
      receivedMax: this.receivedMax,
      vins: this.vins,
    });
    this.partMeta = end;
    this.partRaw = this.rawUsed;
    this.n = 0;
    this.receivedMin = Number.POSITIVE_INFINITY;
    this.receivedMax = Number.NEGATIVE_INFINITY;
    this.vins = [];
    this.vinIndex = new Map();
    this.strIndex = new Map();
    this.strCount = 0;
    this.strUsed = 0;
    this.resetLast();
  }

  /** The next entry looks its strings up in the (new) part. */
  private resetLast(): void {
    this.last.vin = null;
    this.last.session = null;
    this.last.peer = null;
  }
}

/**
 * A buffer of its own ArrayBuffer (transferable), not zero-filled: only the bytes written are
 * ever read or stored (PackedEntries are views of the used length).
 */
function bytes(n: number): Uint8Array {
  // The smallest pooled buffer that is large enough and not more than 4× too large.
  let best = -1;
  for (let i = 0; i < pool.length; i++) {
    const size = pool[i].byteLength;
    if (size >= n && size <= 4 * n + 65536 && (best < 0 || size < pool[best].byteLength)) best = i;
  }
  if (best >= 0) return new Uint8Array(pool.splice(best, 1)[0]);
  const b = Buffer.allocUnsafeSlow(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function grow(buf: Uint8Array, used: number, need: number): Uint8Array {
  const next = bytes(Math.max(need, buf.byteLength * 2));
  next.set(buf.subarray(0, used));
  recycleBuffer(buf.buffer as ArrayBuffer);
  return next;
}

/** A segment decoded column-wise (readers cache these; LogEntry objects are made per read). */
export interface DecodedSegment {
  firstSeq: number;
  count: number;
  raw: Uint8Array;
  starts: Uint32Array;
  ends: Uint32Array;
  receivedAt: Float64Array;
  version: Uint16Array;
  commandId: Uint16Array;
  vin: string[];
  sessionId: string[];
  peer: string[];
  collectedAt: (string | null)[];
  /** Entry indexes per VIN, ascending (built on the first per-VIN read). */
  byVin?: Map<string, number[]>;
}

/** Decodes a segment; `raw` is kept as is (entries' raw are views into it). */
export function decodeSegment(firstSeq: number, meta: Uint8Array, raw: Uint8Array): DecodedSegment {
  const s = decodeMeta(firstSeq, meta);
  const want = s.count === 0 ? 0 : s.ends[s.count - 1];
  if (want !== raw.byteLength) throw new Error(`frame log segment ${firstSeq}: raw is ${raw.byteLength} bytes, meta says ${want}`);
  s.raw = raw;
  return s;
}

/** Decodes a segment's meta alone (its `raw` is left empty). */
export function decodeMeta(firstSeq: number, meta: Uint8Array): DecodedSegment {
  const view = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
  const bytes = Buffer.from(meta.buffer, meta.byteOffset, meta.byteLength);
  let count = 0;
  for (let off = 0; off < meta.byteLength; ) {
    const format = view.getUint16(off, true);
    if (format !== SEGMENT_FORMAT) throw new Error(`frame log segment ${firstSeq}: unknown format ${format}`);
    const n = view.getUint32(off + 4, true);
    count += n;
    off += HEADER_BYTES + n * RECORD_BYTES + view.getUint32(off + 16, true);
  }
  const s: DecodedSegment = {
    firstSeq,
    count,
    raw: new Uint8Array(0),
    starts: new Uint32Array(count),
    ends: new Uint32Array(count),
    receivedAt: new Float64Array(count),
    version: new Uint16Array(count),
    commandId: new Uint16Array(count),
    vin: new Array<string>(count),
    sessionId: new Array<string>(count),
    peer: new Array<string>(count),
    collectedAt: new Array<string | null>(count),
  };
  let i = 0;
  let rawBase = 0;
  for (let off = 0; off < meta.byteLength; ) {
    const n = view.getUint32(off + 4, true);
    const rawBytes = view.getUint32(off + 8, true);
    const stringCount = view.getUint32(off + 12, true);
    const records = off + HEADER_BYTES;
    let p = records + n * RECORD_BYTES;
    const strings = new Array<string>(stringCount);
    for (let k = 0; k < stringCount; k++) {
      const len = view.getUint32(p, true);
      strings[k] = bytes.toString('utf8', p + 4, p + 4 + len);
      p += 4 + len;
    }
    let start = rawBase;
    for (let r = records, k = 0; k < n; k++, r += RECORD_BYTES, i++) {
      const end = rawBase + view.getUint32(r + 8, true);
      s.starts[i] = start;
      s.ends[i] = end;
      start = end;
      s.receivedAt[i] = view.getFloat64(r, true);
      s.vin[i] = strings[view.getUint32(r + 12, true)];
      s.sessionId[i] = strings[view.getUint32(r + 16, true)];
      s.peer[i] = strings[view.getUint32(r + 20, true)];
      const c = view.getUint32(r + 24, true);
      s.collectedAt[i] = c === NO_STRING ? null : strings[c];
      s.version[i] = view.getUint16(r + 28, true);
      s.commandId[i] = view.getUint16(r + 30, true);
    }
    rawBase += rawBytes;
    off = p;
  }
  return s;
}

/** Entry indexes of one VIN in a decoded segment, ascending (cached on the segment). */
export function vinEntries(s: DecodedSegment, vin: string): readonly number[] {
  if (!s.byVin) {
    const m = new Map<string, number[]>();
    for (let i = 0; i < s.count; i++) {
      const list = m.get(s.vin[i]);
      if (list) list.push(i);
      else m.set(s.vin[i], [i]);
    }
    s.byVin = m;
  }
  return s.byVin.get(vin) ?? [];
}

/** Entry i of a decoded segment as a fresh LogEntry (raw is a view into the segment's raw). */
export function segmentEntry(s: DecodedSegment, i: number): LogEntry {
  return {
    seq: s.firstSeq + i,
    vin: s.vin[i],
    version: s.version[i] as Version,
    commandId: s.commandId[i],
    collectedAt: s.collectedAt[i],
    receivedAt: s.receivedAt[i],
    sessionId: s.sessionId[i],
    peer: s.peer[i],
    raw: s.raw.subarray(s.starts[i], s.ends[i]),
  };
}

/** An entry of one VIN found in a segment's meta: its index, raw range and fields (no raw yet). */
export interface VinHit {
  index: number;
  start: number;
  end: number;
  version: number;
  commandId: number;
  collectedAt: string | null;
  receivedAt: number;
  sessionId: string;
  peer: string;
}

/**
 * The entries of `vin` in a segment, ascending, read from its meta alone: the VIN is looked up in
 * each part's string table (bytes compared, nothing decoded) and only its records are decoded, so
 * a per-VIN read costs the VIN's entries, not the segment's.
 */
export function findVin(meta: Uint8Array, vin: string): VinHit[] {
  const view = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
  const bytes = Buffer.from(meta.buffer, meta.byteOffset, meta.byteLength);
  const want = Buffer.from(vin, 'utf8');
  const hits: VinHit[] = [];
  let i = 0;
  let rawBase = 0;
  for (let off = 0; off < meta.byteLength; ) {
    const n = view.getUint32(off + 4, true);
    const rawBytes = view.getUint32(off + 8, true);
    const stringCount = view.getUint32(off + 12, true);
    const records = off + HEADER_BYTES;
    const table = records + n * RECORD_BYTES;
    const next = table + view.getUint32(off + 16, true);
    // String k starts at offsets[k] (its length prefix). The VIN's text may be in the table twice
    // (as a VIN and as another field's value): records match either index.
    const offsets = new Uint32Array(stringCount);
    let t1 = -1;
    let t2 = -1;
    for (let k = 0, p = table; k < stringCount; k++) {
      offsets[k] = p;
      const len = view.getUint32(p, true);
      if (len === want.length && bytes.compare(want, 0, len, p + 4, p + 4 + len) === 0) {
        if (t1 < 0) t1 = k;
        else t2 = k;
      }
      p += 4 + len;
    }
    if (t1 >= 0) {
      const str = (k: number): string => bytes.toString('utf8', offsets[k] + 4, offsets[k] + 4 + view.getUint32(offsets[k], true));
      for (let r = records, k = 0; k < n; k++, r += RECORD_BYTES) {
        const v = view.getUint32(r + 12, true);
        if (v !== t1 && v !== t2) continue;
        const c = view.getUint32(r + 24, true);
        hits.push({
          index: i + k,
          start: rawBase + (k === 0 ? 0 : view.getUint32(r - RECORD_BYTES + 8, true)),
          end: rawBase + view.getUint32(r + 8, true),
          version: view.getUint16(r + 28, true),
          commandId: view.getUint16(r + 30, true),
          collectedAt: c === NO_STRING ? null : str(c),
          receivedAt: view.getFloat64(r, true),
          sessionId: str(view.getUint32(r + 16, true)),
          peer: str(view.getUint32(r + 20, true)),
        });
      }
    }
    i += n;
    rawBase += rawBytes;
    off = next;
  }
  return hits;
}

/** Whether a segment's meta holds entries of `vin` (string tables only). */
export function hasVin(meta: Uint8Array, vin: string): boolean {
  const view = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
  const bytes = Buffer.from(meta.buffer, meta.byteOffset, meta.byteLength);
  const want = Buffer.from(vin, 'utf8');
  for (let off = 0; off < meta.byteLength; ) {
    const n = view.getUint32(off + 4, true);
    const stringCount = view.getUint32(off + 12, true);
    const table = off + HEADER_BYTES + n * RECORD_BYTES;
    // A VIN is in the string table only if a record of the part refers to it... or it is another
    // field's value (a session id equal to a VIN): confirm with the records then.
    for (let k = 0, p = table; k < stringCount; k++) {
      const len = view.getUint32(p, true);
      if (len === want.length && bytes.compare(want, 0, len, p + 4, p + 4 + len) === 0) {
        for (let r = off + HEADER_BYTES, j = 0; j < n; j++, r += RECORD_BYTES) if (view.getUint32(r + 12, true) === k) return true;
      }
      p += 4 + len;
    }
    off = table + view.getUint32(off + 16, true);
  }
  return false;
}
