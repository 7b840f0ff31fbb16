// A worker for ts-worker.test.ts: reports where its code runs from, computes with a workspace
// package (bundled with it) and, when asked, starts a nested probe the way the store writer's
// store starts its writes thread.
import { parentPort, workerData } from 'node:worker_threads';
import { bcc } from '@nevhub/gbt32960';
import { startTsWorker, tsWorkerData } from '../ts-worker.js';

export interface ProbeReply {
  /** The file this code runs from, as V8 sees it (the bundle, or the .ts source under tsx). */
  file: string;
  bcc: number;
  nested?: ProbeReply;
}

/** The running file from a raw call site (a prepareStackTrace of our own: no source-map mapping). */
function runningFile(): string {
  const E = Error as { prepareStackTrace?: (err: Error, sites: NodeJS.CallSite[]) => unknown };
  const original = E.prepareStackTrace;
  E.prepareStackTrace = (_err, sites) => sites;
  try {
    const sites = new Error().stack as unknown as NodeJS.CallSite[];
    return sites[0]?.getFileName() ?? '';
  } finally {
    E.prepareStackTrace = original;
  }
}

const data = tsWorkerData<{ bytes: number[]; nested: boolean }>(workerData);
const reply: ProbeReply = { file: runningFile(), bcc: bcc(Uint8Array.from(data.bytes), 0, data.bytes.length) };
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
