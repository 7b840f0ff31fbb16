// The FrameLog conformance suite: every implementation (memory, SQLite, JetStream) must pass it
// (architecture.md, "one shared conformance test suite" per seam). Call it from a *.test.ts file.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LogClosedError, LogFullError } from './errors.js';
import type { FrameLog, LogEntry, NewLogEntry } from './types.js';

export interface FrameLogHarness {
  log: FrameLog;
  /** Closes `log` (if still open) and opens the same storage again; omit if it has none. */
  reopen?(): Promise<FrameLog>;
  /** Closes whatever is open and removes the storage. */
  cleanup(): Promise<void>;
}

export interface FrameLogFactoryOptions {
  /** Bound of the write queue (LogFullError beyond it). */
  maxPending?: number;
}

export type FrameLogFactory = (options?: FrameLogFactoryOptions) => Promise<FrameLogHarness>;

const VIN_A = 'LNBSCCAK5PT000001';
const VIN_B = 'LNBSCCAK5PT000002';

/** A log entry with a recognisable raw payload (the log never decodes it). */
export function entry(vin: string, n: number, extra: Partial<NewLogEntry> = {}): NewLogEntry {
  const raw = new Uint8Array(30 + (n % 7));
  raw[0] = 0x23;
  raw[1] = 0x23;
  raw[2] = 0x02;
  for (let i = 3; i < raw.length; i++) raw[i] = (n * 31 + i) & 0xff;
  return {
    vin,
    version: n % 2 === 0 ? 2016 : 2025,
    commandId: 0x02,
    collectedAt: '2025-10-27T20:02:02+08:00',
    receivedAt: 1_761_566_522_000 + n,
    sessionId: `s-${vin.slice(-2)}`,
    peer: '10.0.0.7:40001',
    raw,
    ...extra,
  };
}

function bytes(e: LogEntry): number[] {
  return Array.from(e.raw);
}

async function withLog(factory: FrameLogFactory, fn: (h: FrameLogHarness) => Promise<void>, options?: FrameLogFactoryOptions): Promise<void> {
  const h = await factory(options);
  try {
    await fn(h);
  } finally {
    await h.cleanup();
  }
}

export function runFrameLogConformance(name: string, factory: FrameLogFactory): void {
  void describe(`FrameLog conformance: ${name}`, () => {
    void test('an empty log has lastSeq 0, no entries and new cursors at 0', () =>
      withLog(factory, async ({ log }) => {
        assert.equal(await log.lastSeq(), 0);
        assert.deepEqual(await log.read(0, 10), []);
        assert.deepEqual(await log.readVin(VIN_A, 0, 10), []);
        assert.equal(await log.getCursor('store'), 0);
        assert.deepEqual(await log.append([]), []);
      }));

    void test('append returns increasing seqs from 1 and read returns every field in order', () =>
      withLog(factory, async ({ log }) => {
        const input = [entry(VIN_A, 1), entry(VIN_B, 2, { collectedAt: null, commandId: 0x07 }), entry(VIN_A, 3)];
        const seqs = await log.append(input);
        assert.deepEqual(seqs, [1, 2, 3]);
        const more = await log.append([entry(VIN_A, 4)]);
        assert.deepEqual(more, [4]);
        assert.equal(await log.lastSeq(), 4);
        const got = await log.read(0, 100);
        assert.deepEqual(got.map((e) => e.seq), [1, 2, 3, 4]);
        for (const [i, want] of [...input, entry(VIN_A, 4)].entries()) {
          const e = got[i];
          assert.equal(e.vin, want.vin);
          assert.equal(e.version, want.version);
          assert.equal(e.commandId, want.commandId);
          assert.equal(e.collectedAt, want.collectedAt);
          assert.equal(e.receivedAt, want.receivedAt);
          assert.equal(e.sessionId, want.sessionId);
          assert.equal(e.peer, want.peer);
          assert.deepEqual(bytes(e), Array.from(want.raw));
        }
        assert.deepEqual((await log.read(2, 100)).map((e) => e.seq), [3, 4]);
        assert.deepEqual(await log.read(4, 100), []);
      }));

    void test('read and readVin honour limit and afterSeq (paging)', () =>
      withLog(factory, async ({ log }) => {
        const input: NewLogEntry[] = [];
        for (let i = 0; i < 25; i++) input.push(entry(i % 3 === 0 ? VIN_B : VIN_A, i));
        await log.append(input);
        assert.equal((await log.read(0, 7)).length, 7);
        const paged: number[] = [];
        for (let after = 0; ; ) {
          const page = await log.read(after, 4);
          if (page.length === 0) break;
          assert.ok(page.length <= 4);
          paged.push(...page.map((e) => e.seq));
          after = page[page.length - 1].seq;
        }
        assert.deepEqual(paged, Array.from({ length: 25 }, (_, i) => i + 1));
        const b = await log.readVin(VIN_B, 0, 100);
        assert.deepEqual(b.map((e) => e.seq), [1, 4, 7, 10, 13, 16, 19, 22, 25]);
        assert.ok(b.every((e) => e.vin === VIN_B));
        assert.deepEqual((await log.readVin(VIN_B, 7, 2)).map((e) => e.seq), [10, 13]);
        assert.deepEqual(await log.readVin('LNBSCCAK5PT999999', 0, 10), []);
      }));

    void test('raw bytes are preserved exactly and copied at append', () =>
      withLog(factory, async ({ log }) => {
        const raw = new Uint8Array(512);
        for (let i = 0; i < raw.length; i++) raw[i] = (i * 7 + 3) & 0xff;
        const source = new Uint8Array(1024);
        source.set(raw, 100);
        const view = source.subarray(100, 612); // a view into a larger buffer, as the splitter gives
        const [seq] = await log.append([entry(VIN_A, 1, { raw: view })]);
        source.fill(0); // the caller reuses its buffer
        const [got] = await log.read(seq - 1, 1);
        assert.equal(got.raw.length, 512);
        assert.deepEqual(bytes(got), Array.from(raw));
        const [empty] = await log.append([entry(VIN_A, 2, { raw: new Uint8Array(0) })]);
        assert.equal((await log.read(empty - 1, 1))[0].raw.length, 0);
      }));

    void test('concurrent appends are all committed, each call in order, per-VIN order kept', () =>
      withLog(factory, async (h) => {
        const calls: Promise<number[]>[] = [];
        const sent: NewLogEntry[][] = [];
        for (let i = 0; i < 300; i++) {
          const batch = i % 5 === 0 ? [entry(VIN_A, i * 10), entry(VIN_A, i * 10 + 1)] : [entry(i % 2 ? VIN_A : VIN_B, i * 10)];
          sent.push(batch);
          calls.push(h.log.append(batch));
        }
        const results = await Promise.all(calls);
        const all = results.flat();
        assert.equal(new Set(all).size, all.length, 'seqs are unique');
        for (const seqs of results) for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1);
        // Calls issued in order get seqs in order (single writer ⇒ global order ⇒ per-VIN order).
        for (let i = 1; i < results.length; i++) assert.ok(results[i][0] > results[i - 1][0]);
        const check = async (log: FrameLog): Promise<void> => {
          const got = await log.read(0, 10_000);
          assert.equal(got.length, all.length);
          const bySeq = new Map(got.map((e) => [e.seq, e]));
          for (const [i, seqs] of results.entries()) {
            for (const [j, seq] of seqs.entries()) {
              const e = bySeq.get(seq);
              assert.ok(e, `seq ${seq} is readable`);
              assert.equal(e.vin, sent[i][j].vin);
              assert.deepEqual(bytes(e), Array.from(sent[i][j].raw));
            }
          }
        };
        await check(h.log);
        if (h.reopen) await check(await h.reopen());
      }));

    void test('cursors are independent, overwritable and persist across reopen', () =>
      withLog(factory, async (h) => {
        await h.log.append([entry(VIN_A, 1), entry(VIN_A, 2), entry(VIN_A, 3)]);
        await h.log.setCursor('store', 2);
        await h.log.setCursor('forward:national', 1);
        await h.log.setCursor('store', 3);
        assert.equal(await h.log.getCursor('store'), 3);
        assert.equal(await h.log.getCursor('forward:national'), 1);
        assert.equal(await h.log.getCursor('alarms'), 0);
        if (!h.reopen) return;
        const log = await h.reopen();
        assert.equal(await log.getCursor('store'), 3);
        assert.equal(await log.getCursor('forward:national'), 1);
        assert.equal(await log.lastSeq(), 3);
        assert.deepEqual(await log.append([entry(VIN_B, 4)]), [4], 'seqs continue after reopen');
      }));

    void test('prune deletes entries received before the limit and never reuses seqs', () =>
      withLog(factory, async (h) => {
        const input: NewLogEntry[] = [];
        for (let i = 0; i < 10; i++) input.push(entry(VIN_A, i, { receivedAt: 1000 + i * 100 }));
        await h.log.append(input);
        assert.equal(await h.log.prune(1000), 0);
        assert.equal(await h.log.prune(1450), 5);
        assert.deepEqual((await h.log.read(0, 100)).map((e) => e.seq), [6, 7, 8, 9, 10]);
        assert.deepEqual((await h.log.readVin(VIN_A, 0, 100)).map((e) => e.seq), [6, 7, 8, 9, 10]);
        assert.equal(await h.log.prune(10_000), 5);
        assert.deepEqual(await h.log.read(0, 100), []);
        assert.equal(await h.log.lastSeq(), 10, 'lastSeq is the high-water mark');
        let log = h.log;
        if (h.reopen) log = await h.reopen();
        assert.deepEqual(await log.append([entry(VIN_A, 11)]), [11]);
      }));

    void test('readVin pages across many appends; one append may hold several VINs', () =>
      withLog(factory, async (h) => {
        const vins = [VIN_A, VIN_B, 'LNBSCCAK5PT000003'];
        const want = new Map<string, number[]>(vins.map((v) => [v, []]));
        // 60 awaited appends (separate commits), each with entries of one to three VINs.
        for (let i = 0; i < 60; i++) {
          const batch = vins.slice(0, 1 + (i % 3)).map((v, j) => entry(v, i * 3 + j));
          const seqs = await h.log.append(batch);
          for (const [j, e] of batch.entries()) want.get(e.vin)?.push(seqs[j]);
        }
        const check = async (log: FrameLog): Promise<void> => {
          for (const vin of vins) {
            const all = await log.readVin(vin, 0, 10_000);
            assert.deepEqual(all.map((e) => e.seq), want.get(vin));
            assert.ok(all.every((e) => e.vin === vin));
            const paged: number[] = [];
            for (let after = 0; ; ) {
              const page = await log.readVin(vin, after, 7);
              if (page.length === 0) break;
              paged.push(...page.map((e) => e.seq));
              after = page[page.length - 1].seq;
            }
            assert.deepEqual(paged, want.get(vin));
            const mid = want.get(vin)?.[10] ?? 0;
            assert.deepEqual((await log.readVin(vin, mid, 3)).map((e) => e.seq), want.get(vin)?.filter((s) => s > mid).slice(0, 3));
          }
          assert.equal((await log.read(0, 10_000)).length, 120);
        };
        await check(h.log);
        if (h.reopen) await check(await h.reopen());
      }));

    void test('reopen keeps every entry with its seq and appends continue after them', () =>
      withLog(factory, async (h) => {
        const input = Array.from({ length: 40 }, (_, i) => entry(i % 2 ? VIN_A : VIN_B, i));
        const seqs = [...(await h.log.append(input.slice(0, 25))), ...(await h.log.append(input.slice(25)))];
        if (!h.reopen) return;
        const log = await h.reopen();
        const got = await log.read(0, 100);
        assert.deepEqual(got.map((e) => e.seq), seqs);
        for (const [i, e] of got.entries()) {
          assert.equal(e.vin, input[i].vin);
          assert.equal(e.receivedAt, input[i].receivedAt);
          assert.deepEqual(bytes(e), Array.from(input[i].raw));
        }
        assert.equal(await log.lastSeq(), 40);
        assert.deepEqual(await log.append([entry(VIN_A, 99)]), [41]);
        assert.deepEqual((await log.readVin(VIN_A, 39, 10)).map((e) => e.seq), [40, 41]);
      }));

    void test('prune removes exactly the entries received before the limit, in any order of receipt', () =>
      withLog(factory, async (h) => {
        const times = [1000, 3000, 2000, 1500, 2600, 900];
        await h.log.append(times.map((t, i) => entry(i % 2 ? VIN_A : VIN_B, i, { receivedAt: t })));
        await h.log.append([entry(VIN_A, 10, { receivedAt: 5000 })]);
        assert.equal(await h.log.prune(2500), 4);
        assert.deepEqual((await h.log.read(0, 100)).map((e) => e.seq), [2, 5, 7]);
        assert.deepEqual((await h.log.readVin(VIN_A, 0, 100)).map((e) => e.seq), [2, 7]);
        assert.deepEqual((await h.log.readVin(VIN_B, 0, 100)).map((e) => e.seq), [5]);
        assert.equal(await h.log.prune(2500), 0, 'nothing left to prune at that limit');
        assert.equal(await h.log.prune(2700), 1);
        assert.deepEqual((await h.log.read(0, 100)).map((e) => e.seq), [2, 7]);
        assert.equal(await h.log.prune(10_000), 2);
        assert.deepEqual(await h.log.read(0, 100), []);
        assert.equal(await h.log.lastSeq(), 7);
        let log = h.log;
        if (h.reopen) log = await h.reopen();
        assert.equal(await log.lastSeq(), 7);
        assert.deepEqual(await log.append([entry(VIN_A, 11)]), [8]);
      }));

    void test('append rejects with LogFullError beyond maxPending', () =>
      withLog(
        factory,
        async ({ log }) => {
          const big = Array.from({ length: 11 }, (_, i) => entry(VIN_A, i));
          await assert.rejects(log.append(big), (err: unknown) => err instanceof LogFullError && err.code === 'NEV_LOG_FULL');
          assert.equal(await log.lastSeq(), 0, 'nothing of a rejected call is written');
          assert.deepEqual(await log.append(big.slice(0, 10)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        },
        { maxPending: 10 },
      ));

    void test('a closed log rejects calls', () =>
      withLog(factory, async ({ log }) => {
        await log.close();
        await assert.rejects(log.append([entry(VIN_A, 1)]), LogClosedError);
        await assert.rejects(log.read(0, 1), LogClosedError);
      }));
  });
}
