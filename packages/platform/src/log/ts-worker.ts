// Starts nevhub's worker threads, whose code is TypeScript under packages/platform/src.
//
// On Node 20 a worker does not inherit its parent's tsx loader, so a worker that imports .ts
// sources has to register tsx itself (worker-entry.mjs), and tsx's loader hooks then run on a
// hooks thread of their own: measured, 33.5 MiB and 2 threads per worker, against 9 MiB and 1
// thread for a worker running plain JavaScript. So each worker's module graph is bundled once per
// process with esbuild (the compiler tsx itself uses; ~10–110 ms per worker kind) into one .mjs
// file under node_modules/.cache, and the worker runs that. npm packages stay imports (resolved
// from the bundle's place in the tree); only nevhub's own sources are bundled.
//
// If the bundle cannot be made (esbuild missing, read-only tree), or NEVHUB_WORKERS=tsx is set
// (stack traces through tsx while debugging), the worker registers tsx as before.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId, Worker } from 'node:worker_threads';
import type { buildSync } from 'esbuild';

/** packages/platform/src/ (this file is src/log/ts-worker.ts). */
const SRC = new URL('../', import.meta.url);
const PACKAGE_DIR = fileURLToPath(new URL('../', SRC));

/**
 * Starts the worker module `entry`, a path under packages/platform/src (e.g.
 * 'log/sqlite-writer.worker.ts'); the module reads `data` with tsWorkerData(workerData).
 */
export function startTsWorker(entry: string, data: unknown): Worker {
  const source = new URL(entry, SRC);
  const bundle = bundledWorker(source);
  // No explicit execArgv: an explicit copy of the parent's flags throws
  // ERR_WORKER_INVALID_EXEC_ARGV for process-wide ones such as --expose-gc (the benchmark's); left
  // out, Node applies the parent's per-thread flags and ignores the others.
  if (bundle) return new Worker(bundle, { workerData: { entry: source.href, data } });
  return new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { entry: source.href, data } });
}

/** The `data` passed to startTsWorker, inside the worker. */
export function tsWorkerData<T>(workerData: unknown): T {
  return (workerData as { data: T }).data;
}

/** Bundle per worker module, made once per process (undefined: could not, use tsx). */
const bundles = new Map<string, URL | undefined>();
let warned = false;

function bundledWorker(source: URL): URL | undefined {
  if (process.env.NEVHUB_WORKERS === 'tsx') return undefined;
  if (bundles.has(source.href)) return bundles.get(source.href);
  let out: URL | undefined;
  try {
    out = bundle(source);
  } catch (err) {
    if (!warned) {
      warned = true;
      process.emitWarning(`nevhub: worker threads run through tsx (bundling failed: ${(err as Error).message})`);
    }
  }
  bundles.set(source.href, out);
  return out;
}

function bundle(source: URL): URL {
  // Loaded on first use (not a static import): without it, workers still start, through tsx.
  const esbuild = createRequire(import.meta.url)('esbuild') as { buildSync: typeof buildSync };
  const pkg = JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const result = esbuild.buildSync({
    entryPoints: [fileURLToPath(source)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    // npm packages (better-sqlite3's native addon above all) are imported, not bundled; the
    // workspace's own packages (@nevhub/*, TypeScript sources) are bundled.
    external: Object.keys(pkg.dependencies ?? {}).filter((name) => !name.startsWith('@nevhub/')),
    // A worker that starts a worker (the store writer's store) finds it through this module's
    // SRC: in the bundle, import.meta.url is this file's real URL. No other bundled module
    // reads import.meta.url (worker paths are given relative to src/, see startTsWorker).
    define: { 'import.meta.url': JSON.stringify(import.meta.url) },
    sourcemap: 'inline',
    banner: { js: 'process.setSourceMapsEnabled(true);' },
    metafile: true,
    logLevel: 'silent',
  });
  // The define above would give any other module that reads import.meta this file's URL: refuse
  // (and run through tsx) rather than let it resolve a path from the wrong place.
  const self = fileURLToPath(import.meta.url);
  for (const input of Object.keys(result.metafile.inputs)) {
    const path = join(process.cwd(), input);
    if (path === self || !/\.[cm]?ts$/.test(input)) continue;
    if (readFileSync(path, 'utf8').includes('import.meta')) throw new Error(`${input} reads import.meta, which a worker bundle cannot give it`);
  }
  const text = result.outputFiles[0].text;
  // Next to node_modules, so that the bundle's imports of npm packages resolve as the sources' do.
  const dir = join(PACKAGE_DIR, 'node_modules', '.cache', 'nevhub-workers');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${basename(fileURLToPath(source), '.ts')}.mjs`);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== text) {
    // Atomic: another process (the cluster's), or another thread of this one (the store writer's
    // store may start its own registry-writes thread), may be writing the same bundle: a temp file of
    // each thread's own, renamed over the bundle.
    const tmp = `${file}.${process.pid}.${threadId}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  }
  return pathToFileURL(file);
}
