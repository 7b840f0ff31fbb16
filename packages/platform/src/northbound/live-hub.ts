// The live hub: consumers feed it the latest state of vehicles (`update`) and events (`event`);
// it fans them out to WebSocket clients. Positions are coalesced per vehicle and sent once per
// tick (1 s default) as one shared JSON string, so 10,000 vehicles reporting every 10 s cost each
// client ~1,000 entries a second, not 1,000 messages.
//
// Slow clients: before each send the client's `bufferedAmount` (bytes queued in the socket, not yet
// written) is checked against `maxBufferedBytes` (4 MiB). Over the cap, the client is skipped for
// that tick and marked stale; when it drains, it gets a full snapshot instead of the missed deltas.
// A client skipped for `maxSkippedTicks` ticks in a row (10) is closed with 1013 "try again later";
// the dashboard then refetches over REST and reconnects. Events for an over-cap client are dropped.
import type { LatestState } from '../store/types.js';
import { deriveStatus, RefuelTracker, type VehicleStatus } from '../api/status.js';
import { DailyTotals } from './daily-totals.js';

export interface LivePosition {
  vin: string;
  lon: number | null;
  lat: number | null;
  speedKmh: number | null;
  socPct: number | null;
  status: VehicleStatus;
  alarmLevel: number | null;
  /** Collection time of the data, epoch ms. */
  at: number | null;
}

export interface LiveEvent {
  /** login | logout | offline | alarm | ... */
  kind: string;
  vin: string;
  at: number;
  level?: number;
  flags?: string[];
}

export type LiveMessage = { type: 'positions'; at: number; vehicles: LivePosition[] } | { type: 'event'; event: LiveEvent };

/** What the hub needs of a client socket (a `ws` WebSocket fits). */
export interface LiveClient {
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface LiveHubOptions {
  /** Fan-out period, ms (default 500). */
  tickMs?: number;
  maxBufferedBytes?: number;
  maxSkippedTicks?: number;
  /** A vehicle with no data for this long is shown offline (no logout seen), default 5 min. */
  offlineAfterMs?: number;
  now?: () => number;
}

interface ClientState {
  stale: boolean;
  skipped: number;
}

type State = Partial<LatestState> & { vin: string };

export class LiveHub {
  readonly tickMs: number;
  private readonly maxBufferedBytes: number;
  private readonly maxSkippedTicks: number;
  private readonly offlineAfterMs: number;
  private readonly now: () => number;
  private readonly states = new Map<string, State>();
  private readonly positions = new Map<string, LivePosition>();
  private dirty = new Set<string>();
  private readonly clients = new Map<LiveClient, ClientState>();
  private timer: NodeJS.Timeout | undefined;
  readonly refuel = new RefuelTracker();
  readonly totals = new DailyTotals();
  /** Counters for tests and metrics. */
  readonly stats = { ticks: 0, skippedSends: 0, droppedClients: 0, droppedEvents: 0 };

  constructor(options: LiveHubOptions = {}) {
    // 500 ms: an update waits at most one tick, so clients see it well within the 1 s target.
    this.tickMs = options.tickMs ?? 500;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.maxSkippedTicks = options.maxSkippedTicks ?? 10;
    this.offlineAfterMs = options.offlineAfterMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Merges a (partial) latest state of one vehicle; it goes out on the next tick. */
  update(s: State): void {
    const prev = this.states.get(s.vin);
    const next: State = prev ? { ...prev } : { vin: s.vin };
    for (const [k, v] of Object.entries(s)) if (v !== undefined) (next as Record<string, unknown>)[k] = v;
    this.totals.add(prev, next);
    if (next.at !== undefined) this.refuel.observe(s.vin, next.h2RemainingPct, next.at);
    this.states.set(s.vin, next);
    this.positions.set(s.vin, this.positionOf(next));
    this.dirty.add(s.vin);
  }

  /** The merged state of one vehicle, when the hub has seen it. */
  state(vin: string): State | undefined {
    return this.states.get(vin);
  }

  isRefuelling(vin: string): boolean {
    return this.refuel.isRefuelling(vin, this.now());
  }

  /** Sends an event to every client now (events are rare and should not wait for a tick). */
  event(ev: LiveEvent): void {
    const text = JSON.stringify({ type: 'event', event: ev } satisfies LiveMessage);
    for (const [c, st] of this.clients) {
      if (c.bufferedAmount > this.maxBufferedBytes) {
        st.stale = true;
        this.stats.droppedEvents++;
        continue;
      }
      c.send(text);
    }
  }

  /** Adds a client; it first receives every known vehicle. Returns the function that removes it. */
  addClient(c: LiveClient): () => void {
    this.clients.set(c, { stale: false, skipped: 0 });
    c.send(this.snapshotText());
    return () => this.clients.delete(c);
  }

  snapshot(): LivePosition[] {
    return [...this.positions.values()];
  }

  /** One tick: marks silent vehicles offline and sends what changed. */
  flush(): void {
    this.stats.ticks++;
    const now = this.now();
    for (const s of this.states.values()) {
      if (s.online && s.receivedAt !== undefined && now - s.receivedAt > this.offlineAfterMs) {
        this.update({ vin: s.vin, online: false });
        this.event({ kind: 'offline', vin: s.vin, at: now });
      }
    }
    const changed = this.dirty;
    this.dirty = new Set();
    let deltaText: string | undefined;
    let fullText: string | undefined;
    for (const [c, st] of this.clients) {
      if (c.bufferedAmount > this.maxBufferedBytes) {
        st.stale = true;
        st.skipped++;
        this.stats.skippedSends++;
        if (st.skipped >= this.maxSkippedTicks) {
          this.clients.delete(c);
          this.stats.droppedClients++;
          c.close(1013, 'client too slow for the live stream');
        }
        continue;
      }
      st.skipped = 0;
      if (st.stale) {
        st.stale = false;
        c.send((fullText ??= this.snapshotText(now)));
      } else if (changed.size > 0) {
        deltaText ??= JSON.stringify({
          type: 'positions',
          at: now,
          vehicles: [...changed].map((vin) => this.positions.get(vin)!),
        } satisfies LiveMessage);
        c.send(deltaText);
      }
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), this.tickMs);
    this.timer.unref();
  }

  /** Stops ticking and closes every client (1001 going away). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const c of this.clients.keys()) c.close(1001, 'server shutting down');
    this.clients.clear();
  }

  private snapshotText(now = this.now()): string {
    return JSON.stringify({ type: 'positions', at: now, vehicles: this.snapshot() } satisfies LiveMessage);
  }

  private positionOf(s: State): LivePosition {
    return {
      vin: s.vin,
      lon: s.lon ?? null,
      lat: s.lat ?? null,
      speedKmh: s.speedKmh ?? null,
      socPct: s.socPct ?? null,
      status: deriveStatus(s, s.at !== undefined && this.refuel.isRefuelling(s.vin, this.now())),
      alarmLevel: s.alarmLevel ?? null,
      at: s.at ?? null,
    };
  }
}
