// The frame log's writer thread (started by SqliteFrameLog). It owns the only connection that
// appends, so better-sqlite3's synchronous commit + fsync never blocks the gateway's event loop.
//
// Group commit with pipelining: requests arriving while a commit (and its fsync) runs queue up in
// the message port; when the thread is free again it takes everything queued since its last
// commit into ONE transaction (up to maxBatch entries), commits, and replies with the seqs. The
// main thread resolves each append() only on that reply, so an acknowledged frame is committed.
import { parentPort, workerData } from 'node:worker_threads';
import { openLogDb, walPages } from './sqlite-schema.js';
import { serializeError, type WriterInit, type WriterReply, type WriterRequest } from './sqlite-protocol.js';
import { LogWriter, type TxRequest } from './sqlite-writer.js';
import { tsWorkerData } from './ts-worker.js';

if (!parentPort) throw new Error('sqlite-writer.worker.ts must run in a worker thread');
const port = parentPort;
const init = tsWorkerData<WriterInit>(workerData);
const db = openLogDb(init.path, init.durability);
db.pragma(`wal_autocheckpoint = ${init.autocheckpointBytes > 0 ? walPages(db, init.autocheckpointBytes) : 0}`);
// The index is not fsynced per commit: the segment files are (LogWriter, sqlite-files.ts).
db.pragma('synchronous = NORMAL');
const writer = new LogWriter(db, { durability: init.durability });
const post = (m: WriterReply): void => port.postMessage(m);

post({
  t: 'ready',
  journalMode: db.pragma('journal_mode', { simple: true }) as string,
  synchronous: db.pragma('synchronous', { simple: true }) as number,
  fileSync: init.durability === 'fsync',
});

const queue: WriterRequest[] = [];
let scheduled = false;

port.on('message', (m: WriterRequest) => {
  queue.push(m);
  if (scheduled) return;
  scheduled = true;
  // After the poll phase: every message already waiting in the port has been queued by then.
  setImmediate(flush);
});

function flush(): void {
  scheduled = false;
  while (queue.length > 0) {
    const head = queue[0];
    if (head.t === 'prune') {
      queue.shift();
      run([head.id], () => ({ results: [{ id: head.id, value: writer.prune(head.beforeMs, head.limit) }], entries: 0 }));
      continue;
    }
    if (head.t === 'autocheckpoint') {
      queue.shift();
      run([head.id], () => {
        db.pragma(`wal_autocheckpoint = ${walPages(db, head.bytes)}`);
        return { results: [{ id: head.id, value: 0 }], entries: 0 };
      });
      continue;
    }
    if (head.t === 'close') {
      queue.shift();
      writer.close();
      db.close();
      post({ t: 'closed', id: head.id });
      port.close();
      return;
    }
    const tx: TxRequest[] = [];
    let entries = 0;
    while (queue.length > 0 && entries < init.maxBatch) {
      const r = queue[0];
      if (r.t !== 'append' && r.t !== 'cursor') break;
      queue.shift();
      tx.push(r);
      if (r.t === 'append') entries += r.entries.count;
    }
    const buffers: ArrayBuffer[] = [];
    for (const r of tx) if (r.t === 'append') buffers.push(r.entries.meta.buffer as ArrayBuffer, r.entries.raw.buffer as ArrayBuffer);
    run(
      tx.map((r) => r.id),
      () => ({ results: writer.commit(tx), entries }),
      buffers,
    );
  }
}

function run(ids: number[], fn: () => { results: { id: number; value: number }[]; entries: number }, buffers: ArrayBuffer[] = []): void {
  let out;
  const t0 = performance.now();
  try {
    out = fn();
  } catch (err) {
    post({ t: 'failed', ids, error: serializeError(err) });
    return;
  }
  // Committed: SQLite holds its own copy, the packed buffers go back to the main thread for reuse.
  port.postMessage({ t: 'done', ...out, ms: performance.now() - t0, buffers } satisfies WriterReply, buffers);
}
