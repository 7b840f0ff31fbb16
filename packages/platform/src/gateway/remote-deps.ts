// The IPC between the gateway primary (cluster.ts) and its worker processes (cluster-worker.ts):
// a small request/response channel over node:cluster IPC (serialization 'advanced', so frames
// travel as Uint8Array), and the worker-side proxies of the gateway's dependencies (frame log,
// registry, session events) that forward every call to the primary, which owns them.
import type { GatewayConfig, PlatformAccount } from '../config/schema.js';
import type { FrameLog, LogEntry, NewLogEntry } from '../log/types.js';
import type { SessionEvent, SessionEventStore, VehicleRecord, VehicleRegistry } from '../store/types.js';

/** One call, result or notification. Many travel in one IPC message (see RpcEndpoint.flush). */
export type Envelope =
  | { k: 'q'; id: number; m: string; a: unknown[] }
  | { k: 'r'; id: number; v: unknown }
  | { k: 'x'; id: number; e: string }
  | { k: 'n'; m: string; a: unknown[] };

export interface ClusterMessage {
  nevhubGateway: 1;
  b: Envelope[];
}

export function isClusterMessage(msg: unknown): msg is ClusterMessage {
  return (
    typeof msg === 'object' &&
    msg !== null &&
    (msg as Partial<ClusterMessage>).nevhubGateway === 1 &&
    Array.isArray((msg as Partial<ClusterMessage>).b)
  );
}

/** Sends one message; the callback reports a closed channel (never an 'error' event). */
export type SendFn = (msg: ClusterMessage, done: (err: Error | null) => void) => void;

export type Handler = (...args: never[]) => unknown;

/** Envelopes handled per turn of the event loop (see RpcEndpoint.drain). */
const DISPATCH_SLICE = 256;

/** Thrown (rejected) for calls whose peer went away. */
export class ChannelClosedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ChannelClosedError';
  }
}

/**
 * Request/response over one IPC channel. Calls and notifications made in the same event-loop
 * turn are batched into one message (one serialisation, one write), flushed on setImmediate:
 * at many sessions per process this turns thousands of small messages into a few large ones.
 * Order is kept: envelopes are delivered in the order they were made.
 */
export class RpcEndpoint {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private outbox: Envelope[] = [];
  private scheduled = false;
  private inbox: Envelope[] = [];
  private inboxHead = 0;
  private draining = false;
  private closedReason: string | undefined;

  constructor(
    private readonly send: SendFn,
    private readonly handlers: Readonly<Record<string, Handler>>,
    /** A handler threw for a notification (no caller to tell), or a message could not be sent. */
    private readonly onError: (err: unknown, method: string) => void = () => undefined,
  ) {}

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Number of calls waiting for their result. */
  get inFlight(): number {
    return this.pending.size;
  }

  call<T>(method: string, ...args: unknown[]): Promise<T> {
    if (this.closedReason !== undefined) return Promise.reject(new ChannelClosedError(this.closedReason));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.push({ k: 'q', id, m: method, a: args });
    });
  }

  notify(method: string, ...args: unknown[]): void {
    if (this.closedReason !== undefined) return;
    this.push({ k: 'n', m: method, a: args });
  }

  /** Sends what is queued now; resolves once written to the channel. */
  flush(): Promise<void> {
    this.scheduled = false;
    if (this.outbox.length === 0 || this.closedReason !== undefined) return Promise.resolve();
    const b = this.outbox;
    this.outbox = [];
    return new Promise((resolve) => {
      try {
        this.send({ nevhubGateway: 1, b }, (err) => {
          if (err) this.close(`channel closed: ${err.message}`);
          resolve();
        });
      } catch (err) {
        // e.g. a value the serializer cannot clone: fail the calls of this batch, keep the channel.
        for (const e of b) {
          if (e.k !== 'q') continue;
          this.pending.get(e.id)?.reject(err as Error);
          this.pending.delete(e.id);
        }
        this.onError(err, 'send');
        resolve();
      }
    });
  }

  /** Handles one incoming message; false when it is not a gateway cluster message. */
  receive(msg: unknown): boolean {
    if (!isClusterMessage(msg)) return false;
    for (const e of msg.b) this.inbox.push(e);
    if (!this.draining) this.drain();
    return true;
  }

  /**
   * Handles queued envelopes in order, at most DISPATCH_SLICE per turn of the event loop: a
   * message can carry tens of thousands (every session of a worker ending at once), and handling
   * them in one go would stall this process (its other channels, the API) for seconds.
   */
  private drain(): void {
    this.draining = true;
    const end = Math.min(this.inbox.length, this.inboxHead + DISPATCH_SLICE);
    while (this.inboxHead < end) this.dispatch(this.inbox[this.inboxHead++]);
    if (this.inboxHead < this.inbox.length) {
      setImmediate(() => this.drain());
      return;
    }
    this.inbox = [];
    this.inboxHead = 0;
    this.draining = false;
  }

  /** Rejects every pending call and drops what is queued; later calls reject at once. */
  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.outbox = [];
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new ChannelClosedError(reason));
  }

  private push(e: Envelope): void {
    if (this.closedReason !== undefined) return;
    this.outbox.push(e);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  private dispatch(e: Envelope): void {
    switch (e.k) {
      case 'r':
      case 'x': {
        const p = this.pending.get(e.id);
        if (!p) return;
        this.pending.delete(e.id);
        if (e.k === 'r') p.resolve(e.v);
        else p.reject(new Error(e.e));
        return;
      }
      case 'q': {
        const id = e.id;
        let result: unknown;
        try {
          result = this.invoke(e.m, e.a);
        } catch (err) {
          this.push({ k: 'x', id, e: errorText(err) });
          return;
        }
        if (result instanceof Promise) {
          result.then(
            (v: unknown) => this.push({ k: 'r', id, v }),
            (err: unknown) => this.push({ k: 'x', id, e: errorText(err) }),
          );
        } else this.push({ k: 'r', id, v: result });
        return;
      }
      case 'n':
        try {
          const r = this.invoke(e.m, e.a);
          if (r instanceof Promise) r.catch((err: unknown) => this.onError(err, e.m));
        } catch (err) {
          this.onError(err, e.m);
        }
        return;
    }
  }

  private invoke(method: string, args: unknown[]): unknown {
    const h = Object.hasOwn(this.handlers, method) ? this.handlers[method] : undefined;
    if (!h) throw new Error(`unknown gateway cluster call ${method}`);
    return (h as (...a: unknown[]) => unknown)(...args);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------------------------
// Worker side: the gateway's dependencies as proxies of the primary's.

/**
 * The frame log of a gateway worker: append goes to the primary, which resolves it only once its
 * log has made the entries durable, so a worker still answers a terminal only after that.
 */
export class RemoteFrameLog implements FrameLog {
  constructor(private readonly rpc: RpcEndpoint) {}

  append(entries: readonly NewLogEntry[]): Promise<number[]> {
    return this.rpc.call<number[]>('log.append', entries);
  }
  read(afterSeq: number, limit: number): Promise<LogEntry[]> {
    return this.rpc.call<LogEntry[]>('log.read', afterSeq, limit);
  }
  readVin(vin: string, afterSeq: number, limit: number): Promise<LogEntry[]> {
    return this.rpc.call<LogEntry[]>('log.readVin', vin, afterSeq, limit);
  }
  getCursor(name: string): Promise<number> {
    return this.rpc.call<number>('log.getCursor', name);
  }
  lastSeq(): Promise<number> {
    return this.rpc.call<number>('log.lastSeq');
  }
  /** Cursors and retention belong to the primary's consumers. */
  setCursor(): Promise<void> {
    return Promise.reject(new Error('setCursor is not available in a gateway worker'));
  }
  prune(): Promise<number> {
    return Promise.reject(new Error('prune is not available in a gateway worker'));
  }
  /** The primary's log stays open: it closes it after every worker has stopped. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Registry and session events of a gateway worker, kept by the primary's store. */
export class RemoteStore implements VehicleRegistry, SessionEventStore {
  constructor(private readonly rpc: RpcEndpoint) {}

  getVehicle(vin: string): Promise<VehicleRecord | undefined> {
    return this.rpc.call<VehicleRecord | undefined>('registry.getVehicle', vin);
  }
  upsertVehicle(v: Partial<VehicleRecord> & { vin: string }): Promise<VehicleRecord> {
    return this.rpc.call<VehicleRecord>('registry.upsertVehicle', v);
  }
  listVehicles(filter?: { vehicleType?: string; powertrain?: string; text?: string }): Promise<VehicleRecord[]> {
    return this.rpc.call<VehicleRecord[]>('registry.listVehicles', filter);
  }
  deleteVehicle(vin: string): Promise<boolean> {
    return this.rpc.call<boolean>('registry.deleteVehicle', vin);
  }
  recordSessionEvent(ev: SessionEvent): Promise<void> {
    return this.rpc.call<undefined>('events.record', ev);
  }
  sessionEvents(vin: string, fromMs: number, toMs: number, limit?: number): Promise<SessionEvent[]> {
    return this.rpc.call<SessionEvent[]>('events.list', vin, fromMs, toMs, limit);
  }
}

// ---------------------------------------------------------------------------------------------
// What the primary tells a worker at start (the `init` call).

export interface WorkerInit {
  /** Slot 0…processes-1 (a restarted worker takes its predecessor's slot). */
  index: number;
  /** The gateway configuration of this worker: port to share, per-worker admission bounds. */
  gateway: GatewayConfig;
  platforms: PlatformAccount[];
  downlink: { timeoutSec: number; attempts: number };
  /** Level of the worker's own pino logger (JSON lines on the shared stdout). */
  logLevel: string;
  /** How often the worker pushes its counters to the primary. */
  metricsIntervalMs: number;
}
