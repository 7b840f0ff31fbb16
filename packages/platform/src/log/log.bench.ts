// Frame-log benchmark. Run:
//   node --import tsx packages/platform/src/log/log.bench.ts [--frames 300000] [--fleet 2000] [--section writer,log,read,latency]
//
// writer:  the writer thread's work alone (LogWriter.commit on this thread, no worker), with
//          realistic group commits: 1,000–1,500 frames of 208–400 bytes from ~200 VINs (of a fleet
//          of 2,000) per commit, synchronous FULL and NORMAL. Prints frames/s, writer µs per frame
//          (wall: commit, fsync and checkpoints included; the median commit; CPU time) and the
//          main thread's packing µs per frame (EntryPacker.add + finish, done in append()).
// log:     SqliteFrameLog end to end with the same load: every event-loop turn ~200 append() calls
//          (one per connection, 5–7 frames each), at most 4 turns in flight. Prints appends/s
//          (frames/s), frames per commit, the main thread's µs per frame inside the log (append,
//          packing and posting, resolving the replies) and, when the log reports it
//          (stats.writerMs), the writer thread's µs per frame.
// read:    a log of --frames frames written as in `writer` (NORMAL), then read back: every entry
//          in pages of 500 and of 5,000 (the store writer, the live feed), and one VIN's newest 200
//          (readVinBefore, the API) and its first 200 (readVin), with a cold reader each time.
// latency: the original test: C concurrent appenders of one frame each, awaiting every append
//          (as a gateway connection does), for the memory log (null baseline) and SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryFrameLog } from './memory.js';
import { SqliteFrameLog } from './sqlite.js';
import * as protocol from './sqlite-protocol.js';
import { openLogDb } from './sqlite-schema.js';
import { SqliteLogReader } from './sqlite-reader.js';
import { LogWriter } from './sqlite-writer.js';
import type { FrameLog, NewLogEntry } from './types.js';

const { values: args } = parseArgs({
  options: {
    frames: { type: 'string', default: '300000' },
    section: { type: 'string', default: 'writer,log,read,latency' },
    fleet: { type: 'string', default: '2000' },
    latency: { type: 'string', default: '20000' },
  },
});
const totalFrames = Number(args.frames);
const fleet = Number(args.fleet);
const sections = new Set(args.section.split(','));

// A pool of raw frames of 208–400 bytes (the log never decodes them).
const RAWS = Array.from({ length: 97 }, (_, k) => {
  const len = 208 + ((k * 53) % 193);
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = (k * 31 + i * 7) & 0xff;
  b[0] = 0x23;
  b[1] = 0x23;
  return b;
});
const vinOf = (v: number): string => `LBENCH${String(v).padStart(11, '0')}`;

/** Entries as the gateway makes them: fresh vin and collectedAt strings per frame (decoded). */
function makeEntry(v: number, n: number, t: number): NewLogEntry {
  const sec = (n % 60).toString().padStart(2, '0');
  return {
    vin: vinOf(v).slice(0), // a fresh string, like a decoded VIN
    version: 2016,
    commandId: 2,
    collectedAt: `2025-10-27T20:02:${sec}+08:00`,
    receivedAt: t,
    sessionId: SESSIONS[v],
    peer: PEERS[v],
    raw: RAWS[(v * 7 + n) % RAWS.length],
  };
}
const SESSIONS = Array.from({ length: fleet }, (_, v) => `s${(v * 2654435761) % 1e9}`);
const PEERS = Array.from({ length: fleet }, (_, v) => `10.0.${v >> 8}.${v & 255}:${40000 + v}`);

/** One turn of the gateway: ~200 VINs, 5–7 frames each (one append() call per VIN). */
function makeTurn(turn: number): NewLogEntry[][] {
  const calls: NewLogEntry[][] = [];
  const t = 1_761_566_522_000 + turn;
  for (let k = 0; k < 200; k++) {
    const v = (turn * 200 + k) % fleet;
    const n = 5 + ((turn + k) % 3);
    const call: NewLogEntry[] = [];
    for (let j = 0; j < n; j++) call.push(makeEntry(v, turn * 7 + j, t));
    calls.push(call);
  }
  return calls;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function writerSection(): void {
  const turns: NewLogEntry[][][] = [];
  let frames = 0;
  while (frames < totalFrames) {
    const turn = makeTurn(turns.length);
    turns.push(turn);
    for (const c of turn) frames += c.length;
  }
  for (const durability of ['fsync', 'os'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'nevhub-bench-'));
    const db = openLogDb(join(dir, 'frames.db'), durability);
    // As the writer thread does: the index is not fsynced, the segment files are (durability fsync).
    db.pragma('synchronous = NORMAL');
    const writer = new LogWriter(db, { durability });
    let packMs = 0;
    let writeMs = 0;
    let cpuUs = 0;
    const perCommit: number[] = [];
    let id = 1;
    for (const turn of turns) {
      const p0 = performance.now();
      const packer = new protocol.EntryPacker();
      for (const call of turn) for (const e of call) packer.add(e);
      const entries = packer.finish();
      const p1 = performance.now();
      const c0 = process.cpuUsage();
      writer.commit([{ t: 'append', id: id++, entries }]);
      const c1 = process.cpuUsage(c0);
      const p2 = performance.now();
      // As the writer thread does: the committed buffers go back to the next packers.
      const recycle = (protocol as { recycleBuffer?: (b: ArrayBuffer) => void }).recycleBuffer;
      for (const b of Object.values(entries)) if (b instanceof Uint8Array) recycle?.(b.buffer as ArrayBuffer);
      cpuUs += c1.user + c1.system;
      packMs += p1 - p0;
      writeMs += p2 - p1;
      perCommit.push(((p2 - p1) * 1000) / entries.count);
    }
    db.close();
    rmSync(dir, { recursive: true, force: true });
    console.log(
      `writer ${durability === 'fsync' ? 'FULL  ' : 'NORMAL'} ${frames} frames in ${turns.length} commits (${(frames / turns.length).toFixed(0)}/commit): ` +
        `${Math.round((frames / writeMs) * 1000)} frames/s, writer ${((writeMs * 1000) / frames).toFixed(2)} µs/frame ` +
        `(median commit ${median(perCommit).toFixed(2)}, CPU ${(cpuUs / frames).toFixed(2)} µs/frame), pack ${((packMs * 1000) / frames).toFixed(2)} µs/frame`,
    );
  }
}

/** Time spent in the log's main-thread methods (append, flush = pack + post, onReply), in ms. */
function timeMainThread(): { ms: number } {
  const acc = { ms: 0 };
  const proto = SqliteFrameLog.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ['append', 'flush', 'onReply']) {
    const orig = proto[name];
    proto[name] = function (this: unknown, ...args: unknown[]): unknown {
      const t0 = performance.now();
      try {
        return orig.apply(this, args);
      } finally {
        acc.ms += performance.now() - t0;
      }
    };
  }
  return acc;
}

async function logSection(): Promise<void> {
  const pool = Array.from({ length: 50 }, (_, i) => makeTurn(i));
  const main = timeMainThread();
  for (const durability of ['fsync', 'os'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'nevhub-bench-'));
    const log = new SqliteFrameLog({ dataDir: dir, durability, maxPending: 1_000_000 });
    await log.append([makeEntry(0, 0, 0)]);
    const stats0 = { ...log.stats } as { commits: number; entries: number; writerMs?: number };
    let frames = 0;
    let inflight = 0;
    let turn = 0;
    const main0 = main.ms;
    const t0 = performance.now();
    await new Promise<void>((resolve) => {
      // One turn per event-loop iteration (the gateway reads its sockets), at most 4 in flight.
      const step = (): void => {
        if (inflight >= 4 || frames >= totalFrames) return;
        const calls = pool[turn++ % pool.length];
        const ps: Promise<number[]>[] = [];
        for (const c of calls) {
          ps.push(log.append(c));
          frames += c.length;
        }
        inflight++;
        void Promise.all(ps).then(() => {
          inflight--;
          if (frames >= totalFrames && inflight === 0) resolve();
          else setImmediate(step);
        });
        setImmediate(step);
      };
      step();
    });
    const ms = performance.now() - t0;
    const s = log.stats as { commits: number; entries: number; writerMs?: number };
    const commits = s.commits - stats0.commits;
    const writer = s.writerMs === undefined ? 'n/a' : `${(((s.writerMs - (stats0.writerMs ?? 0)) * 1000) / frames).toFixed(2)} µs/frame`;
    console.log(
      `log    ${durability === 'fsync' ? 'FULL  ' : 'NORMAL'} ${Math.round((frames / ms) * 1000)} appends/s (frames), ${(frames / commits).toFixed(0)} frames/commit, ` +
        `main thread (append + pack + post + replies) ${(((main.ms - main0) * 1000) / frames).toFixed(2)} µs/frame, writer thread ${writer}`,
    );
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function readSection(): void {
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-bench-'));
  const path = join(dir, 'frames.db');
  const db = openLogDb(path, 'os');
  db.pragma('synchronous = NORMAL');
  const writer = new LogWriter(db, { durability: 'os' });
  let frames = 0;
  for (let t = 0, id = 1; frames < totalFrames; t++) {
    const packer = new protocol.EntryPacker();
    for (const call of makeTurn(t)) for (const e of call) packer.add(e);
    const entries = packer.finish();
    writer.commit([{ t: 'append', id: id++, entries }]);
    frames += entries.count;
  }
  db.close();
  const timed = (name: string, fn: (r: SqliteLogReader) => number): void => {
    const r = new SqliteLogReader(path, 'os');
    const t0 = performance.now();
    const n = fn(r);
    const ms = performance.now() - t0;
    r.close();
    console.log(`read   ${name.padEnd(34)} ${n} entries in ${ms.toFixed(1)} ms (${((ms * 1000) / Math.max(n, 1)).toFixed(2)} µs/entry)`);
  };
  for (const page of [500, 5000]) {
    timed(`all, pages of ${page}`, (r) => {
      let n = 0;
      for (let after = 0; ; ) {
        const got = r.read(after, page);
        if (got.length === 0) return n;
        n += got.length;
        after = got[got.length - 1].seq;
      }
    });
  }
  const vin = vinOf(7);
  timed('readVinBefore(vin, newest, 200)', (r) => r.readVinBefore(vin, Number.MAX_SAFE_INTEGER, 200).length);
  timed('readVin(vin, 0, 200)', (r) => r.readVin(vin, 0, 200).length);
  rmSync(dir, { recursive: true, force: true });
}

async function latency(name: string, log: FrameLog, concurrency: number, total: number, commits: () => number): Promise<void> {
  const raw = RAWS[RAWS.length - 1];
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const s = performance.now();
        await log.append([{ vin: vinOf(i % fleet), version: 2016, commandId: 2, collectedAt: null, receivedAt: Date.now(), sessionId: 's', peer: 'p', raw }]);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const ms = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  const q = (p: number): string => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2);
  const c = commits();
  console.log(
    `${name.padEnd(16)} C=${String(concurrency).padStart(4)}  ${Math.round((total / ms) * 1000)
      .toString()
      .padStart(7)} entries/s  p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  commits ${c}  (${(total / Math.max(c, 1)).toFixed(1)}/commit)`,
  );
}

async function latencySection(): Promise<void> {
  const total = Number(args.latency);
  for (const concurrency of [1, 16, 256]) {
    const mem = new MemoryFrameLog();
    await latency('memory', mem, concurrency, total, () => 0);
    for (const synchronous of ['full', 'normal'] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'nevhub-bench-'));
      const log = new SqliteFrameLog({ dataDir: dir, synchronous, maxPending: 1_000_000 });
      await latency(`sqlite ${synchronous}`, log, concurrency, total, () => log.stats.commits);
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

if (sections.has('writer')) writerSection();
if (sections.has('log')) await logSection();
if (sections.has('read')) readSection();
if (sections.has('latency')) await latencySection();
