// One embedded nevhub process (architecture.md "embedded default"): SQLite frame log + SQLite
// store + store consumer + gateway, and (unless disabled) the HTTP API with the live stream.
// With gateway.processes > 1 the gateway runs in that many worker processes sharing its port
// (gateway/cluster.ts); everything else stays here. Reused by `nevhub serve` and `nevhub demo`.
import { pino, type Logger } from 'pino';
import { explainFrame, parseQuirks } from '@nevhub/gbt32960';
import type { NevhubConfig } from './config/schema.js';
import { SqliteFrameLog } from './log/sqlite.js';
import { SqliteStore } from './store/sqlite.js';
import { scheduleRetention } from './store/retention-schedule.js';
import { StoreWriterWorker } from './consumers/store-writer-worker.js';
import { Gateway, type GatewayInit } from './gateway/server.js';
import { ClusterGateway, type GatewayService } from './gateway/cluster.js';
import { ensureAdminToken, openApiDb, type ApiDb } from './api/api-db.js';
import { PlatformMetrics } from './api/metrics.js';
import { startApi } from './api/server.js';
import { LiveHub } from './northbound/live-hub.js';
import { attachLiveFeed, type LiveFeed } from './northbound/live-feed.js';

export interface Platform {
  config: NevhubConfig;
  /** A Gateway (gateway.processes 1) or a ClusterGateway of worker processes. */
  gateway: GatewayService;
  log: SqliteFrameLog;
  store: SqliteStore;
  /** The store consumer, in its own worker thread. */
  storeWriter: StoreWriterWorker;
  apiDb: ApiDb;
  logger: Logger;
  /** Where the gateway listens (after start). */
  address: { host: string; port: number; tls: boolean };
  /** The HTTP API, when started. */
  http?: { url: string; port: number };
  /** The admin token created at the first start of this data dir (printed once, stored hashed). */
  firstAdminToken?: string;
  /** Stops in order: HTTP, listener and sessions, consumers, frame log (flushes), stores. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Start the HTTP API and live stream (default true). */
  api?: boolean;
  /** Road network GeoJSON for /api/v1/roads (the simulator's basemap). */
  roads?: () => unknown;
}

export async function startPlatform(config: NevhubConfig, options: StartOptions = {}): Promise<Platform> {
  const logger = options.logger ?? pino({ level: config.log.level });
  const firstAdminToken = options.api === false ? undefined : ensureAdminToken(config.dataDir);
  const apiDb = openApiDb(config.dataDir);
  const metrics = new PlatformMetrics();
  // The frame log's appends and the store consumer each run in a worker thread: SQLite commits
  // (and their fsyncs) block the thread that runs them, and this thread must keep accepting
  // connections and answering terminals and API clients.
  const log = new SqliteFrameLog({ dataDir: config.dataDir, durability: config.log.durability });
  // The main thread's store connection writes registry rows, session events and online flags
  // (a few per login). synchronous=NORMAL keeps their fsync off this thread: in WAL mode they are
  // safe against a process crash at once, and the store writer thread's next FULL commit (within
  // pollMs while frames flow) fsyncs the shared WAL, theirs included, against a power cut.
  const store = new SqliteStore({ dataDir: config.dataDir, durability: 'os' });
  const storeWriter = new StoreWriterWorker({
    dataDir: config.dataDir,
    logDurability: config.log.durability,
    lenient: parseQuirks(config.gateway.lenient),
    onApply: (seconds) => metrics.storeApplySeconds.observe(seconds),
    onError: (err) => logger.error({ err }, 'store writer batch failed'),
  });
  const gatewayInit: GatewayInit = {
    gateway: config.gateway,
    // Accounts from the configuration, then those saved through the API (a live list).
    platforms: apiDb.platforms.forGateway(config.platforms),
    downlink: config.downlink,
    log,
    registry: store,
    events: store,
    logger,
    onAppended: () => storeWriter.notify(),
    // The store's online flag follows the gateway's sessions (the map's online/offline status).
    onPresence: (vin, online, at) => {
      store.setOnline(vin, online, at).catch((err: unknown) => logger.error({ err, vin }, 'presence not stored'));
    },
  };
  const gateway: GatewayService =
    config.gateway.processes > 1
      ? new ClusterGateway({
          ...gatewayInit,
          processes: config.gateway.processes,
          logLevel: logger.level,
        })
      : new Gateway(gatewayInit);
  // Nothing is online before the listener opens: clear flags left by an unclean stop.
  const at = Date.now();
  await Promise.all((await store.latest()).filter((s) => s.online).map((s) => store.setOnline(s.vin, false, at)));
  storeWriter.start();
  const retention = scheduleRetention(log, store, config.retention, {
    onResult: (r) => logger.info(r, 'retention applied'),
    onError: (err) => logger.error({ err }, 'retention failed'),
  });
  const hub = new LiveHub();
  let feed: LiveFeed | undefined;
  let http: Awaited<ReturnType<typeof startApi>> | undefined;
  let address: Platform['address'];
  const stopAll = async (): Promise<void> => {
    await http?.close();
    await feed?.stop();
    // Gateway workers (if any) stop first: their last appends and events still need the log and store.
    await gateway.close();
    await retention.stop();
    await storeWriter.stop();
    await log.close();
    await store.close();
    apiDb.close();
  };
  try {
    address = await gateway.listen();
    if (options.api !== false) {
      feed = attachLiveFeed(log, hub, {
        seed: await store.latest(),
        onError: (err) => logger.error({ err }, 'live feed failed'),
      });
      http = await startApi(
        {
          registry: store,
          sessions: store,
          store,
          log,
          apiDb,
          gateway,
          hub,
          metrics,
          roads: options.roads,
          explain: (bytes) => explainFrame(bytes, { lenient: parseQuirks(config.gateway.lenient) }),
        },
        { port: config.http.port, host: config.http.host },
      );
    }
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    config,
    gateway,
    log,
    store,
    storeWriter,
    apiDb,
    logger,
    address,
    http: http && { url: http.url, port: http.port },
    firstAdminToken,
    close() {
      closing ??= stopAll();
      return closing;
    },
  };
}
