// One embedded nevhub process (architecture.md "embedded default"): SQLite frame log + SQLite
// store + store consumer + gateway. Reused by `nevhub serve`, `nevhub demo` and the API.
import { pino, type Logger } from 'pino';
import { parseQuirks } from '@nevhub/gbt32960';
import type { NevhubConfig } from './config/schema.js';
import { SqliteFrameLog } from './log/sqlite.js';
import { SqliteStore } from './store/sqlite.js';
import { StoreWriter } from './consumers/store-writer.js';
import { Gateway } from './gateway/server.js';

export interface Platform {
  config: NevhubConfig;
  gateway: Gateway;
  log: SqliteFrameLog;
  store: SqliteStore;
  storeWriter: StoreWriter;
  logger: Logger;
  /** Where the gateway listens (after start). */
  address: { host: string; port: number; tls: boolean };
  /** Stops in order: listener and sessions, store consumer, frame log (flushes), store. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
}

export async function startPlatform(config: NevhubConfig, options: StartOptions = {}): Promise<Platform> {
  const logger = options.logger ?? pino({ level: config.log.level });
  const log = new SqliteFrameLog({ dataDir: config.dataDir });
  const store = new SqliteStore({ dataDir: config.dataDir });
  const storeWriter = new StoreWriter({
    log,
    store,
    decode: { lenient: parseQuirks(config.gateway.lenient) },
    onError: (err) => logger.error({ err }, 'store writer batch failed'),
  });
  const gateway = new Gateway({
    gateway: config.gateway,
    platforms: config.platforms,
    downlink: config.downlink,
    log,
    registry: store,
    events: store,
    logger,
    onAppended: () => storeWriter.notify(),
  });
  storeWriter.start();
  let address: Platform['address'];
  try {
    address = await gateway.listen();
  } catch (err) {
    await storeWriter.stop();
    await log.close();
    await store.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    config,
    gateway,
    log,
    store,
    storeWriter,
    logger,
    address,
    close() {
      closing ??= (async () => {
        await gateway.close();
        await storeWriter.stop();
        await log.close();
        await store.close();
      })();
      return closing;
    },
  };
}
