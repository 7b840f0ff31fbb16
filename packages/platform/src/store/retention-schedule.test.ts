import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryFrameLog } from '../log/memory.js';
import { scheduleRetention } from './retention-schedule.js';

const DAY = 86_400_000;

function entry(receivedAt: number) {
  return { vin: 'LNEVHUB0000000001', version: 2016 as const, commandId: 2, collectedAt: null, receivedAt, sessionId: 's', peer: 'p', raw: new Uint8Array([0x23, 0x23]) };
}

test('the schedule prunes the raw log and the store by policy, and keeps everything with "forever"', async () => {
  const now = Date.now();
  const log = new MemoryFrameLog();
  await log.append([entry(now - 10 * DAY), entry(now - 2 * DAY), entry(now)]);
  const pruned: number[] = [];
  const store = {
    pruneHistory: (before: number) => {
      pruned.push(before);
      return Promise.resolve(4);
    },
    pruneSessionEvents: () => Promise.resolve(0),
  };
  const s = scheduleRetention(log, store, { rawLogDays: 7, historyDays: 30, sessionEventsDays: 'forever' }, { everyMs: 3_600_000 });
  const r = await s.runNow();
  await s.stop();
  assert.equal(r?.historyDeleted, 4);
  assert.equal((await log.read(0, 10)).length, 2, 'the 10-day-old frame is gone, the others stay');
  assert.ok(Math.abs(pruned[0] - (now - 30 * DAY)) < 60_000);

  const keepAll = scheduleRetention(log, store, { rawLogDays: 'forever', historyDays: 'forever', sessionEventsDays: 'forever' });
  assert.equal(await keepAll.runNow(), undefined);
  await keepAll.stop();
  assert.equal((await log.read(0, 10)).length, 2);
});
