// The frame log's segment files: every segment's bytes (its meta and raw, sqlite-segment.ts) are
// appended to files beside the SQLite database (`frames.db-segments/`), and the database keeps
// only the index: one small row per segment giving its seqs, receive times and place in a file.
//
// Why: as a blob in SQLite, every byte of a frame was written twice (the WAL, then the checkpoint
// copying it into the database file) and fsynced twice, a page at a time with a checksum per WAL
// frame. Here it is written once with one write call per segment, and a commit is durable after
// ONE fdatasync of the file (the index commits with synchronous=NORMAL: it can be rebuilt).
//
// A file holds whole segments back to back, each a self-describing record:
//   header (48 B, little-endian): u32 magic 'NVS1', u16 version (1), u16 reserved,
//     f64 firstSeq, u32 count, u32 metaBytes, u32 rawBytes, u32 checksum (of meta then raw),
//     f64 receivedMin, f64 receivedMax
//   meta (metaBytes), raw (rawBytes)
// Files are named by the first seq they hold (16 digits, `.seg`) and are started anew past
// FILE_MAX_BYTES or FILE_MAX_AGE_MS; prune deletes a file once no segment row points into it.
//
// Crash and power loss (LogWriter.recover, run when the writer opens): the index may lack the
// last segments (its commits are not fsynced) and, with durability 'os' (no fdatasync) after a
// power cut, may point at bytes that never reached the disk. (With 'fsync' a commit's bytes are
// fdatasynced before its rows commit, and no append is acknowledged before.) So the writer checks
// the index's last segments against their checksums, drops rows that fail, re-indexes the valid
// segments found after the last row, and cuts the file after the last valid one.
import { closeSync, fdatasyncSync, fsyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, unlinkSync, writevSync } from 'node:fs';
import { join } from 'node:path';

export const SEGMENT_HEADER_BYTES = 48;
const MAGIC = 0x3153564e; // 'NVS1'
const FILE_VERSION = 1;
/** A file is closed and the next one started once it holds this many bytes... */
export const FILE_MAX_BYTES = 64 << 20;
/** ...or once it is this old, so that prune (whole files) reclaims space at a slow fleet too. */
export const FILE_MAX_AGE_MS = 3600_000;
const SUFFIX = '.seg';
/** Open files a reader keeps (least recently used closed first). */
const READER_FDS = 32;

/** Where a segment's bytes are: the file (by its first seq) and the header's offset in it. */
export interface SegmentLocation {
  file: number;
  offset: number;
  metaBytes: number;
  rawBytes: number;
}

export interface SegmentHeader extends SegmentLocation {
  firstSeq: number;
  count: number;
  checksum: number;
  receivedMin: number;
  receivedMax: number;
}

/** A segment row's columns that place its bytes (sqlite-schema.ts); file is NULL in a row of blobs. */
export interface RowPlace {
  file: number | null;
  file_offset: number | null;
  meta_bytes: number | null;
  raw_bytes: number | null;
}

/** Where a row's bytes are in the files, undefined for a row of an earlier release (blobs). */
export const locationOf = (r: RowPlace): SegmentLocation | undefined =>
  r.file === null ? undefined : { file: r.file, offset: r.file_offset ?? 0, metaBytes: r.meta_bytes ?? 0, rawBytes: r.raw_bytes ?? 0 };

export const segmentsDir = (dbPath: string): string => `${dbPath}-segments`;
const fileName = (base: number): string => `${String(base).padStart(16, '0')}${SUFFIX}`;

/** The files of a segments directory by first seq, ascending (none when it does not exist). */
export function listSegmentFiles(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith(SUFFIX) && /^\d+$/.test(n.slice(0, -SUFFIX.length)))
    .map((n) => Number(n.slice(0, -SUFFIX.length)))
    .sort((a, b) => a - b);
}

/** Byte length of a segment record (header, meta, raw). */
export const recordBytes = (loc: SegmentLocation): number => SEGMENT_HEADER_BYTES + loc.metaBytes + loc.rawBytes;

/**
 * Checksum of one byte run: Fletcher-style sums (a = sum of 32-bit little-endian words, b = sum of
 * the running a) in four interleaved lanes, so that a zeroed or stale page changes it. About half
 * a nanosecond a word in V8 (the writer thread checksums every segment it writes).
 */
function sum32(bytes: Uint8Array, seed: number): number {
  // Whole words need a 4-aligned view; bytes at another offset are copied first (recovery reads
  // raw after meta in one buffer). Uint8Array's slice copies (a Buffer's would be a view).
  const b = (bytes.byteOffset & 3) === 0 ? bytes : Uint8Array.prototype.slice.call(bytes);
  const n = b.byteLength >>> 2;
  const w = new Int32Array(b.buffer, b.byteOffset, n);
  let a0 = seed | 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    a0 = (a0 + w[i]) | 0;
    a1 = (a1 + w[i + 1]) | 0;
    a2 = (a2 + w[i + 2]) | 0;
    a3 = (a3 + w[i + 3]) | 0;
    b0 = (b0 + a0) | 0;
    b1 = (b1 + a1) | 0;
    b2 = (b2 + a2) | 0;
    b3 = (b3 + a3) | 0;
  }
  for (; i < n; i++) {
    a0 = (a0 + w[i]) | 0;
    b0 = (b0 + a0) | 0;
  }
  for (let k = n * 4; k < b.byteLength; k++) {
    a1 = (a1 + b[k]) | 0;
    b1 = (b1 + a1) | 0;
  }
  return (
    (a0 ^ Math.imul(a1, 0x01000193) ^ Math.imul(a2, 0x85ebca6b) ^ Math.imul(a3, 0xc2b2ae35) ^ Math.imul(b0, 0x27d4eb2f) ^ Math.imul(b1, 0x165667b1) ^ Math.imul(b2, 0x9e3779b1) ^ Math.imul(b3, 0x7feb352d) ^ b.byteLength) >>> 0
  );
}

/** Checksum of a segment's meta then raw (stored in its header, checked by recovery). */
export function segmentChecksum(meta: Uint8Array, raw: Uint8Array): number {
  return (sum32(raw, sum32(meta, 1)) ^ Math.imul(meta.byteLength, 0x2545f491)) >>> 0;
}

function encodeHeader(h: Omit<SegmentHeader, 'file' | 'offset'>): Uint8Array {
  const b = new Uint8Array(SEGMENT_HEADER_BYTES);
  const v = new DataView(b.buffer);
  v.setUint32(0, MAGIC, true);
  v.setUint16(4, FILE_VERSION, true);
  v.setFloat64(8, h.firstSeq, true);
  v.setUint32(16, h.count, true);
  v.setUint32(20, h.metaBytes, true);
  v.setUint32(24, h.rawBytes, true);
  v.setUint32(28, h.checksum, true);
  v.setFloat64(32, h.receivedMin, true);
  v.setFloat64(40, h.receivedMax, true);
  return b;
}

/** The header at `offset` of an open file, or undefined when it is not one (torn, zeroed, garbage). */
function readHeader(fd: number, file: number, offset: number, fileSize: number): SegmentHeader | undefined {
  if (offset + SEGMENT_HEADER_BYTES > fileSize) return undefined;
  const b = Buffer.allocUnsafe(SEGMENT_HEADER_BYTES);
  if (readSync(fd, b, 0, SEGMENT_HEADER_BYTES, offset) !== SEGMENT_HEADER_BYTES) return undefined;
  if (b.readUInt32LE(0) !== MAGIC || b.readUInt16LE(4) !== FILE_VERSION) return undefined;
  const h: SegmentHeader = {
    file,
    offset,
    firstSeq: b.readDoubleLE(8),
    count: b.readUInt32LE(16),
    metaBytes: b.readUInt32LE(20),
    rawBytes: b.readUInt32LE(24),
    checksum: b.readUInt32LE(28),
    receivedMin: b.readDoubleLE(32),
    receivedMax: b.readDoubleLE(40),
  };
  if (!Number.isSafeInteger(h.firstSeq) || h.firstSeq < 1 || h.count < 1) return undefined;
  if (offset + recordBytes(h) > fileSize) return undefined;
  return h;
}

/** Reads `length` bytes at `position` (a fresh buffer of its own; short read = error). */
function readAt(fd: number, position: number, length: number): Buffer {
  const b = Buffer.allocUnsafeSlow(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, b, done, length - done, position + done);
    if (n === 0) throw new Error(`frame log segment file: ${length - done} bytes missing at ${position + done}`);
    done += n;
  }
  return b;
}

interface OpenFile {
  base: number;
  fd: number;
  size: number;
  openedAt: number;
}

/**
 * Appends segments to the current file (the writer thread's only). A commit's segments are
 * written first (append), the index rows committed, then sync() makes the bytes durable; on a
 * failed index transaction rollback() cuts the file back to where the commit started.
 */
export class SegmentFileWriter {
  readonly dir: string;
  private current: OpenFile | undefined;
  /** Files written since the last sync (a rotation inside a commit leaves two). */
  private dirty: OpenFile[] = [];
  /** A file was created since the last sync: the directory entry must be synced too. */
  private created = false;
  /** Where the running commit started (file and size), for rollback. */
  private mark: { file: OpenFile; size: number } | undefined;

  constructor(
    dbPath: string,
    private readonly durable: boolean,
    private readonly limits = { maxBytes: FILE_MAX_BYTES, maxAgeMs: FILE_MAX_AGE_MS },
  ) {
    this.dir = segmentsDir(dbPath);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Continues the file `base` at `size` (recovery found its end there); cuts anything after. */
  resume(base: number, size: number): void {
    this.closeCurrent();
    const fd = openSync(join(this.dir, fileName(base)), 'r+');
    if (fstatSync(fd).size !== size) ftruncateSync(fd, size);
    this.current = { base, fd, size, openedAt: Date.now() };
  }

  /** Appends one segment; returns where it is. Starts a new file when the current one is full. */
  append(firstSeq: number, count: number, receivedMin: number, receivedMax: number, meta: Uint8Array, raw: Uint8Array): SegmentLocation {
    let f = this.current;
    if (!f || (f.size > 0 && (f.size + SEGMENT_HEADER_BYTES + meta.byteLength + raw.byteLength > this.limits.maxBytes || Date.now() - f.openedAt > this.limits.maxAgeMs))) {
      f = this.open(firstSeq);
    }
    if (!this.mark) this.mark = { file: f, size: f.size };
    const header = encodeHeader({ firstSeq, count, metaBytes: meta.byteLength, rawBytes: raw.byteLength, checksum: segmentChecksum(meta, raw), receivedMin, receivedMax });
    const total = SEGMENT_HEADER_BYTES + meta.byteLength + raw.byteLength;
    let written = writevSync(f.fd, [header, meta, raw], f.size);
    // writev may write less than asked (rare, e.g. a signal): finish from where it stopped.
    while (written < total) {
      const all = Buffer.concat([header, meta, raw]);
      written += writevSync(f.fd, [all.subarray(written)], f.size + written);
    }
    const loc = { file: f.base, offset: f.size, metaBytes: meta.byteLength, rawBytes: raw.byteLength };
    f.size += total;
    if (!this.dirty.includes(f)) this.dirty.push(f);
    return loc;
  }

  /** The file that appends go to (undefined before the first). */
  get currentBase(): number | undefined {
    return this.current?.base;
  }

  /** The commit's bytes are on disk (fdatasync; and the directory, for a new file). */
  sync(): void {
    if (!this.durable) return;
    for (const f of this.dirty) fdatasyncSync(f.fd);
    if (this.created) {
      const d = openSync(this.dir, 'r');
      try {
        fsyncSync(d);
      } finally {
        closeSync(d);
      }
      this.created = false;
    }
  }

  /** The commit's rows are in: its bytes stay (no rollback from here). */
  committed(): void {
    for (const f of this.dirty) if (f !== this.current) closeSync(f.fd);
    this.dirty = [];
    this.created = false;
    this.mark = undefined;
  }

  /** The commit failed: forget its bytes (the file is cut back to where it started). */
  rollback(): void {
    const m = this.mark;
    this.mark = undefined;
    this.created = false;
    if (!m) return;
    // Files started by this commit go; the one it started in is cut back.
    for (const f of this.dirty) {
      if (f === m.file) continue;
      closeSync(f.fd);
      unlinkSync(join(this.dir, fileName(f.base)));
    }
    this.dirty = [];
    this.current = m.file;
    ftruncateSync(m.file.fd, m.size);
    m.file.size = m.size;
  }

  /** Deletes one file (no segment row points into it: pruned, or nothing valid after a crash). */
  remove(base: number): void {
    if (this.current?.base === base) this.closeCurrent();
    unlinkSync(join(this.dir, fileName(base)));
  }

  close(): void {
    this.closeCurrent();
  }

  private open(base: number): OpenFile {
    // The previous file stays open until the commit's sync (it may hold unsynced bytes).
    const prev = this.current;
    if (prev && !this.dirty.includes(prev)) closeSync(prev.fd);
    const fd = openSync(join(this.dir, fileName(base)), 'w+');
    const f = { base, fd, size: 0, openedAt: Date.now() };
    this.current = f;
    this.created = true;
    return f;
  }

  private closeCurrent(): void {
    if (this.current && !this.dirty.includes(this.current)) closeSync(this.current.fd);
    this.current = undefined;
  }
}

/** Reads segments' bytes; file descriptors are kept open per file (a pruned file reads as gone). */
export class SegmentFileReader {
  private readonly fds = new Map<number, number>();

  constructor(readonly dir: string) {}

  /** meta and raw of a segment, or undefined when its file is gone (pruned meanwhile). */
  segment(loc: SegmentLocation): { meta: Buffer; raw: Buffer } | undefined {
    const fd = this.fd(loc.file);
    if (fd === undefined) return undefined;
    const b = readAt(fd, loc.offset + SEGMENT_HEADER_BYTES, loc.metaBytes + loc.rawBytes);
    return { meta: b.subarray(0, loc.metaBytes), raw: b.subarray(loc.metaBytes) };
  }

  meta(loc: SegmentLocation): Buffer | undefined {
    const fd = this.fd(loc.file);
    return fd === undefined ? undefined : readAt(fd, loc.offset + SEGMENT_HEADER_BYTES, loc.metaBytes);
  }

  /** Bytes [from, to) of a segment's raw. */
  raw(loc: SegmentLocation, from: number, to: number): Buffer | undefined {
    const fd = this.fd(loc.file);
    return fd === undefined ? undefined : readAt(fd, loc.offset + SEGMENT_HEADER_BYTES + loc.metaBytes + from, to - from);
  }

  /** Closes descriptors of files before `base` (deleted by a prune). */
  forgetBefore(base: number): void {
    for (const [f, fd] of this.fds) {
      if (f >= base) continue;
      closeSync(fd);
      this.fds.delete(f);
    }
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private fd(file: number): number | undefined {
    let fd = this.fds.get(file);
    if (fd !== undefined) {
      // Most recently used last.
      this.fds.delete(file);
      this.fds.set(file, fd);
      return fd;
    }
    try {
      fd = openSync(join(this.dir, fileName(file)), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    this.fds.set(file, fd);
    if (this.fds.size > READER_FDS) {
      const [oldest, ofd] = this.fds.entries().next().value as [number, number];
      closeSync(ofd);
      this.fds.delete(oldest);
    }
    return fd;
  }
}

/** A valid segment record of a file, with its bytes (recovery). */
export interface ScannedSegment {
  header: SegmentHeader;
  meta: Buffer;
  raw: Buffer;
}

/**
 * Reads and checks the segment at `offset` of file `base`: header, lengths and checksum; undefined
 * when it is not a whole, intact segment (the end of what was written).
 */
export function readSegmentAt(dir: string, base: number, offset: number): ScannedSegment | undefined {
  let fd: number;
  try {
    fd = openSync(join(dir, fileName(base)), 'r');
  } catch {
    return undefined;
  }
  try {
    const h = readHeader(fd, base, offset, fstatSync(fd).size);
    if (!h) return undefined;
    const b = readAt(fd, offset + SEGMENT_HEADER_BYTES, h.metaBytes + h.rawBytes);
    const meta = b.subarray(0, h.metaBytes);
    const raw = b.subarray(h.metaBytes);
    if (segmentChecksum(meta, raw) !== h.checksum) return undefined;
    return { header: h, meta, raw };
  } finally {
    closeSync(fd);
  }
}

/** The headers of a file in order, up to the first that is not a valid header (no checksums). */
export function* fileHeaders(dir: string, base: number): Generator<SegmentHeader> {
  let fd: number;
  try {
    fd = openSync(join(dir, fileName(base)), 'r');
  } catch {
    return;
  }
  try {
    const size = fstatSync(fd).size;
    for (let offset = 0; ; ) {
      const h = readHeader(fd, base, offset, size);
      if (!h) return;
      yield h;
      offset += recordBytes(h);
    }
  } finally {
    closeSync(fd);
  }
}
