// Entry of the gateway's worker processes (cluster.ts forks them with node:cluster). As for the
// worker threads (log/worker-entry.mjs), the sources are TypeScript run through tsx, and a forked
// process has no tsx loader unless the primary was started with `--import tsx` (nevhub.js uses
// register() instead), so the worker registers tsx itself; cluster.ts drops a `--import tsx` from
// the inherited flags so it is not registered twice.
import { register } from 'tsx/esm/api';

register();
await import('./cluster-worker.ts');
