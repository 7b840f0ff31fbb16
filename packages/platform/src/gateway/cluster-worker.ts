// A gateway worker process (gateway.processes > 1): a real Gateway (server.ts) on the port shared
// through node:cluster, whose frame log, registry and session events are proxies of the primary's
// (remote-deps.ts), and whose VIN claims go to the primary's cluster-wide map (cluster.ts).
// Started by cluster-entry.mjs; does nothing until the primary's `init` call.
import { pino } from 'pino';
import type { PlatformAccount } from '../config/schema.js';
import type { DownlinkOptions, DownlinkRequest } from './downlink.js';
import { Gateway } from './server.js';
import { RemoteFrameLog, RemoteStore, RpcEndpoint, type Handler, type SendFn, type WorkerInit } from './remote-deps.js';

const send: SendFn = (msg, done) => {
  if (!process.send || !process.connected) {
    done(new Error('no IPC channel to the gateway primary'));
    return;
  }
  process.send(msg, undefined, undefined, done);
};

let gateway: Gateway | undefined;
const platforms: PlatformAccount[] = [];
let metricsTimer: NodeJS.Timeout | undefined;
let closing: Promise<void> | undefined;

const handlers: Record<string, Handler> = {
  init: async (init: WorkerInit) => {
    if (gateway) throw new Error('gateway worker already initialised');
    const logger = pino({ level: init.logLevel }).child({ gatewayWorker: init.index });
    platforms.splice(0, platforms.length, ...init.platforms);
    const store = new RemoteStore(rpc);
    gateway = new Gateway({
      gateway: init.gateway,
      // Updated in place by the primary's `platforms` call (accounts saved through the API).
      platforms,
      downlink: init.downlink,
      log: new RemoteFrameLog(rpc),
      registry: store,
      events: store,
      logger,
      claims: {
        claim: (vin, sessionId, peer) => rpc.call('vin.claim', vin, sessionId, peer),
        release: (vin, sessionId) => rpc.notify('vin.release', vin, sessionId),
      },
    });
    const address = await gateway.listen();
    const g = gateway;
    metricsTimer = setInterval(
      () => rpc.notify('metrics', { metrics: g.metrics(), sessions: g.sessionCount }),
      init.metricsIntervalMs,
    );
    metricsTimer.unref();
    return address;
  },
  metrics: () => (gateway ? { metrics: gateway.metrics(), sessions: gateway.sessionCount } : undefined),
  'vin.replaced': (vin: string, sessionId: string, bySessionId: string, byPeer: string) =>
    gateway?.replaceSession(vin, sessionId, { sessionId: bySessionId, peer: byPeer }),
  'downlink.send': (vin: string, request: DownlinkRequest, options?: DownlinkOptions) => {
    if (!gateway) throw new Error('gateway worker not initialised');
    return gateway.sendCommand(vin, request, options);
  },
  platforms: (list: PlatformAccount[]) => void platforms.splice(0, platforms.length, ...list),
  /** Stops accepting, ends every session and waits for their appends and events (primary still up). */
  close: () => {
    closing ??= (async () => {
      if (metricsTimer) clearInterval(metricsTimer);
      // Alive while waiting for the primary to record the end of every session.
      const alive = setInterval(() => rpc.notify('alive'), 1000);
      try {
        await gateway?.close();
      } finally {
        clearInterval(alive);
      }
    })();
    return closing;
  },
  exit: () => process.exit(0),
  /** For the benchmark's memory figures (only with --expose-gc). */
  gc: () => (globalThis as { gc?: () => void }).gc?.(),
};

const rpc = new RpcEndpoint(send, handlers, (err, method) => {
  process.stderr.write(`nevhub gateway worker: ${method}: ${err instanceof Error ? err.message : String(err)}\n`);
});

process.on('message', (msg) => void rpc.receive(msg));
// The primary coordinates the stop (workers first, then its log): a Ctrl-C reaches the whole
// process group, and a worker that died of it here would lose the appends it still has in flight.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
// The primary went away: nothing this process holds can be logged any more.
process.on('disconnect', () => process.exit(0));
// Ready for `init` (messages sent before this listener existed would have been lost).
rpc.notify('hello');
