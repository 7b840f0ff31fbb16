// The frame log's checkpoint thread (started by SqliteFrameLog, see sqlite-checkpoint.ts): its own
// connection to the log file runs a Checkpointer pass every intervalMs, so that the writer thread
// (wal_autocheckpoint = 0) never copies the WAL into the database inside a commit.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Checkpointer, RESTART_BUSY_MS } from './sqlite-checkpoint.js';
import { serializeError, type CheckpointerInit, type CheckpointerReply } from './sqlite-protocol.js';
import { walPages } from './sqlite-schema.js';
import { tsWorkerData } from './ts-worker.js';

if (!parentPort) throw new Error('sqlite-checkpoint.worker.ts must run in a worker thread');
const port = parentPort;
const init = tsWorkerData<CheckpointerInit>(workerData);
const post = (m: CheckpointerReply): void => port.postMessage(m);

// The log file exists (the reader created it in WAL mode before this thread started).
const db = new Database(init.path, { fileMustExist: true });
db.pragma(`busy_timeout = ${RESTART_BUSY_MS}`);
// The checkpoint fsyncs the database file as the log's durability asks (FULL or NORMAL alike do).
db.pragma(`synchronous = ${init.durability === 'os' ? 'NORMAL' : 'FULL'}`);
db.pragma('wal_autocheckpoint = 0');
const checkpointer = new Checkpointer(db, walPages(db, init.restartBytes));

const timer = setInterval(() => {
  try {
    const r = checkpointer.run();
    if (r.copiedPages > 0 || r.restarted || r.busy) post({ t: 'pass', ...r });
  } catch (err) {
    post({ t: 'error', error: serializeError(err) });
  }
}, init.intervalMs);

port.on('message', (m: { t: 'close' }) => {
  if (m.t !== 'close') return;
  clearInterval(timer);
  db.close();
  post({ t: 'closed' });
  port.close();
});
post({ t: 'ready' });
