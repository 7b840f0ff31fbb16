// Starts a worker thread whose code is a TypeScript module (see worker-entry.mjs).
import { Worker } from 'node:worker_threads';

/** Starts `entry` (a .ts module URL) in a worker; it reads `data` from workerData.data. */
export function startTsWorker(entry: URL, data: unknown): Worker {
  // No explicit execArgv: the worker registers tsx itself, and an explicit copy of the parent's
  // flags throws ERR_WORKER_INVALID_EXEC_ARGV for process-wide ones such as --expose-gc (the
  // benchmark's); left out, Node applies the parent's per-thread flags and ignores the others.
  return new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { entry: entry.href, data } });
}

/** The `data` passed to startTsWorker, inside the worker. */
export function tsWorkerData<T>(workerData: unknown): T {
  return (workerData as { data: T }).data;
}
