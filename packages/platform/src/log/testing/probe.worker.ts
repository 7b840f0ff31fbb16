// A worker for ts-worker.test.ts: reports where its code runs from, computes with a workspace
// package (bundled with it) and, when asked, starts a nested probe the way the store writer's
// store starts its writes thread.
import { parentPort, workerData } from 'node:worker_threads';
import { bcc } from '@nevhub/gbt32960';
import { startTsWorker, tsWorkerData } from '../ts-worker.js';

export interface ProbeReply {
  url: string;
  bcc: number;
  nested?: ProbeReply;
}

const data = tsWorkerData<{ bytes: number[]; nested: boolean }>(workerData);
const reply: ProbeReply = { url: import.meta.url, bcc: bcc(Uint8Array.from(data.bytes), 0, data.bytes.length) };
if (data.nested) {
  const w = startTsWorker('log/testing/probe.worker.ts', { bytes: data.bytes.slice(1), nested: false });
  w.once('message', (m: ProbeReply) => {
    reply.nested = m;
    parentPort?.postMessage(reply);
    void w.terminate();
  });
} else {
  parentPort?.postMessage(reply);
}
