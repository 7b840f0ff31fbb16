// In-memory FrameLog: for tests and the null benchmark (no I/O, so it measures everything but
// the disk). "Durable" here means "visible to every later read of the same MemoryLogState":
// passing the state of a closed log to a new MemoryFrameLog simulates a reopen.
import { LogClosedError, LogFullError } from './errors.js';
import type { FrameLog, LogEntry, NewLogEntry } from './types.js';

/** The storage behind a MemoryFrameLog; share it between instances to simulate a reopen. */
export interface MemoryLogState {
  entries: LogEntry[];
  cursors: Map<string, number>;
  /** Highest seq ever assigned (kept across prune so seqs never go back). */
  highSeq: number;
}

export function newMemoryLogState(): MemoryLogState {
  return { entries: [], cursors: new Map(), highSeq: 0 };
}

export interface MemoryFrameLogOptions {
  state?: MemoryLogState;
  /** Reject appends with LogFullError beyond this many entries in one call (default: no limit). */
  maxPending?: number;
}

export class MemoryFrameLog implements FrameLog {
  readonly state: MemoryLogState;
  private readonly maxPending: number;
  private closed = false;

  constructor(options: MemoryFrameLogOptions = {}) {
    this.state = options.state ?? newMemoryLogState();
    this.maxPending = options.maxPending ?? Number.POSITIVE_INFINITY;
  }

  append(entries: readonly NewLogEntry[]): Promise<number[]> {
    if (this.closed) return Promise.reject(new LogClosedError());
    if (entries.length > this.maxPending) return Promise.reject(new LogFullError(entries.length, this.maxPending));
    const seqs: number[] = [];
    for (const e of entries) {
      const seq = ++this.state.highSeq;
      // Copy raw: the gateway hands us splitter views that are valid only until its next push.
      this.state.entries.push({ ...e, seq, raw: Uint8Array.from(e.raw) });
      seqs.push(seq);
    }
    return Promise.resolve(seqs);
  }

  read(afterSeq: number, limit: number): Promise<LogEntry[]> {
    if (this.closed) return Promise.reject(new LogClosedError());
    const all = this.state.entries;
    const out: LogEntry[] = [];
    for (let i = firstAfter(all, afterSeq); i < all.length && out.length < limit; i++) out.push(all[i]);
    return Promise.resolve(out);
  }

  readVin(vin: string, afterSeq: number, limit: number): Promise<LogEntry[]> {
    if (this.closed) return Promise.reject(new LogClosedError());
    const all = this.state.entries;
    const out: LogEntry[] = [];
    for (let i = firstAfter(all, afterSeq); i < all.length && out.length < limit; i++) {
      if (all[i].vin === vin) out.push(all[i]);
    }
    return Promise.resolve(out);
  }

  getCursor(name: string): Promise<number> {
    if (this.closed) return Promise.reject(new LogClosedError());
    return Promise.resolve(this.state.cursors.get(name) ?? 0);
  }

  setCursor(name: string, seq: number): Promise<void> {
    if (this.closed) return Promise.reject(new LogClosedError());
    this.state.cursors.set(name, seq);
    return Promise.resolve();
  }

  lastSeq(): Promise<number> {
    if (this.closed) return Promise.reject(new LogClosedError());
    return Promise.resolve(this.state.highSeq);
  }

  prune(beforeMs: number): Promise<number> {
    if (this.closed) return Promise.reject(new LogClosedError());
    const before = this.state.entries.length;
    this.state.entries = this.state.entries.filter((e) => e.receivedAt >= beforeMs);
    return Promise.resolve(before - this.state.entries.length);
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** Index of the first entry with seq > afterSeq (entries are sorted by seq). */
function firstAfter(entries: readonly LogEntry[], afterSeq: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid].seq <= afterSeq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
