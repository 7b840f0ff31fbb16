// The multi-process gateway (gateway.processes > 1), primary side. node:cluster forks N worker
// processes (cluster-worker.ts) that share the gateway port; the primary accepts and hands each
// connection to a worker in turn (round robin, Node's default on Linux), so every worker holds
// only its own sockets — the way past one process's open-files limit, and onto every core.
//
// The primary keeps everything durable or global, exactly as one process does: the frame log,
// the store and the store writer stay here and the workers reach them over IPC (remote-deps.ts).
// - durable before reply: a worker's append resolves only after this log's append resolved;
// - one live session per VIN across every worker: the VIN → session map is here, and claims are
//   answered one at a time (duplicateLogin 'replace' tells the holder's worker to close it,
//   'reject' refuses the newcomer with 0x03);
// - presence and session events are written here; downlink goes to the VIN's worker;
// - a worker that dies is restarted; its sessions are lost and their VINs go offline.
//
// The API sees the same surface as a single Gateway (GatewayService).
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { defaultConfig, type GatewayConfig, type PlatformAccount } from '../config/schema.js';
import type { FrameLog, NewLogEntry } from '../log/types.js';
import type { SessionEvent, SessionEventStore, VehicleRecord, VehicleRegistry } from '../store/types.js';
import type { DownlinkOptions, DownlinkOutcome, DownlinkRequest } from './downlink.js';
import type { VinClaimResult } from './host.js';
import { newMetrics, type GatewayMetrics } from './metrics.js';
import { ChannelClosedError, RpcEndpoint, type Handler, type WorkerInit } from './remote-deps.js';
import type { Gateway } from './server.js';

/** What the platform and the API use of a gateway; both Gateway and ClusterGateway have it. */
export type GatewayService = Pick<
  Gateway,
  'listen' | 'port' | 'onlineVins' | 'sendCommand' | 'metrics' | 'sessionCount' | 'close'
>;

export interface ClusterGatewayInit {
  /** Worker processes (≥ 1; 1 still runs the gateway in a worker). */
  processes: number;
  gateway?: Partial<GatewayConfig>;
  /** Lower-platform accounts; a live array (api PlatformAccounts.forGateway): changes reach the workers within a second. */
  platforms?: PlatformAccount[];
  downlink?: { timeoutSec?: number; attempts?: number };
  log: FrameLog;
  registry: VehicleRegistry;
  events: SessionEventStore;
  logger?: Logger;
  /** Called after every append a worker asked for (e.g. StoreWriter.notify). */
  onAppended?: () => void;
  /** Called when a VIN comes online (a login anywhere) or goes offline (its live session ended). */
  onPresence?: (vin: string, online: boolean, at: number) => void;
  /** Level of the workers' pino loggers (default: the level of `logger`). */
  logLevel?: string;
  /** How often each worker pushes its counters here (default 1000 ms); metrics() sums the latest. */
  metricsIntervalMs?: number;
  /** Delay before restarting a dead worker (default 500 ms), doubled per quick death up to 10 s. */
  restartDelayMs?: number;
}

interface Slot {
  readonly index: number;
  worker: Worker | undefined;
  rpc: RpcEndpoint | undefined;
  /** Listening (its init call returned). */
  ready: boolean;
  metrics: GatewayMetrics | undefined;
  sessions: number;
  startedAt: number;
  /** Consecutive deaths soon after start (restart backoff). */
  crashes: number;
  /** Last message to or from the current worker (the stop timeout counts silence, not duration). */
  lastTrafficAt: number;
  restartTimer: NodeJS.Timeout | undefined;
}

interface Owner {
  slot: Slot;
  worker: Worker;
  sessionId: string;
  peer: string;
}

type Address = Awaited<ReturnType<Gateway['listen']>>;

const START_TIMEOUT_MS = 60_000;
/** A closing worker whose channel has been silent this long is killed (one still recording its sessions' ends is not). */
const STOP_SILENCE_MS = 15_000;
const EXIT_TIMEOUT_MS = 5_000;
const PLATFORMS_POLL_MS = 1_000;

/** The worker's flags: the primary's, minus a tsx loader (cluster-entry.mjs registers tsx itself). */
function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--import' || a === '--loader' || a === '--experimental-loader') && argv[i + 1] === 'tsx') {
      i++;
      continue;
    }
    if (a === '--import=tsx' || a === '--loader=tsx') continue;
    out.push(a);
  }
  return out;
}

/** Adds `m` into `total`: numbers and per-key records are summed, histogram bucket bounds kept. */
export function addMetrics(total: GatewayMetrics, m: GatewayMetrics): GatewayMetrics {
  const add = (t: Record<string, unknown>, s: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(s)) {
      if (typeof v === 'number') t[k] = ((t[k] as number | undefined) ?? 0) + v;
      else if (Array.isArray(v)) {
        if (k === 'buckets') continue; // bounds, identical in every process
        const arr = (t[k] as number[] | undefined) ?? [];
        v.forEach((x: unknown, i) => {
          if (typeof x === 'number') arr[i] = (arr[i] ?? 0) + x;
        });
        t[k] = arr;
      } else if (typeof v === 'object' && v !== null) {
        t[k] ??= {};
        add(t[k] as Record<string, unknown>, v as Record<string, unknown>);
      }
    }
  };
  add(total as unknown as Record<string, unknown>, m as unknown as Record<string, unknown>);
  return total;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class ClusterGateway implements GatewayService {
  readonly config: GatewayConfig;
  readonly processes: number;
  private readonly slots: Slot[];
  private readonly owners = new Map<string, Owner>();
  private readonly logger: Logger;
  private readonly init: ClusterGatewayInit;
  /** Counters of this process (downlink to VINs online nowhere). */
  private readonly local = newMetrics();
  /** Last counters of workers that have exited (counters stay monotonic across restarts). */
  private readonly retired = newMetrics();
  private readonly pendingEvents = new Set<Promise<void>>();
  private forkChain: Promise<void> = Promise.resolve();
  private address: Address | undefined;
  /** The port value workers pass to listen(): it names the listener the cluster shares. */
  private listenPort: number;
  private started = false;
  private closing = false;
  private closed: Promise<void> | undefined;
  private platformsTimer: NodeJS.Timeout | undefined;

  constructor(init: ClusterGatewayInit) {
    if (!cluster.isPrimary) throw new Error('a ClusterGateway runs in the primary process');
    if (!Number.isInteger(init.processes) || init.processes < 1)
      throw new Error(`gateway.processes must be an integer ≥ 1, got ${init.processes}`);
    this.init = init;
    this.processes = init.processes;
    const defaults = defaultConfig();
    this.config = { ...defaults.gateway, ...init.gateway, tls: { ...init.gateway?.tls } };
    this.listenPort = this.config.port;
    this.logger = init.logger ?? pino({ level: 'silent' });
    this.slots = Array.from({ length: init.processes }, (_, index) => ({
      index,
      worker: undefined,
      rpc: undefined,
      ready: false,
      metrics: undefined,
      sessions: 0,
      startedAt: 0,
      crashes: 0,
      lastTrafficAt: 0,
      restartTimer: undefined,
    }));
  }

  /** Forks the workers one after the other; resolves with the shared address once all listen. */
  async listen(): Promise<Address> {
    if (this.started) throw new Error('gateway already started');
    this.started = true;
    cluster.schedulingPolicy = cluster.SCHED_RR;
    cluster.setupPrimary({
      exec: fileURLToPath(new URL('./cluster-entry.mjs', import.meta.url)),
      args: [],
      execArgv: workerExecArgv(process.execArgv),
      serialization: 'advanced',
      silent: false,
    });
    try {
      for (const slot of this.slots) await this.enqueueStart(slot);
    } catch (err) {
      await this.close();
      throw err;
    }
    const platforms = this.init.platforms;
    if (platforms) {
      let sig = JSON.stringify(platforms);
      this.platformsTimer = setInterval(() => {
        const now = JSON.stringify(platforms);
        if (now === sig) return;
        sig = now;
        for (const s of this.slots) s.rpc?.notify('platforms', platforms);
      }, PLATFORMS_POLL_MS);
      this.platformsTimer.unref();
    }
    const a = this.address as Address;
    this.logger.info({ ...a, processes: this.processes }, 'gateway listening (multi-process)');
    return a;
  }

  /** The shared port while at least one worker listens, else 0. */
  get port(): number {
    return this.address && this.slots.some((s) => s.ready) ? this.address.port : 0;
  }

  onlineVins(): string[] {
    return [...this.owners.keys()];
  }

  /** Where a VIN is online (tests, diagnostics). */
  ownerOf(vin: string): { worker: number; pid: number | undefined; sessionId: string } | undefined {
    const o = this.owners.get(vin);
    return o && { worker: o.slot.index, pid: o.worker.process.pid, sessionId: o.sessionId };
  }

  /** Process ids of the live workers, by slot (undefined while a slot restarts). */
  workerPids(): (number | undefined)[] {
    return this.slots.map((s) => (s.worker && !s.worker.isDead() ? s.worker.process.pid : undefined));
  }

  /** Per worker: listening yet, and its sessions asked now (not the last push). */
  async workerStats(): Promise<{ worker: number; pid: number | undefined; ready: boolean; sessions: number }[]> {
    await this.refreshMetrics();
    return this.slots.map((s) => ({ worker: s.index, pid: s.worker?.process.pid, ready: s.ready, sessions: s.sessions }));
  }

  /** Sent to the VIN's worker; 'offline' when the VIN has no live session (or its worker died meanwhile). */
  async sendCommand(vin: string, request: DownlinkRequest, options?: DownlinkOptions): Promise<DownlinkOutcome> {
    const o = this.owners.get(vin);
    const rpc = o && o.slot.worker === o.worker ? o.slot.rpc : undefined;
    if (rpc) {
      try {
        return await rpc.call<DownlinkOutcome>('downlink.send', vin, request, options);
      } catch (err) {
        if (!(err instanceof ChannelClosedError)) throw err;
      }
    }
    this.local.downlink.offline++;
    return { status: 'offline', attempts: 0 };
  }

  /** Open sessions in all workers (as of their last push). */
  get sessionCount(): number {
    return this.slots.reduce((n, s) => n + (s.worker ? s.sessions : 0), 0);
  }

  /**
   * Every worker's counters summed (as of their last push, at most metricsIntervalMs old), plus
   * those of exited workers, so counters never go back when a worker restarts.
   */
  metrics(): GatewayMetrics {
    const total = addMetrics(addMetrics(newMetrics(), this.retired), this.local);
    for (const s of this.slots) if (s.worker && s.metrics) addMetrics(total, s.metrics);
    return total;
  }

  /** Asks every worker for its counters now; resolves with the sum. */
  async refreshMetrics(): Promise<GatewayMetrics> {
    await Promise.all(
      this.slots.map(async (s) => {
        const { worker, rpc } = s;
        if (!worker || !rpc || !s.ready) return;
        const r = await rpc.call<{ metrics: GatewayMetrics; sessions: number } | undefined>('metrics').catch(() => undefined);
        if (r && s.worker === worker) {
          s.metrics = r.metrics;
          s.sessions = r.sessions;
        }
      }),
    );
    return this.metrics();
  }

  /** Runs a garbage collection in every worker (when started with --expose-gc; benchmark). */
  async collectGarbage(): Promise<void> {
    const calls: Promise<unknown>[] = [];
    for (const s of this.slots) if (s.rpc) calls.push(s.rpc.call('gc').catch(() => undefined));
    await Promise.all(calls);
  }

  /** Stops every worker (each ends its sessions and waits for their appends and events), in parallel. */
  close(): Promise<void> {
    this.closed ??= this.stopAll();
    return this.closed;
  }

  private async stopAll(): Promise<void> {
    this.closing = true;
    if (this.platformsTimer) clearInterval(this.platformsTimer);
    for (const s of this.slots) clearTimeout(s.restartTimer);
    await this.forkChain;
    await Promise.all(this.slots.map((s) => this.stopSlot(s)));
    for (const [vin] of this.owners) this.init.onPresence?.(vin, false, Date.now());
    this.owners.clear();
    await Promise.allSettled([...this.pendingEvents]);
    this.logger.info('gateway workers stopped');
  }

  private async stopSlot(slot: Slot): Promise<void> {
    const { worker, rpc } = slot;
    if (!worker || !rpc || worker.isDead()) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Closing 100,000 sessions records as many session events and presence changes here, which
    // can take a while: wait as long as the worker is alive (it says so every second while
    // closing), kill it after a silence. Only seconds in which this process itself was free to
    // read count as silence (a late tick means it was busy, e.g. writing those events).
    let watchdog: NodeJS.Timeout | undefined;
    const silent = new Promise<never>((_, reject) => {
      let seen = slot.lastTrafficAt;
      let lastTick = Date.now();
      let quietSec = 0;
      watchdog = setInterval(() => {
        const now = Date.now();
        const late = now - lastTick > 1500;
        lastTick = now;
        if (slot.lastTrafficAt !== seen) {
          seen = slot.lastTrafficAt;
          quietSec = 0;
          return;
        }
        if (late) return;
        if (++quietSec * 1000 >= STOP_SILENCE_MS)
          reject(new Error(`gateway worker ${slot.index} silent for ${STOP_SILENCE_MS} ms while closing`));
      }, 1000);
    });
    try {
      await Promise.race([rpc.call('close'), silent]);
      rpc.notify('exit');
    } catch (err) {
      this.logger.warn({ err, worker: slot.index }, 'gateway worker did not close cleanly');
      worker.process.kill('SIGKILL');
    } finally {
      clearInterval(watchdog);
    }
    await withTimeout(exited, EXIT_TIMEOUT_MS, `gateway worker ${slot.index} exit`).catch(() => {
      worker.process.kill('SIGKILL');
      return exited;
    });
  }

  /**
   * Workers start one at a time: each has loaded its modules before the next forks, so N workers
   * do not compile tsx at once on a small machine (session ids are unique across processes anyway:
   * load time and pid, session.ts).
   */
  private enqueueStart(slot: Slot): Promise<void> {
    const run = this.forkChain.then(() => this.startSlot(slot));
    this.forkChain = run.catch(() => undefined);
    return run;
  }

  private async startSlot(slot: Slot): Promise<void> {
    if (this.closing) return;
    slot.restartTimer = undefined;
    const worker = cluster.fork({ NEVHUB_GATEWAY_WORKER: String(slot.index) });
    let hello: () => void = () => undefined;
    const helloed = new Promise<void>((resolve) => (hello = resolve));
    const rpc = new RpcEndpoint(
      (msg, done) => {
        slot.lastTrafficAt = Date.now();
        if (!worker.isConnected()) done(new Error('gateway worker disconnected'));
        else worker.send(msg, undefined, done);
      },
      this.handlers(slot, worker, () => hello()),
      (err, method) => this.logger.error({ err, worker: slot.index, method }, 'gateway worker call failed'),
    );
    Object.assign(slot, { worker, rpc, ready: false, metrics: undefined, sessions: 0, startedAt: Date.now() });
    worker.on('message', (msg) => {
      slot.lastTrafficAt = Date.now();
      rpc.receive(msg);
    });
    worker.on('error', (err) => this.logger.error({ err, worker: slot.index }, 'gateway worker channel error'));
    const exited = new Promise<never>((_, reject) =>
      worker.once('exit', (code: number | null, signal: string | null) => {
        this.onExit(slot, worker, code, signal);
        reject(new Error(`exited (code ${code}, signal ${signal}) while starting`));
      }),
    );
    exited.catch(() => undefined);
    const noListener = !this.slots.some((s) => s !== slot && s.ready);
    // The cluster shares one listener per listen() key and closes it when its last worker exits;
    // then the port already announced is bound again (port 0 would pick a new one).
    if (noListener && this.address) this.listenPort = this.address.port;
    const init: WorkerInit = {
      index: slot.index,
      gateway: {
        ...this.config,
        port: this.listenPort,
        processes: 1,
        // Admission bounds are per gateway: each worker gets its share of the round robin.
        maxConnections: Math.ceil(this.config.maxConnections / this.processes),
        maxConnectionsPerSec: Math.ceil(this.config.maxConnectionsPerSec / this.processes),
      },
      platforms: [...(this.init.platforms ?? [])],
      downlink: { ...defaultConfig().downlink, ...this.init.downlink },
      logLevel: this.init.logLevel ?? this.logger.level,
      metricsIntervalMs: this.init.metricsIntervalMs ?? 1000,
    };
    let address: Address;
    try {
      address = await withTimeout(
        Promise.race([helloed.then(() => rpc.call<Address>('init', init)), exited]),
        START_TIMEOUT_MS,
        `gateway worker ${slot.index} start`,
      );
    } catch (err) {
      if (!worker.isDead()) worker.process.kill('SIGKILL');
      throw new Error(`gateway worker ${slot.index} did not start: ${(err as Error).message}`, { cause: err });
    }
    if (slot.worker !== worker) throw new Error(`gateway worker ${slot.index} exited while starting`);
    slot.ready = true;
    this.address ??= address;
    this.logger.debug({ worker: slot.index, pid: worker.process.pid }, 'gateway worker listening');
  }

  private onExit(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return;
    const reason = `gateway worker exited (${signal ?? `code ${code}`})`;
    slot.rpc?.close(reason);
    if (slot.metrics) addMetrics(this.retired, { ...slot.metrics, connectionsOpen: 0 });
    const lived = Date.now() - slot.startedAt;
    Object.assign(slot, { worker: undefined, rpc: undefined, ready: false, metrics: undefined, sessions: 0 });
    // Its sessions are gone with it: their VINs go offline, each with a disconnect event.
    const at = Date.now();
    for (const [vin, o] of this.owners) {
      if (o.worker !== worker) continue;
      this.owners.delete(vin);
      this.init.onPresence?.(vin, false, at);
      this.record({ vin, kind: 'disconnect', at, sessionId: o.sessionId, peer: o.peer, reason });
    }
    if (this.closing) return;
    slot.crashes = lived < 10_000 ? slot.crashes + 1 : 1;
    this.logger.error({ worker: slot.index, pid: worker.process.pid, code, signal }, reason);
    this.scheduleRestart(slot);
  }

  /** Restarts a slot after a delay that doubles with each quick death (at most 10 s). */
  private scheduleRestart(slot: Slot): void {
    if (this.closing || slot.restartTimer !== undefined) return;
    const delay = Math.min(10_000, (this.init.restartDelayMs ?? 500) * 2 ** Math.max(0, slot.crashes - 1));
    slot.restartTimer = setTimeout(() => {
      this.enqueueStart(slot).catch((err: unknown) => {
        this.logger.error({ err, worker: slot.index }, 'gateway worker restart failed');
        // A fork that threw leaves no process whose exit would schedule the next attempt.
        if (!slot.worker) {
          slot.crashes++;
          this.scheduleRestart(slot);
        }
      });
    }, delay);
  }

  private record(ev: SessionEvent): void {
    const p = this.init.events
      .recordSessionEvent(ev)
      .catch((err: unknown) => this.logger.error({ err, ev }, 'session event not recorded'));
    this.pendingEvents.add(p);
    void p.finally(() => this.pendingEvents.delete(p));
  }

  /** The cluster-wide VIN map (see VinClaims in server.ts). Runs to completion: claims never interleave. */
  private claim(slot: Slot, worker: Worker, vin: string, sessionId: string, peer: string): VinClaimResult {
    if (slot.worker !== worker) return { ok: false, holder: 'a gateway worker that has exited' };
    const cur = this.owners.get(vin);
    if (cur && cur.sessionId !== sessionId) {
      if (this.config.duplicateLogin === 'reject') return { ok: false, holder: cur.sessionId };
      // Replace (spec §13 "Disconnect"): the holder's worker closes it with reason 'replaced'.
      if (cur.slot.worker === cur.worker) cur.slot.rpc?.notify('vin.replaced', vin, cur.sessionId, sessionId, peer);
    }
    this.owners.set(vin, { slot, worker, sessionId, peer });
    this.init.onPresence?.(vin, true, Date.now());
    return { ok: true };
  }

  private release(worker: Worker, vin: string, sessionId: string): void {
    const cur = this.owners.get(vin);
    if (!cur || cur.sessionId !== sessionId || cur.worker !== worker) return;
    this.owners.delete(vin);
    this.init.onPresence?.(vin, false, Date.now());
  }

  /** What a worker may ask of the primary. */
  private handlers(slot: Slot, worker: Worker, hello: () => void): Record<string, Handler> {
    const { log, registry, events, onAppended } = this.init;
    return {
      hello,
      alive: () => undefined,
      'log.append': async (entries: NewLogEntry[]) => {
        const seqs = await log.append(entries);
        onAppended?.();
        return seqs;
      },
      'log.read': (afterSeq: number, limit: number) => log.read(afterSeq, limit),
      'log.readVin': (vin: string, afterSeq: number, limit: number) => log.readVin(vin, afterSeq, limit),
      'log.getCursor': (name: string) => log.getCursor(name),
      'log.lastSeq': () => log.lastSeq(),
      'registry.getVehicle': (vin: string) => registry.getVehicle(vin),
      'registry.upsertVehicle': (v: Partial<VehicleRecord> & { vin: string }) => registry.upsertVehicle(v),
      'registry.listVehicles': (filter?: { vehicleType?: string; powertrain?: string; text?: string }) =>
        registry.listVehicles(filter),
      'registry.deleteVehicle': (vin: string) => registry.deleteVehicle(vin),
      'events.record': (ev: SessionEvent) => events.recordSessionEvent(ev),
      'events.list': (vin: string, fromMs: number, toMs: number, limit?: number) =>
        events.sessionEvents(vin, fromMs, toMs, limit),
      'vin.claim': (vin: string, sessionId: string, peer: string) => this.claim(slot, worker, vin, sessionId, peer),
      'vin.release': (vin: string, sessionId: string) => this.release(worker, vin, sessionId),
      metrics: (m: { metrics: GatewayMetrics; sessions: number }) => {
        if (slot.worker !== worker) return;
        slot.metrics = m.metrics;
        slot.sessions = m.sessions;
      },
    };
  }
}
