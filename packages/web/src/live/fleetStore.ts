// Live fleet state, traccar-web style: WebSocket updates are merged per VIN into `pending` (only
// the newest update per vehicle survives) and flushed to listeners on an adaptive timer, so a
// burst from thousands of vehicles costs one setData per interval, not one per message.
import type { LiveEvent, PositionUpdate, VehicleSummary } from '../api/types.js';

type Listener = () => void;

export const FLUSH_MIN_MS = 500;
export const FLUSH_MAX_MS = 1000;

/** Next flush interval: grows with what the last flush cost (listeners + setData) and its size. */
export function nextFlushInterval(lastCostMs: number, updatedCount: number): number {
  const wanted = FLUSH_MIN_MS + lastCostMs * 10 + updatedCount / 10;
  return Math.round(Math.min(FLUSH_MAX_MS, Math.max(FLUSH_MIN_MS, wanted)));
}

export class FleetStore {
  private readonly vehicles = new Map<string, VehicleSummary>();
  private readonly pending = new Map<string, PositionUpdate>();
  private readonly listeners = new Set<Listener>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private cachedList: VehicleSummary[] = [];
  private cachedVersion = -1;
  /** Bumped on every change that listeners should see; React reads it via useSyncExternalStore. */
  version = 0;
  flushIntervalMs = FLUSH_MIN_MS;
  lastFlushAt = 0;
  lastFlushCostMs = 0;

  /** Replace the whole state (REST snapshot, e.g. after the socket reconnects). */
  load(items: VehicleSummary[]): void {
    this.vehicles.clear();
    for (const v of items) this.vehicles.set(v.vin, v);
    // Updates that arrived before the snapshot are older than it only if timestamps say so;
    // positions carry none, so keep them: they are at most one tick old.
    this.flush();
  }

  applyPositions(updates: PositionUpdate[]): void {
    for (const u of updates) this.pending.set(u.vin, u);
  }

  get(vin: string): VehicleSummary | undefined {
    return this.vehicles.get(vin);
  }

  get size(): number {
    return this.vehicles.size;
  }

  list(): VehicleSummary[] {
    if (this.cachedVersion !== this.version) {
      this.cachedList = [...this.vehicles.values()];
      this.cachedVersion = this.version;
    }
    return this.cachedList;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      if (this.pending.size > 0) this.flush();
      this.timer = setTimeout(tick, this.flushIntervalMs);
    };
    this.timer = setTimeout(tick, this.flushIntervalMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  flush(): void {
    const started = performance.now();
    const updated = this.pending.size;
    const now = Date.now();
    for (const u of this.pending.values()) {
      const prev = this.vehicles.get(u.vin);
      if (!prev) continue; // unknown VIN: the next REST refresh brings its static fields
      this.vehicles.set(u.vin, {
        ...prev,
        lon: u.lon ?? prev.lon,
        lat: u.lat ?? prev.lat,
        speedKmh: u.speedKmh,
        socPct: u.socPct ?? prev.socPct,
        status: u.status,
        online: u.status !== 'offline',
        alarmLevel: u.alarmLevel,
        at: now,
      });
    }
    this.pending.clear();
    this.version++;
    for (const fn of this.listeners) fn();
    this.lastFlushAt = now;
    this.lastFlushCostMs = performance.now() - started;
    this.flushIntervalMs = nextFlushInterval(this.lastFlushCostMs, updated);
  }
}

/** The most recent live events (newest first), bounded. */
export class EventLog {
  private items: LiveEvent[] = [];
  private readonly listeners = new Set<Listener>();
  constructor(private readonly max = 50) {}

  push(e: LiveEvent): void {
    this.items = [e, ...this.items].slice(0, this.max);
    for (const fn of this.listeners) fn();
  }

  list(): LiveEvent[] {
    return this.items;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}
