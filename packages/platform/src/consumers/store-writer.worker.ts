// The store consumer's thread (started by StoreWriterWorker): a StoreWriter with its own frame-log
// reader connection and its own store connection, so decoding, JSON and the store's transactions
// never block the gateway and the API on the main thread. It advances the durable cursor "store"
// on its own log connection (WAL: the appender and this connection take turns to write).
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteLogReader } from '../log/sqlite-reader.js';
import { serializeError } from '../log/sqlite-protocol.js';
import { tsWorkerData } from '../log/ts-worker.js';
import { SqliteStore } from '../store/sqlite.js';
import type { TelemetryStore } from '../store/types.js';
import { StoreWriter } from './store-writer.js';
import type { StoreWorkerInit, StoreWorkerReply, StoreWorkerRequest } from './store-writer-protocol.js';

if (!parentPort) throw new Error('store-writer.worker.ts must run in a worker thread');
const port = parentPort;
const init = tsWorkerData<StoreWorkerInit>(workerData);
const post = (m: StoreWorkerReply): void => port.postMessage(m);

const reader = new SqliteLogReader(init.logPath, init.logDurability);
const store = new SqliteStore({ dataDir: init.storeDir, fileName: init.storeFile });
let applySeconds = 0;
const timed: TelemetryStore = {
  applyFrames: async (batch) => {
    const t0 = performance.now();
    try {
      await store.applyFrames(batch);
    } finally {
      applySeconds = (performance.now() - t0) / 1000;
    }
  },
  latest: (vins) => store.latest(vins),
  setOnline: (vin, online, at) => store.setOnline(vin, online, at),
  history: (vin, from, to, limit) => store.history(vin, from, to, limit),
  pruneHistory: (before) => store.pruneHistory(before),
  close: () => store.close(),
};
const writer = new StoreWriter({
  log: {
    getCursor: (name) => Promise.resolve(reader.getCursor(name)),
    read: (after, limit) => Promise.resolve(reader.read(after, limit)),
    setCursor: (name, seq) => Promise.resolve(reader.setCursor(name, seq)),
  },
  store: timed,
  cursor: init.cursor,
  batchSize: init.batchSize,
  pollMs: init.pollMs,
  decode: { lenient: init.lenient ?? [] },
  onError: (err) => post({ t: 'error', error: serializeError(err) }),
  onBatch: () => post({ t: 'batch', stats: { ...writer.stats }, applySeconds }),
});

port.on('message', (m: StoreWorkerRequest) => {
  switch (m.t) {
    case 'start':
      writer.start();
      break;
    case 'notify':
      writer.notify();
      break;
    case 'drain':
      writer.drain().then(
        (entries) => post({ t: 'drained', id: m.id, entries, stats: { ...writer.stats } }),
        (err: unknown) => post({ t: 'drainFailed', id: m.id, error: serializeError(err) }),
      );
      break;
    case 'stop':
      void writer.stop().then(async () => {
        await store.close();
        reader.close();
        post({ t: 'stopped', id: m.id, stats: { ...writer.stats } });
        port.close();
      });
      break;
  }
});
post({ t: 'ready' });
