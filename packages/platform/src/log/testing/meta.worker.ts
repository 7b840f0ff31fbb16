// A worker for ts-worker.test.ts that reads import.meta: it cannot be bundled (ts-worker.ts
// defines import.meta.url as its own URL in bundles), so it must run through tsx.
import { parentPort } from 'node:worker_threads';

parentPort?.postMessage(import.meta.url);
