// Entry of nevhub's worker threads. The sources are TypeScript run through tsx, and on Node 20 a
// worker does not inherit the tsx loader of its parent (neither `--import tsx` nor tsx's register()
// reach it), so every worker registers tsx itself and then imports its real module
// (workerData.entry, a file: URL of a .ts file).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
