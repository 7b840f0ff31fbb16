// SqliteStore's writes thread (registry-writes.ts): its own store.db connection commits the
// batches of registry rows and session events, one transaction per request, in arrival order.
// Requests arrive one at a time (WriteBatch posts the next batch only after the previous reply), so
// the batching itself stays on the main thread, where getVehicle sees the pending rows.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serializeError } from '../log/sqlite-protocol.js';
import { tsWorkerData } from '../log/ts-worker.js';
import { serializeOutcomes, storeWriteCommitter, type StoreWritesInit, type StoreWritesReply, type StoreWritesRequest } from './registry-writes.js';

if (!parentPort) throw new Error('registry-writes.worker.ts must run in a worker thread');
const port = parentPort;
const init = tsWorkerData<StoreWritesInit>(workerData);
// The main thread created the file, switched it to WAL and created the schema before starting us.
const db = new Database(init.path);
db.pragma(`synchronous = ${init.durability === 'os' ? 'NORMAL' : 'FULL'}`);
db.pragma(`busy_timeout = ${init.busyTimeoutMs}`);
const commit = storeWriteCommitter(db);
const post = (m: StoreWritesReply): void => port.postMessage(m);

port.on('message', (m: StoreWritesRequest) => {
  if (m.t === 'close') {
    db.close();
    post({ t: 'closed' });
    port.close();
    return;
  }
  try {
    post({ t: 'committed', id: m.id, errors: serializeOutcomes(commit(m.ops)) });
  } catch (err) {
    post({ t: 'failed', id: m.id, error: serializeError(err) });
  }
});
