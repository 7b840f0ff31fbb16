// The store consumer: reads the frame log from its durable cursor, decodes every raw frame and
// applies it to the telemetry store, and only then advances the cursor. A crash between the two
// replays the batch on restart; TelemetryStore.applyFrames is idempotent, so that is safe
// (at-least-once delivery + idempotent apply = each frame stored once).
import { decodeFrame, type DecodeOptions, type Frame } from '@nevhub/gbt32960';
import type { FrameLog } from '../log/types.js';
import type { TelemetryStore } from '../store/types.js';

/** What the store writer needs of the frame log (a reader connection is enough). */
export type StoreWriterLog = Pick<FrameLog, 'getCursor' | 'read' | 'setCursor'>;

export interface StoreWriterOptions {
  log: StoreWriterLog;
  store: TelemetryStore;
  /** Name of the durable cursor (default "store"). */
  cursor?: string;
  /** Log entries per batch (= per store transaction), default 500. */
  batchSize?: number;
  /** Poll interval when idle, in ms (default 200); notify() wakes the loop earlier. */
  pollMs?: number;
  /** Options for decodeFrame, e.g. the lenient quirks and keys the gateway accepted frames with. */
  decode?: DecodeOptions;
  /** Called when a batch fails; the loop waits pollMs and retries from the cursor. */
  onError?: (err: unknown) => void;
  /** Called after every batch that applied entries (stats are up to date). */
  onBatch?: () => void;
}

export interface StoreWriterStats {
  /** Log entries read and handled (applied or skipped). */
  entries: number;
  /** Entries whose raw frame did not decode (logged frames are accepted frames, so rare). */
  undecodable: number;
  batches: number;
  /** Cursor after the last batch. */
  cursor: number;
}

export class StoreWriter {
  readonly stats: StoreWriterStats = { entries: 0, undecodable: 0, batches: 0, cursor: 0 };
  private readonly log: StoreWriterLog;
  private readonly store: TelemetryStore;
  private readonly cursorName: string;
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly decodeOptions: DecodeOptions;
  private readonly onError: (err: unknown) => void;
  private readonly onBatch: () => void;
  /** Serialises batches: the loop and drain() never run one concurrently. */
  private chain: Promise<unknown> = Promise.resolve();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: StoreWriterOptions) {
    this.log = options.log;
    this.store = options.store;
    this.cursorName = options.cursor ?? 'store';
    this.batchSize = options.batchSize ?? 500;
    this.pollMs = options.pollMs ?? 200;
    this.decodeOptions = options.decode ?? {};
    this.onError = options.onError ?? (() => undefined);
    this.onBatch = options.onBatch ?? (() => undefined);
  }

  /** Starts the background loop (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops the loop after the batch in progress; resolves when it has stopped. */
  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
    this.loop = undefined;
  }

  /** Tells the loop that new entries were appended (the gateway calls it after append). */
  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    wake?.();
  }

  /** Processes batches until the cursor has caught up with the log; returns entries handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.step();
      total += n;
      if (n === 0) return total;
    }
  }

  /** Handles one batch from the cursor; returns how many entries it read. */
  step(): Promise<number> {
    const next = this.chain.then(() => this.batch());
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async batch(): Promise<number> {
    const after = await this.log.getCursor(this.cursorName);
    const entries = await this.log.read(after, this.batchSize);
    if (entries.length === 0) {
      this.stats.cursor = after;
      return 0;
    }
    const applied: { seq: number; receivedAt: number; frame: Frame }[] = [];
    for (const e of entries) {
      const frame = decodeFrame(e.raw, this.decodeOptions);
      if (!frame.ok) {
        // The gateway logged it, so it was accepted; an undecodable frame here means the decode
        // options differ. Skip it (the raw frame stays in the log for audit and re-processing).
        this.stats.undecodable++;
        continue;
      }
      applied.push({ seq: e.seq, receivedAt: e.receivedAt, frame });
    }
    await this.store.applyFrames(applied);
    const last = entries[entries.length - 1].seq;
    await this.log.setCursor(this.cursorName, last);
    this.stats.entries += entries.length;
    this.stats.batches++;
    this.stats.cursor = last;
    this.onBatch();
    return entries.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let n = 0;
      try {
        n = await this.step();
      } catch (err) {
        this.onError(err);
      }
      if (n > 0 || !this.running) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(() => this.notify(), this.pollMs);
      });
    }
  }
}
