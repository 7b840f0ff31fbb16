// Local storage while the link is down (spec §13: store, then reissue as 0x03 after recovery):
// bounded to the retention window (7 days for 2025, 3 days for 2016) and a count cap; the oldest
// records are overwritten when full.
import type { Snapshot } from '../vehicles/snapshot.js';

export class OfflineStore {
  private items: Snapshot[] = [];
  private head = 0;
  dropped = 0;

  constructor(
    private readonly retentionMs: number,
    private readonly maxItems: number,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  push(s: Snapshot): void {
    this.items.push(s);
    if (this.size > this.maxItems) {
      this.head++;
      this.dropped++;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Oldest record still within retention at `nowMs`, removed from the store. */
  shift(nowMs: number): Snapshot | undefined {
    while (this.head < this.items.length) {
      const s = this.items[this.head++];
      if (nowMs - s.timeMs <= this.retentionMs) return s;
      this.dropped++;
    }
    return undefined;
  }
}
