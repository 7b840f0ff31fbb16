// Stream framing (spec §1, "Stream handling"): TCP delivers frames concatenated ("sticky") or split
// across reads. A frame is start(2) + 22 header bytes + L + BCC, so after the 24-byte header the
// splitter jumps straight to the end of the frame; it never parses byte by byte except while
// resynchronising after garbage. BCC is not checked here (decodeFrame does, spec §1 BCC).
import { FRAME_OVERHEAD, HEADER_LENGTH, MAX_DATA_LENGTH, START_2016, START_2025 } from './frame.js';

export interface SplitError {
  code: 'GBT_ERR_BUFFER_LIMIT' | 'GBT_ERR_LENGTH';
  message: string;
}

export interface FrameSplitterOptions {
  /** Largest frame accepted, in bytes; default 25 + 65531 (spec §1: L is at most 65531). */
  maxFrameLength?: number;
  /** Largest partial frame held between pushes; default 1 MiB. */
  maxBufferedBytes?: number;
  /** Called with the number of bytes skipped each time garbage is dropped while resynchronising. */
  onGarbage?: (count: number) => void;
}

/** Total frame length 25 + L (spec §1). */
const DEFAULT_MAX_FRAME = FRAME_OVERHEAD + MAX_DATA_LENGTH;
const DEFAULT_MAX_BUFFERED = 1024 * 1024;

function isStart(byte: number): boolean {
  return byte === START_2016 || byte === START_2025;
}

/**
 * Cheap plausibility of a 24-byte header found while scanning (BCC is left to decodeFrame): the
 * command byte is not 0x23/0x24 (reserved upstream IDs, spec §3 — so "###" is a stray "#" before a
 * frame), the response flag is a defined code 0x01–0x07 or 0xFE (spec §4), and the encryption byte
 * is 0x01–0x05, 0xFE, 0xFF (spec §5) or 0x00 (a quirk seen in real traffic, spec §15.5).
 */
function plausibleHeader(b: Uint8Array, p: number): boolean {
  const command = b[p + 2];
  if (command === START_2016 || command === START_2025) return false;
  const response = b[p + 3];
  if (response !== 0xfe && (response < 0x01 || response > 0x07)) return false;
  const encryption = b[p + 21];
  return encryption <= 0x05 || encryption >= 0xfe;
}

/**
 * Cuts a TCP byte stream into complete GB/T 32960 frames (pg-protocol's shape: one buffer, two
 * cursors, adopt the chunk when nothing is left over).
 *
 * Frames are passed to `onFrame` as **views**: a frame that lies wholly inside the pushed chunk is a
 * `subarray` of that chunk (no copy); a frame completed from a buffered tail is a view of the
 * splitter's own buffer. Either way a view is valid only until the next `push` (or until the caller
 * reuses its chunk): copy (`frame.slice()`) whatever you keep beyond the callback. Only the leftover
 * tail of a chunk — an incomplete frame — is copied into the splitter.
 *
 * Garbage before a frame is skipped by scanning for "##" (2016) or "$$" (2025); a header whose
 * length field exceeds 65531 (spec §1), or whose command, response or encryption byte is
 * implausible (see plausibleHeader), is garbage too. Skipped bytes are counted in `skippedBytes`.
 * `push` returns a SplitError when a cap is exceeded; the buffered bytes are then dropped and the
 * connection should be closed.
 */
export class FrameSplitter {
  private readonly maxFrameLength: number;
  private readonly maxBufferedBytes: number;
  private readonly onGarbage: ((count: number) => void) | undefined;
  /** Holds the leftover tail: an incomplete frame starting at offset 0 (or a lone start byte). */
  private buf = new Uint8Array(0);
  private len = 0;
  private skipped = 0;
  /** A view of `buf` was handed out during this push: the next write must use a fresh buffer. */
  private lent = false;

  constructor(options: FrameSplitterOptions = {}) {
    this.maxFrameLength = options.maxFrameLength ?? DEFAULT_MAX_FRAME;
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED;
    this.onGarbage = options.onGarbage;
  }

  /** Bytes held from earlier chunks (the start of an incomplete frame). */
  get buffered(): number {
    return this.len;
  }

  /** Garbage bytes dropped so far while resynchronising. */
  get skippedBytes(): number {
    return this.skipped;
  }

  /** Drops any buffered bytes (e.g. after a reconnect). The garbage counter is kept. */
  reset(): void {
    this.len = 0;
    if (this.buf.length > 64 * 1024) this.buf = new Uint8Array(0);
  }

  push(chunk: Uint8Array, onFrame: (frame: Uint8Array) => void): SplitError | undefined {
    let pos = 0;
    this.lent = false;
    // Complete the buffered frame first, taking from the chunk only the bytes it still needs.
    if (this.len > 0 && pos < chunk.length) {
      const lend = (frame: Uint8Array): void => {
        this.lent = true;
        onFrame(frame);
      };
      while (this.len > 0 && pos < chunk.length) {
        const take = Math.min(this.needed(), chunk.length - pos);
        this.append(chunk, pos, pos + take);
        pos += take;
        const r = this.scan(this.buf, 0, this.len, lend);
        if (typeof r !== 'number') return this.failed(r);
        if (r === this.len) this.len = 0;
        else if (r > 0) {
          this.own();
          this.buf.copyWithin(0, r, this.len);
          this.len -= r;
        }
      }
    }
    if (pos >= chunk.length) return this.checkBuffered();
    // Nothing buffered: whole frames are emitted as views of the chunk itself.
    const r = this.scan(chunk, pos, chunk.length, onFrame);
    if (typeof r !== 'number') return this.failed(r);
    if (r < chunk.length) {
      this.len = 0;
      this.append(chunk, r, chunk.length);
    }
    return this.checkBuffered();
  }

  /** How many more bytes the buffered tail needs before it can be scanned again (always ≥ 1). */
  private needed(): number {
    if (this.len < HEADER_LENGTH) return HEADER_LENGTH - this.len;
    const total = FRAME_OVERHEAD + ((this.buf[22] << 8) | this.buf[23]);
    return Math.max(1, total - this.len);
  }

  /** Before writing to `buf`: if a view of it was handed out in this push, move to a new buffer. */
  private own(): void {
    if (!this.lent) return;
    const next = new Uint8Array(Math.max(256, this.buf.length));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.lent = false;
  }

  private append(src: Uint8Array, start: number, end: number): void {
    this.own();
    const n = end - start;
    if (this.len + n > this.buf.length) {
      let size = Math.max(256, this.buf.length * 2);
      while (size < this.len + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(src.subarray(start, end), this.len);
    this.len += n;
  }

  /**
   * Emits every complete frame in b[p, end) and returns the offset of the unconsumed tail (which
   * starts at a frame start or a lone start byte), or a SplitError.
   */
  private scan(
    b: Uint8Array,
    p: number,
    end: number,
    onFrame: (frame: Uint8Array) => void,
  ): number | SplitError {
    while (p < end) {
      const first = b[p];
      if (!isStart(first) || (p + 1 < end && b[p + 1] !== first)) {
        p = this.resync(b, p + 1, end, 1);
        continue;
      }
      if (end - p < HEADER_LENGTH) return p;
      const dataLength = (b[p + 22] << 8) | b[p + 23];
      if (dataLength > MAX_DATA_LENGTH || !plausibleHeader(b, p)) {
        // Not a header: a length above 65531 cannot occur (spec §1), so "##"/"$$" was garbage.
        p = this.resync(b, p + 1, end, 1);
        continue;
      }
      const total = FRAME_OVERHEAD + dataLength;
      if (total > this.maxFrameLength) {
        return {
          code: 'GBT_ERR_LENGTH',
          message: `frame of ${total} bytes (L=${dataLength}) exceeds the ${this.maxFrameLength}-byte limit`,
        };
      }
      if (end - p < total) return p;
      onFrame(b.subarray(p, p + total));
      p += total;
    }
    return p;
  }

  /** Skips from `from` to the next candidate start byte; `already` bytes were dropped before it. */
  private resync(b: Uint8Array, from: number, end: number, already: number): number {
    let i = from;
    while (i < end) {
      const c = b[i];
      if (isStart(c) && (i + 1 >= end || b[i + 1] === c)) break;
      i++;
    }
    const count = already + (i - from);
    this.skipped += count;
    this.onGarbage?.(count);
    return i;
  }

  private checkBuffered(): SplitError | undefined {
    if (this.len <= this.maxBufferedBytes) return undefined;
    const n = this.len;
    this.reset();
    return {
      code: 'GBT_ERR_BUFFER_LIMIT',
      message: `${n} bytes buffered without a complete frame (limit ${this.maxBufferedBytes})`,
    };
  }

  private failed(e: SplitError): SplitError {
    this.reset();
    return e;
  }
}
