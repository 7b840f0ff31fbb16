// Group commit for small writes (store.db's registry upserts and session events, sqlite.ts).
//
// Every login used to commit twice on the gateway's main thread (registry row, then session event),
// each commit with its fsync and, while the store writer thread held store.db's write lock, its wait
// in busy_timeout: a few ms of blocked event loop per login, ~30 s for a reconnect storm of 10,000
// vehicles. Here the writes of one event-loop turn are queued and committed together at the end of
// the turn (setImmediate), in ONE transaction; writes made while a commit runs (an asynchronous
// committer) go into the next one. Each call's promise resolves only after its transaction
// committed, so nothing acknowledged can be lost; durability is the committer's (synchronous=FULL
// or NORMAL, unchanged).
//
// The committer returns one outcome per write: undefined = written, an Error = that write alone
// failed (e.g. a constraint; the statement was undone, the transaction went on). If it throws (or
// its promise rejects), nothing of the batch was committed and every call of the batch rejects.

/** undefined = written; an Error = this write failed and was not applied. */
export type WriteOutcome = Error | undefined;

/** Runs one transaction with `ops` in order. Throws / rejects when the whole batch failed. */
export type BatchCommitter<Op> = (ops: readonly Op[]) => readonly WriteOutcome[] | Promise<readonly WriteOutcome[]>;

export interface WriteBatchOptions {
  /** Writes per transaction at most (default 4,096); a larger queue is committed in several. */
  maxBatch?: number;
}

export interface WriteBatchStats {
  /** Transactions attempted (committed + failed). */
  batches: number;
  /** Of those, transactions that failed as a whole. */
  failedBatches: number;
  /** Writes submitted to a transaction, and those that failed (alone or with their batch). */
  writes: number;
  failedWrites: number;
  /** The largest batch so far. */
  largestBatch: number;
}

interface Waiter {
  /** Resolved once this many writes (counted from the start) have settled. */
  upTo: number;
  resolve: () => void;
}

interface Queued<Op> {
  op: Op;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class WriteBatch<Op> {
  private queue: Queued<Op>[] = [];
  private scheduled = false;
  /** The commit in progress, when the committer is asynchronous. */
  private running: Promise<void> | undefined;
  /** Writes added and settled so far (batches settle in order, so settled ones are a prefix). */
  private added = 0;
  private settled = 0;
  private waiters: Waiter[] = [];
  private readonly maxBatch: number;
  private readonly counters: WriteBatchStats = { batches: 0, failedBatches: 0, writes: 0, failedWrites: 0, largestBatch: 0 };

  constructor(
    private readonly commit: BatchCommitter<Op>,
    options: WriteBatchOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 4096);
  }

  /** Queues a write for the next group commit; resolves once its transaction has committed. */
  add(op: Op): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      this.added++;
      this.schedule();
    });
  }

  /** Writes not settled yet (queued, or in the transaction being committed). */
  get pending(): number {
    return this.added - this.settled;
  }

  get stats(): Readonly<WriteBatchStats> {
    return { ...this.counters };
  }

  /**
   * Commits everything queued now instead of at the end of the turn. With a synchronous committer
   * this is done when flush() returns (callers use it as a barrier before a statement that must
   * come after the queued writes); the promise resolves once every write queued before the call
   * has settled (never rejects: failures go to the writes' own promises; later writes are not
   * waited for).
   */
  flush(): Promise<void> {
    this.drain();
    if (this.settled >= this.added) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push({ upTo: this.added, resolve }));
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  /** Commits the queue in batches of maxBatch; an asynchronous commit takes one batch at a time. */
  private drain(): void {
    while (!this.running && this.queue.length > 0) {
      const batch = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
      this.queue = batch === this.queue ? [] : this.queue.slice(this.maxBatch);
      this.counters.batches++;
      this.counters.writes += batch.length;
      this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
      let outcome: readonly WriteOutcome[] | Promise<readonly WriteOutcome[]>;
      try {
        outcome = this.commit(batch.map((q) => q.op));
      } catch (err) {
        this.settle(batch, err);
        continue;
      }
      if (!isPromise(outcome)) {
        this.settle(batch, undefined, outcome);
        continue;
      }
      this.running = outcome.then(
        (results) => this.settle(batch, undefined, results),
        (err: unknown) => this.settle(batch, err),
      );
      void this.running.then(() => {
        this.running = undefined;
        // Writes queued during the commit form the next batch at once (pipelining).
        this.drain();
      });
    }
  }

  private settle(batch: readonly Queued<Op>[], failure: unknown, results?: readonly WriteOutcome[]): void {
    this.settleCalls(batch, failure, results);
    this.settled += batch.length;
    if (this.waiters.length === 0) return;
    const due = this.waiters.filter((w) => w.upTo <= this.settled);
    this.waiters = this.waiters.filter((w) => w.upTo > this.settled);
    for (const w of due) w.resolve();
  }

  private settleCalls(batch: readonly Queued<Op>[], failure: unknown, results?: readonly WriteOutcome[]): void {
    if (failure !== undefined || !results) {
      const err = failure instanceof Error ? failure : new Error(typeof failure === 'string' ? failure : 'write batch failed');
      this.counters.failedBatches++;
      this.counters.failedWrites += batch.length;
      for (const q of batch) q.reject(err);
      return;
    }
    batch.forEach((q, i) => {
      const err = results[i];
      if (err) {
        this.counters.failedWrites++;
        q.reject(err);
      } else q.resolve();
    });
  }
}

function isPromise<T>(x: T | Promise<T>): x is Promise<T> {
  return typeof (x as { then?: unknown } | null)?.then === 'function';
}
