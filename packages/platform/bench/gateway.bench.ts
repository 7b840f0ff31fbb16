// Gateway benchmark: npm run bench:gateway [-- --duration 10 --connections 200 --window 16 --idle 100000]
//
// (1) durable: sustained realtime frames through the real gateway into the SQLite frame log with
//     ackRealtime on (every frame answered only after its group commit), many connections pipelining;
//     the log's writer runs in its own worker thread (log/sqlite-writer.worker.ts), `--durability
//     os` measures synchronous=NORMAL instead of FULL;
// (2) null: the same load against a "null gateway" (split + reply, no decode, no log) = upper bound;
// (3) idle: many concurrent logged-in idle connections, gateway RSS per connection.
//     `--processes N` (N > 1): the same against the multi-process gateway (gateway.processes N,
//     gateway/cluster.ts) inside a real platform (startPlatform without API: SQLite log, store and
//     store writer in a temp dir); the connections come from several load children (each below
//     --per-child sockets), log in, send a heartbeat every minute and stay for --hold seconds;
//     RSS is the sum of VmRSS of the primary and every worker (/proc/<pid>/status).
// The load runs in a child process (its own core and event loop); the gateway in this one.
//
// Open files: every connection is one descriptor in each process. Raise the limit first, e.g.
//   ulimit -n 250000 && npm run bench:gateway -- --idle 100000
// (the idle count is capped at the current limit minus a margin). Connections come from several
// 127.0.0.x source addresses (localAddress), so 100,000 do not exhaust one address's ports.
// Where the hard limit cannot be raised (e.g. 20,000 in a container), --processes spreads the
// sockets over gateway workers and load children, each below the limit:
//   npm run bench:gateway -- --only idle --processes 6 --idle 100000
import { fork } from 'node:child_process';
import { execSync } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bcc, decodeFrame, encodeFrame, fromHex, FrameSplitter, RESPONSE_IDS, replyFromBytes } from '@nevhub/gbt32960';
import { Gateway } from '../src/gateway/server.js';
import type { ClusterGateway } from '../src/gateway/cluster.js';
import { defaultConfig } from '../src/config/schema.js';
import { startPlatform } from '../src/platform.js';
import { SqliteFrameLog, type LogDurability } from '../src/log/sqlite.js';
import { SqliteStore } from '../src/store/sqlite.js';

const REPLY_BYTES = 31; // time-only reply: 25 + 6 (spec §4)
const here = new URL('.', import.meta.url).pathname;

// ---------------------------------------------------------------------------------------------
// Frames

/** A typical 2016 realtime frame from the golden set (the largest full-item frame that decodes). */
function typicalFrame(): Uint8Array {
  const golden = JSON.parse(
    readFileSync(join(here, '../../gbt32960/testing/golden-frames.json'), 'utf8'),
  ) as { hex: string; kind: string }[];
  let best: Uint8Array | undefined;
  for (const g of golden) {
    if (g.kind !== 'realtime') continue;
    const b = fromHex(g.hex);
    if (!b || b[0] !== 0x23) continue;
    const f = decodeFrame(b);
    if (!f.ok || b.length > 400) continue;
    if (!best || b.length > best.length) best = b;
  }
  if (!best) throw new Error('no decodable 2016 realtime frame in golden-frames.json');
  return best;
}

function withVin(frame: Uint8Array, vin: string): Uint8Array {
  const b = Uint8Array.from(frame);
  for (let i = 0; i < 17; i++) b[4 + i] = vin.charCodeAt(i);
  b[b.length - 1] = bcc(b, 2, b.length - 1);
  return b;
}

function loginBytes(vin: string): Uint8Array {
  // 2016 login, L = 30 (spec §6.1): time, serial 1, ICCID, 1 subsystem, code length 0.
  const b = new Uint8Array(25 + 30);
  b.set([0x23, 0x23, 0x01, 0xfe]);
  for (let i = 0; i < 17; i++) b[4 + i] = vin.charCodeAt(i);
  b[21] = 0x01;
  b[23] = 30;
  const now = new Date(Date.now() + 8 * 3600_000);
  b.set(
    [
      now.getUTCFullYear() % 100,
      now.getUTCMonth() + 1,
      now.getUTCDate(),
      now.getUTCHours(),
      now.getUTCMinutes(),
      now.getUTCSeconds(),
    ],
    24,
  );
  b[31] = 1;
  const iccid = '89860402101700173398';
  for (let i = 0; i < 20; i++) b[32 + i] = iccid.charCodeAt(i);
  b[52] = 1;
  b[53] = 0;
  b[54] = bcc(b, 2, 54);
  return b;
}

const vinOf = (i: number): string => `LBENCH${String(i).padStart(11, '0')}`;

// ---------------------------------------------------------------------------------------------
// Child roles

interface LoadJob {
  role: 'load';
  port: number;
  connections: number;
  window: number;
  durationSec: number;
  warmupSec: number;
  frameHex: string;
}
interface IdleJob {
  role: 'idle';
  port: number;
  connections: number;
  hosts: number;
}
/** Idle load for the multi-process gateway: VINs start…start+connections-1, kept open with heartbeats. */
interface HoldJob {
  role: 'hold';
  port: number;
  start: number;
  connections: number;
  hosts: number;
  heartbeatSec: number;
}
/**
 * The idle phase in a process of its own: it forces garbage collections (gc()) around its RSS
 * figure, which leave V8's heap limits shrunk; in this process they would slow the throughput
 * phases that follow (measured: 3–4× the mark-compacts, main thread +0.1 µs/frame).
 */
interface IdlePhaseJob {
  role: 'idle-phase';
  idle: number;
  hosts: number;
  processes: number;
  perChild: number;
  hold: number;
  durability: LogDurability;
}
type IdleOutcome = { sessions: number; rssBytesPerConnection: number } | ClusterIdleResult;
interface HoldResult {
  loggedIn: number;
  failed: number;
}
interface LoadResult {
  frames: number;
  seconds: number;
  p50: number;
  p99: number;
  /** CPU time (user + system) of the load client over the counted window, µs. */
  cpuMicros: number;
}

async function runLoad(job: LoadJob): Promise<LoadResult> {
  const base = fromHex(job.frameHex) as Uint8Array;
  let counting = false;
  let frames = 0;
  const lat: number[] = [];
  let stopped = false;
  const sockets: Socket[] = [];
  await Promise.all(
    Array.from({ length: job.connections }, (_, i) => {
      const vin = vinOf(i);
      const frame = withVin(base, vin);
      const burst = Buffer.concat(new Array<Buffer>(job.window).fill(Buffer.from(frame)));
      return new Promise<void>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port: job.port });
        s.setNoDelay(true);
        sockets.push(s);
        const sentAt: number[] = [];
        let head = 0;
        let pending = 0;
        let loggedIn = false;
        s.on('error', reject);
        s.on('connect', () => s.write(loginBytes(vin)));
        s.on('data', (d: Buffer) => {
          pending += d.length;
          let n = Math.floor(pending / REPLY_BYTES);
          pending -= n * REPLY_BYTES;
          if (!loggedIn && n > 0) {
            loggedIn = true;
            n--;
            resolve();
            const t = performance.now();
            for (let k = 0; k < job.window; k++) sentAt.push(t);
            s.write(burst);
          }
          if (n === 0) return;
          const t = performance.now();
          for (let k = 0; k < n; k++) {
            const t0 = sentAt[head++];
            if (counting) {
              frames++;
              if ((frames & 7) === 0) lat.push(t - t0);
            }
          }
          if (head > 4096) {
            sentAt.splice(0, head);
            head = 0;
          }
          if (stopped) return;
          for (let k = 0; k < n; k++) sentAt.push(t);
          s.write(n === job.window ? burst : burst.subarray(0, n * frame.length));
        });
      });
    }),
  );
  await new Promise((r) => setTimeout(r, job.warmupSec * 1000));
  // The parent starts its CPU clocks at this message: both sides count the same window.
  process.send?.({ t: 'counting' });
  counting = true;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, job.durationSec * 1000));
  counting = false;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  stopped = true;
  for (const s of sockets) s.destroy();
  lat.sort((a, b) => a - b);
  const q = (p: number): number => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  return { frames, seconds, p50: q(0.5), p99: q(0.99), cpuMicros: cpu.user + cpu.system };
}

async function runIdle(job: IdleJob): Promise<number> {
  let done = 0;
  const open: Socket[] = [];
  const batch = 500;
  for (let start = 0; start < job.connections; start += batch) {
    const n = Math.min(batch, job.connections - start);
    await Promise.all(
      Array.from({ length: n }, (_, k) => {
        const i = start + k;
        return new Promise<void>((resolve) => {
          // Any 127.x.y.z is loopback on Linux: one source address per `hosts` slice of connections.
          const s = connect({
            host: '127.0.0.1',
            port: job.port,
            localAddress: `127.0.${1 + (i % job.hosts)}.1`,
          });
          open.push(s);
          s.on('error', () => resolve());
          s.on('connect', () => s.write(loginBytes(vinOf(i))));
          s.once('data', () => {
            done++;
            resolve();
          });
        });
      }),
    );
  }
  return done;
}

/**
 * Opens and logs in `connections` sockets, reports, then keeps them: every connection sends a
 * heartbeat (0x07) once per `heartbeatSec` (spread over the period) until the parent kills it.
 */
async function runHold(job: HoldJob): Promise<HoldResult> {
  const sockets: (Socket | undefined)[] = new Array<Socket | undefined>(job.connections);
  const beats = Array.from({ length: job.connections }, (_, k) =>
    encodeFrame({ version: 2016, command: 'heartbeat', vin: vinOf(job.start + k), time: null, body: {} }),
  );
  // Connection k beats in second k mod heartbeatSec of each period. By the clock, not by counting
  // ticks: a busy event loop that runs the timer late still covers every second it skipped.
  const period = job.heartbeatSec;
  let lastSec = Math.floor(Date.now() / 1000);
  setInterval(() => {
    const nowSec = Math.floor(Date.now() / 1000);
    for (let sec = Math.max(lastSec + 1, nowSec - period + 1); sec <= nowSec; sec++) {
      for (let k = sec % period; k < job.connections; k += period) sockets[k]?.write(beats[k]);
    }
    lastSec = nowSec;
  }, 1000);
  let loggedIn = 0;
  let failed = 0;
  const open = (k: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const i = job.start + k;
      const s = connect({ host: '127.0.0.1', port: job.port, localAddress: `127.0.${1 + (i % job.hosts)}.1` });
      let done = false;
      const finish = (ok: boolean): void => {
        if (done) return;
        done = true;
        if (ok) {
          loggedIn++;
          sockets[k] = s;
        } else failed++;
        resolve();
      };
      s.on('error', () => finish(false));
      s.on('close', () => {
        sockets[k] = undefined;
        finish(false);
      });
      s.on('connect', () => s.write(loginBytes(vinOf(i))));
      // The first reply is the login's (time-only, 0x01 = success); later ones are heartbeat acks.
      s.once('data', (d: Buffer) => finish(d[3] === RESPONSE_IDS.success));
    });
  // A sliding window of logins in flight (a slow one does not hold back the others).
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < job.connections) await open(next++);
  };
  await Promise.all(Array.from({ length: 256 }, lane));
  return { loggedIn, failed };
}

// ---------------------------------------------------------------------------------------------
// Parent

function child<T>(job: LoadJob | IdleJob | HoldJob | IdlePhaseJob, onCounting?: () => void): { result: Promise<T>; kill: () => void } {
  const p = fork(new URL(import.meta.url).pathname, ['--child'], {
    execArgv: job.role === 'idle-phase' ? ['--expose-gc', '--import', 'tsx'] : ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  p.send(job);
  return {
    result: new Promise<T>((resolve, reject) => {
      p.on('message', (m) => {
        if ((m as { t?: string }).t === 'counting') onCounting?.();
        else resolve(m as T);
      });
      p.once('exit', (code) => reject(new Error(`load child exited with ${code}`)));
    }),
    kill: () => p.kill(),
  };
}

function nullGateway(): Promise<{ port: number; close: () => void; frames: () => number }> {
  // Split + reply only: the upper bound of any gateway on this machine (no decode, no log).
  let frames = 0;
  const server = createServer((s) => {
    s.setNoDelay(true);
    const splitter = new FrameSplitter();
    s.on('error', () => undefined);
    s.on('data', (chunk: Buffer) => {
      const out: Uint8Array[] = [];
      splitter.push(chunk, (f) => out.push(replyFromBytes(f, RESPONSE_IDS.success, 'timeOnly')));
      frames += out.length;
      if (out.length > 0) s.write(Buffer.concat(out));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ port: (server.address() as { port: number }).port, close: () => server.close(), frames: () => frames }),
    ),
  );
}

function openFilesLimit(): number {
  try {
    return Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim()) || 1024;
  } catch {
    return 1024;
  }
}

const log = (msg: string): void => void process.stderr.write(`${msg}\n`);

/** A throughput phase: the client's figures, and CPU per frame over the same counted window. */
interface PhaseResult extends LoadResult {
  framesPerSec: number;
  /** µs of CPU per frame: the gateway process (every thread), its main thread, and the load client. */
  gatewayCpu: number;
  mainCpu: number;
  clientCpu: number;
  /** µs of CPU per frame of the gateway's other threads (log writer, checkpoint, GC helpers...), busiest first. */
  otherThreads: number[];
}

/** Runs the load child against `port`; the gateway's CPU clocks start when the child starts counting. */
async function measure(port: number, job: Omit<LoadJob, 'port' | 'role'>): Promise<PhaseResult> {
  let cpu0 = process.cpuUsage();
  let main0 = mainThreadCpuMicros();
  let threads0 = threadCpuMicros();
  const r = await child<LoadResult>({ role: 'load', port, ...job }, () => {
    cpu0 = process.cpuUsage();
    main0 = mainThreadCpuMicros();
    threads0 = threadCpuMicros();
  }).result;
  const cpu = process.cpuUsage(cpu0);
  const main = mainThreadCpuMicros() - main0;
  const frames = Math.max(1, r.frames);
  const otherThreads: number[] = [];
  for (const [tid, us] of threadCpuMicros()) {
    if (tid === String(process.pid)) continue;
    const spent = (us - (threads0.get(tid) ?? 0)) / frames;
    if (spent >= 0.005) otherThreads.push(spent);
  }
  otherThreads.sort((a, b) => b - a);
  return {
    ...r,
    framesPerSec: r.frames / r.seconds,
    gatewayCpu: (cpu.user + cpu.system) / frames,
    mainCpu: main / frames,
    clientCpu: r.cpuMicros / frames,
    otherThreads,
  };
}

const cpuLine = (r: PhaseResult): string =>
  `CPU per frame: gateway ${r.gatewayCpu.toFixed(2)} µs (all threads; main thread ${r.mainCpu.toFixed(2)}` +
  `${r.otherThreads.length > 0 ? `, others ${r.otherThreads.slice(0, 4).map((t) => t.toFixed(2)).join(' + ')}` : ''}), load client ${r.clientCpu.toFixed(2)} µs`;

async function durablePhase(job: Omit<LoadJob, 'port' | 'role'>, durability: LogDurability): Promise<PhaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-bench-'));
  const flog = new SqliteFrameLog({ dataDir: dir, durability });
  const store = new SqliteStore({ dataDir: dir });
  const gw = new Gateway({
    log: flog,
    registry: store,
    events: store,
    gateway: {
      host: '127.0.0.1',
      port: 0,
      ackRealtime: true,
      maxConnectionsPerSec: 1_000_000,
      idleTimeoutSec: 3600,
    },
  });
  const { port } = await gw.listen();
  const r = await measure(port, job);
  const m = gw.metrics();
  log(
    `durable (${durability}): ${Math.round(r.framesPerSec)} frames/s, reply p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms; ${cpuLine(r)}`,
  );
  log(
    `  log: ${flog.stats.commits} commits, ${(flog.stats.entries / Math.max(1, flog.stats.commits)).toFixed(0)} frames/commit, ` +
      `writer ${(flog.stats.writerMs / Math.max(1, flog.stats.commits)).toFixed(2)} ms per commit (fsync included), ` +
      `append mean ${(m.appendLatencyMs.sum / Math.max(1, m.appendLatencyMs.count)).toFixed(2)} ms; ` +
      `checkpoint thread: ${flog.stats.checkpoints} passes, ${(flog.stats.checkpointBytes / 2 ** 20).toFixed(0)} MiB, ${flog.stats.checkpointMs.toFixed(0)} ms, ` +
      `${flog.stats.walRestarts} WAL restarts (${flog.stats.checkpointBusy} deferred)${flog.stats.checkpointError ? `, failed: ${flog.stats.checkpointError}` : ''}`,
  );
  await gw.close();
  await flog.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return r;
}

/**
 * CPU time (user + system) of this process's main thread in µs: /proc/self/task/<pid>/stat fields
 * 14 and 15, in clock ticks (100 per second on Linux). Node 20 has no per-thread cpuUsage; this
 * separates the event loop's cost from the log writer thread's. NaN where /proc is missing.
 */
function mainThreadCpuMicros(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000;
  } catch {
    return NaN;
  }
}

/** CPU µs of every thread of this process by thread id (the same /proc fields); empty without /proc. */
function threadCpuMicros(): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(f[11]) + Number(f[12])) * 10_000);
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

async function nullPhase(job: Omit<LoadJob, 'port' | 'role'>): Promise<PhaseResult> {
  const nul = await nullGateway();
  const r = await measure(nul.port, job);
  nul.close();
  log(`null:    ${Math.round(r.framesPerSec)} frames/s, reply p50 ${r.p50.toFixed(2)} ms p99 ${r.p99.toFixed(2)} ms; ${cpuLine(r)}`);
  return r;
}

const median = (xs: number[]): number => {
  const v = [...xs].sort((a, b) => a - b);
  const h = v.length >> 1;
  return v.length === 0 ? NaN : v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
};

async function idlePhase(
  wanted: number,
  hosts: number,
): Promise<{ sessions: number; rssBytesPerConnection: number }> {
  const limit = openFilesLimit();
  const count = Math.min(wanted, limit - 500);
  if (count < wanted)
    log(
      `idle: open-files limit ${limit}: running ${count} connections instead of ${wanted} (raise ulimit -n)`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-bench-'));
  const flog = new SqliteFrameLog({ dataDir: dir });
  const store = new SqliteStore({ dataDir: dir });
  const gw = new Gateway({
    log: flog,
    registry: store,
    events: store,
    gateway: { host: '0.0.0.0', port: 0, maxConnectionsPerSec: 1_000_000, idleTimeoutSec: 3600 },
  });
  const port = (await gw.listen()).port;
  // One login's worth of store writes first: the registry-writes thread (and its SQLite connection)
  // starts on the first write. Its memory is per process, not per connection: counted in `before`.
  const warm = vinOf(-1);
  await store.upsertVehicle({ vin: warm, enabled: true });
  await store.recordSessionEvent({ vin: warm, kind: 'login', at: Date.now(), sessionId: 'warm-up', peer: 'bench' });
  await new Promise((r) => setTimeout(r, 500));
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().rss;
  // Login rate: from the first accepted connection to the last login (counters polled every 5 ms);
  // main-thread busy time from the event loop's utilisation over the whole phase.
  let firstAt = 0;
  let lastAt = 0;
  let lastLoggedIn = 0;
  const watch = setInterval(() => {
    const now = performance.now();
    if (!firstAt && gw.sessionCount > 0) firstAt = now;
    const n = gw.metrics().sessionsLoggedIn;
    if (n !== lastLoggedIn) {
      lastLoggedIn = n;
      lastAt = now;
    }
  }, 5);
  const elu0 = performance.eventLoopUtilization();
  const idle = child<number>({ role: 'idle', port, connections: count, hosts });
  const loggedIn = await idle.result;
  const elu = performance.eventLoopUtilization(elu0);
  clearInterval(watch);
  const loginSeconds = Math.max(1e-3, (lastAt - firstAt) / 1000);
  await new Promise((r) => setTimeout(r, 1000));
  gc?.();
  const after = process.memoryUsage().rss;
  const sessions = gw.sessionCount;
  const rssBytesPerConnection = Math.round((after - before) / Math.max(1, sessions));
  log(
    `idle:    ${sessions} sessions (${loggedIn} logged in) at ${Math.round(loggedIn / loginSeconds)} logins/s ` +
      `(main thread busy ${(elu.active / Math.max(1, loggedIn)).toFixed(2)} ms per login), gateway RSS ${(before / 2 ** 20).toFixed(0)} → ${(after / 2 ** 20).toFixed(0)} MiB, ${rssBytesPerConnection} bytes/connection${gc ? '' : ' (run with --expose-gc for a steadier figure)'}`,
  );
  idle.kill();
  await gw.close();
  await flog.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { sessions, rssBytesPerConnection };
}

function runIdlePhase(job: IdlePhaseJob): Promise<IdleOutcome> {
  return job.processes > 1
    ? idleClusterPhase(job.idle, job.hosts, job.processes, job.perChild, job.hold, job.durability)
    : idlePhase(job.idle, job.hosts);
}

/** VmRSS of a process in bytes (/proc/<pid>/status), 0 when gone. */
function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const mib = (b: number): string => (b / 2 ** 20).toFixed(0);

interface ClusterIdleResult {
  sessions: number;
  loggedIn: number;
  rssBytesPerConnection: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
}

/** Part (3) against gateway.processes = `processes`: primary + workers, load from several children. */
async function idleClusterPhase(
  wanted: number,
  hosts: number,
  processes: number,
  perChild: number,
  holdSec: number,
  durability: LogDurability,
): Promise<ClusterIdleResult> {
  const limit = openFilesLimit();
  const perWorker = Math.ceil(wanted / processes);
  if (perChild > limit - 500 || perWorker > limit - 500)
    log(`idle: open-files limit ${limit}, but ${perChild} sockets per load child and ~${perWorker} per worker: raise --processes or lower --per-child`);
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-bench-'));
  const base = defaultConfig();
  const platform = await startPlatform(
    {
      ...base,
      dataDir: dir,
      gateway: { ...base.gateway, host: '0.0.0.0', port: 0, processes, maxConnectionsPerSec: 1_000_000 },
      log: { level: 'warn', durability },
    },
    { api: false },
  );
  const gw = platform.gateway as ClusterGateway;
  const port = platform.address.port;
  const pids = (): number[] => [process.pid, ...gw.workerPids().filter((p): p is number => p !== undefined)];
  const totalRss = (): number => pids().reduce((n, p) => n + rssOf(p), 0);
  const gc = (globalThis as { gc?: () => void }).gc;
  const collect = async (): Promise<void> => {
    gc?.();
    await gw.collectGarbage();
  };
  await new Promise((r) => setTimeout(r, 1000));
  await collect();
  const before = totalRss();
  log(`idle (${processes} processes, log durability ${durability}): primary ${process.pid} + workers ${gw.workerPids().join(', ')}; RSS before ${mib(before)} MiB`);
  const t0 = performance.now();
  const children: { result: Promise<HoldResult>; kill: () => void }[] = [];
  for (let start = 0; start < wanted; start += perChild) {
    children.push(
      child<HoldResult>({
        role: 'hold',
        port,
        start,
        connections: Math.min(perChild, wanted - start),
        hosts,
        heartbeatSec: 60,
      }),
    );
  }
  const results = await Promise.all(children.map((c) => c.result));
  const loggedIn = results.reduce((n, r) => n + r.loggedIn, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const loginSec = (performance.now() - t0) / 1000;
  let m = await gw.refreshMetrics();
  log(
    `idle: ${loggedIn} logged in (${failed} failed) by ${children.length} load children in ${loginSec.toFixed(1)} s ` +
      `(${Math.round(loggedIn / loginSec)}/s); gateway: ${m.connectionsOpen} open, ${gw.onlineVins().length} VINs online`,
  );
  // Hold: every connection heartbeats once a minute (spread over the minute).
  const holdEnd = Date.now() + holdSec * 1000;
  while (Date.now() < holdEnd) {
    await new Promise((r) => setTimeout(r, Math.min(15_000, holdEnd - Date.now())));
    m = await gw.refreshMetrics();
    log(
      `  +${Math.round((holdSec * 1000 - (holdEnd - Date.now())) / 1000)} s: ${m.connectionsOpen} open, ${gw.onlineVins().length} online, ` +
        `${m.framesByCommand.heartbeat ?? 0} heartbeats answered, RSS ${mib(totalRss())} MiB, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
  }
  await collect();
  await new Promise((r) => setTimeout(r, 500));
  const perProcess = pids().map((p) => `${p === process.pid ? 'primary' : `worker ${p}`} ${mib(rssOf(p))}`);
  const after = totalRss();
  m = await gw.refreshMetrics();
  const sessions = m.connectionsOpen;
  const online = gw.onlineVins().length;
  const rssBytesPerConnection = Math.round((after - before) / Math.max(1, sessions));
  log(
    `idle:    ${sessions} sessions (${online} VINs logged in at once), total RSS ${mib(before)} → ${mib(after)} MiB ` +
      `(${perProcess.join(', ')} MiB), ${rssBytesPerConnection} bytes/connection${gc ? '' : ' (run with --expose-gc for a steadier figure)'}`,
  );
  // Stop as on Ctrl-C: the workers end and record every session, then the log and store close.
  const tClose = performance.now();
  await platform.close();
  log(`idle: platform closed in ${((performance.now() - tClose) / 1000).toFixed(1)} s`);
  for (const c of children) c.kill();
  rmSync(dir, { recursive: true, force: true });
  return { sessions, loggedIn: online, rssBytesPerConnection, rssBeforeBytes: before, rssAfterBytes: after };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '200' },
      window: { type: 'string', default: '16' },
      /** Durable/null pairs, run alternately (ABBA order); the figures are the medians. */
      rounds: { type: 'string', default: '3' },
      idle: { type: 'string', default: '20000' },
      hosts: { type: 'string', default: '8' },
      /** fsync (synchronous=FULL, default) | os (NORMAL). */
      durability: { type: 'string', default: 'fsync' },
      /** durable | null | idle: run one phase only. */
      only: { type: 'string' },
      /** Idle phase against a multi-process gateway of this many workers (> 1). */
      processes: { type: 'string', default: '1' },
      /** Multi-process idle: sockets per load child (below the open-files limit). */
      'per-child': { type: 'string', default: '17000' },
      /** Multi-process idle: seconds to keep the connections (heartbeating) before measuring. */
      hold: { type: 'string', default: '65' },
    },
  });
  const processes = Number(values.processes);
  const frame = typicalFrame();
  const job = {
    connections: Number(values.connections),
    window: Number(values.window),
    durationSec: Number(values.duration),
    warmupSec: Number(values.warmup),
    frameHex: Buffer.from(frame).toString('hex'),
  };
  const only = values.only;
  log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}; frame ${frame.length} bytes; ${job.connections} connections × window ${job.window}`,
  );
  // Idle first, in a fresh process of its own (IdlePhaseJob): its RSS delta is the figure.
  const idleWanted = !only || only === 'idle';
  const idle = idleWanted
    ? await child<IdleOutcome>({
        role: 'idle-phase',
        idle: Number(values.idle),
        hosts: Number(values.hosts),
        processes,
        perChild: Number(values['per-child']),
        hold: Number(values.hold),
        durability: values.durability === 'os' ? 'os' : 'fsync',
      }).result
    : undefined;
  const clusterIdle = idle && 'loggedIn' in idle ? (idle as ClusterIdleResult) : undefined;
  // Durable and null alternate (ABBA) so that the drift of a shared machine hits both alike; each
  // round's ratio compares two runs a few seconds apart, and the figures are medians over rounds.
  const durability: LogDurability = values.durability === 'os' ? 'os' : 'fsync';
  const durables: PhaseResult[] = [];
  const nulls: PhaseResult[] = [];
  const rounds = Math.max(1, Number(values.rounds));
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? (['durable', 'null'] as const) : (['null', 'durable'] as const);
    for (const phase of order) {
      if (only && only !== phase) continue;
      if (phase === 'durable') durables.push(await durablePhase(job, durability));
      else nulls.push(await nullPhase(job));
    }
  }
  const ratios = durables.slice(0, nulls.length).map((d, i) => d.framesPerSec / nulls[i].framesPerSec);
  // What the CPU cost alone allows, whatever the latency: a gateway can go no faster than its main
  // thread's one core (1 s / main µs per frame), nor than every core of the machine shared by all
  // its threads and the load client (cores s / (gateway + client) µs per frame).
  const total = (r: PhaseResult): number => r.gatewayCpu + r.clientCpu;
  const capacity = (r: PhaseResult): number => Math.min(1e6 / r.mainCpu, (cpus().length * 1e6) / total(r));
  const ceilings = durables.slice(0, nulls.length).map((d, i) => capacity(d) / capacity(nulls[i]));
  if (ratios.length > 0) {
    log(
      `rounds: durable/null ${ratios.map((r) => r.toFixed(3)).join(', ')} (median ${median(ratios).toFixed(3)}); ` +
        `CPU per frame, gateway + client: durable ${median(durables.map(total)).toFixed(2)} µs, null ${median(nulls.map(total)).toFixed(2)} µs, ` +
        `CPU-bound capacity: durable ${Math.round(median(durables.map(capacity)))} frames/s, null ${Math.round(median(nulls.map(capacity)))} frames/s, ` +
        `so the CPU cost allows durable/null ≤ ${median(ceilings).toFixed(3)} on this machine`,
    );
  }
  const framesPerSec = median(durables.map((d) => d.framesPerSec));
  const nullFramesPerSec = median(nulls.map((n) => n.framesPerSec));
  process.stdout.write(
    `${JSON.stringify({
      framesPerSec: Math.round(framesPerSec),
      nullFramesPerSec: Math.round(nullFramesPerSec),
      ratioToNull: Number(median(ratios).toFixed(3)),
      p99ReplyMs: durables.length > 0 ? Number(median(durables.map((d) => d.p99)).toFixed(2)) : null,
      connections: idle?.sessions ?? null,
      rssBytesPerConnection: idle?.rssBytesPerConnection ?? null,
      rounds: ratios.length,
      cpuCeilingRatio: ceilings.length > 0 ? Number(median(ceilings).toFixed(3)) : null,
      ...(clusterIdle
        ? {
            processes,
            loggedIn: clusterIdle.loggedIn,
            rssTotalBeforeBytes: clusterIdle.rssBeforeBytes,
            rssTotalBytes: clusterIdle.rssAfterBytes,
          }
        : {}),
    })}\n`,
  );
  process.exit(0);
}

if (process.argv.includes('--child')) {
  process.once('message', (job: LoadJob | IdleJob | HoldJob | IdlePhaseJob) => {
    const run: Promise<unknown> =
      job.role === 'load'
        ? runLoad(job)
        : job.role === 'hold'
          ? runHold(job)
          : job.role === 'idle-phase'
            ? runIdlePhase(job)
            : runIdle(job);
    run.then(
      (r) => process.send?.(r, () => job.role === 'idle-phase' && process.exit(0)),
      (err: unknown) => {
        process.stderr.write(`bench child failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  });
} else {
  await main();
}
