// Drives the fleet's simulated clock without starving socket I/O. A simulated second is cut into
// chunks of vehicles (SecondStepper); the Pacer runs at most `maxChunksPerTurn` chunks and at most
// `sliceMs` of wall time per event-loop turn, then yields with setImmediate, so the poll phase (connects, login replies, platform commands)
// runs between chunks however far behind the clock is. When the requested speed exceeds what the
// CPU can do, the simulated clock slips (it lags at most `maxLagS` wall seconds) instead of
// catching up in one long burst.
//
// Why: Node ≥ 20 (libuv ≥ 1.45, "unix: don't accept() connections in a loop") accepts ONE
// connection per event-loop turn, and replies are only read in the poll phase. The old fleet ran
// up to 120 simulated seconds × 850 vehicles in one timer callback (seconds of blocking at
// --speed 60), so a whole fleet's login replies waited for a handful of loop turns.

/** Advances simulated seconds one chunk of items at a time. */
export class SecondStepper {
  /** Completed simulated seconds. */
  tS = 0;
  /** Next item of the second in progress (0: no second in progress). */
  private cursor = 0;
  /** Items run in total (tests check the per-turn bound with it). */
  itemsRun = 0;

  constructor(
    private readonly hooks: {
      count(): number;
      /** Start of second `tS` (before any item). */
      begin(tS: number): void;
      item(i: number, tS: number): void;
      /** End of second `tS` (after every item). */
      end(tS: number): void;
    },
    readonly chunk: number,
  ) {}

  /** True while a second has been started but not all of its items have run. */
  get midSecond(): boolean {
    return this.cursor > 0;
  }

  /** Runs at most `chunk` items (starting or finishing a second as needed). */
  runChunk(): void {
    const next = this.tS + 1;
    if (this.cursor === 0) this.hooks.begin(next);
    const n = this.hooks.count();
    const stop = Math.min(n, this.cursor + this.chunk);
    for (let i = this.cursor; i < stop; i++) this.hooks.item(i, next);
    this.itemsRun += stop - this.cursor;
    this.cursor = stop;
    if (this.cursor >= n) {
      this.hooks.end(next);
      this.tS = next;
      this.cursor = 0;
    }
  }
}

export interface PacerOptions {
  /** Simulated seconds per wall second. */
  speed: number;
  /** Longest run of chunks before yielding to I/O (default 8 ms). */
  sliceMs?: number;
  /** At most this many chunks per event-loop turn, however fast the CPU (default 4). */
  maxChunksPerTurn?: number;
  /** The clock never lags more than this many wall seconds behind the requested speed (default 2). */
  maxLagS?: number;
  /** Wall-clock wait when caught up (default 50 ms). */
  idleMs?: number;
}

export class Pacer {
  private anchorWall = performance.now();
  private anchorSim = 0;
  private readonly startWall = performance.now();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private stopped = false;
  /** Simulated seconds the clock gave up to stay within maxLagS (CPU too slow for the speed). */
  slippedS = 0;

  constructor(
    private readonly stepper: SecondStepper,
    private readonly o: PacerOptions,
  ) {
    this.schedule(true);
  }

  /** Simulated seconds per wall second actually achieved since the start. */
  get effectiveSpeed(): number {
    const wall = (performance.now() - this.startWall) / 1000;
    return wall > 0 ? this.stepper.tS / wall : 0;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
  }

  private schedule(behind: boolean): void {
    if (this.stopped) return;
    if (behind) this.immediate = setImmediate(() => this.pump());
    else this.timer = setTimeout(() => this.pump(), this.o.idleMs ?? 50);
  }

  private pump(): void {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.stopped) return;
    const s = this.stepper;
    const start = performance.now();
    const speed = this.o.speed;
    let due = Math.floor(this.anchorSim + ((start - this.anchorWall) / 1000) * speed);
    const maxLag = Math.max(1, (this.o.maxLagS ?? 2) * speed);
    if (due - s.tS > maxLag) {
      // Let the clock slip rather than burst: re-anchor so we are exactly maxLag behind.
      this.slippedS += due - s.tS - maxLag;
      this.anchorSim = s.tS + maxLag;
      this.anchorWall = start;
      due = s.tS + maxLag;
    }
    const slice = this.o.sliceMs ?? 8;
    const maxChunks = this.o.maxChunksPerTurn ?? 4;
    for (let n = 0; n < maxChunks && (s.tS < due || s.midSecond) && performance.now() - start < slice; n++) s.runChunk();
    this.schedule(s.tS < due || s.midSecond);
  }
}
