import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFleet } from './fleet.js';
import { Pacer, SecondStepper } from './pacer.js';
import { FakePlatform } from './testing/fake-platform.js';
import { loadScenario } from './scenario/load.js';

const START = Date.parse('2026-06-01T07:00:00+08:00');

/** Resolves on the next check phase: one event-loop turn (with its poll phase) has passed. */
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

test('the stepper runs every item once per second, in chunks, with begin/end around them', () => {
  const log: string[] = [];
  const s = new SecondStepper(
    { count: () => 5, begin: (t) => log.push(`b${t}`), item: (i, t) => log.push(`${t}.${i}`), end: (t) => log.push(`e${t}`) },
    2,
  );
  s.runChunk();
  assert.equal(s.tS, 0);
  assert.equal(s.midSecond, true);
  s.runChunk();
  s.runChunk();
  assert.equal(s.tS, 1);
  assert.equal(s.midSecond, false);
  s.runChunk();
  assert.deepEqual(log, ['b1', '1.0', '1.1', '1.2', '1.3', '1.4', 'e1', 'b2', '2.0', '2.1']);
});

test('a pacer far behind its clock still yields to I/O after a bounded number of items per turn', async () => {
  let items = 0;
  const s = new SecondStepper({ count: () => 1000, begin: () => undefined, item: () => void items++, end: () => undefined }, 50);
  // Speed 10,000: the clock is always far ahead, the old loop would run thousands of seconds at once.
  const pacer = new Pacer(s, { speed: 10_000, maxChunksPerTurn: 3, sliceMs: 1000, maxLagS: 0.001 });
  let maxPerTurn = 0;
  for (let i = 0; i < 200; i++) {
    const before = items;
    await turn();
    maxPerTurn = Math.max(maxPerTurn, items - before);
  }
  pacer.stop();
  assert.ok(items > 0);
  assert.ok(maxPerTurn <= 3 * 50, `ran ${maxPerTurn} items in one turn`);
  assert.ok(pacer.slippedS > 0, 'the clock slipped instead of bursting');
});

test('at --speed 60 the full Baoding fleet gets every login answered before a login timeout', async (t) => {
  const p = new FakePlatform();
  const port = await p.start();
  // The built-in fleet without its scheduled faults (an outage would add reconnects to count).
  const scenario = { ...loadScenario('baoding'), events: [] };
  const fleet = startFleet({ scenario, target: { host: '127.0.0.1', port }, speed: 60, seed: 1, startMs: START });
  assert.equal(fleet.terminals.length, 850);
  const c = fleet.counters;
  // Wait on simulated time, not wall time: stop once no terminal is connecting or waiting for its
  // login reply, or at the first login timeout (2016: 60 s, scaled to 10 s of wall time at speed
  // 60 = 600 simulated seconds).
  let maxItemsPerTurn = 0;
  const pending = (): number => fleet.terminals.filter((t) => t.state === 'connecting' || t.state === 'loggingIn').length;
  while (fleet.stepper.tS < 600) {
    const before = fleet.stepper.itemsRun;
    await turn();
    maxItemsPerTurn = Math.max(maxItemsPerTurn, fleet.stepper.itemsRun - before);
    if (c.connectAttempts > 0 && pending() === 0) break;
  }
  const simAtDone = fleet.stepper.tS;
  t.diagnostic(`logins settled at simulated ${simAtDone} s, max ${maxItemsPerTurn} vehicle-steps per turn`);
  const left = pending();
  await fleet.stop();
  await p.stop();
  assert.equal(left, 0, `${left} terminals still waiting at simulated ${simAtDone} s`);
  assert.equal(c.loginTimeouts, 0);
  assert.ok(c.connectAttempts >= 700, `${c.connectAttempts} terminals connected`);
  assert.equal(c.logins, c.connectAttempts, 'every connection got its login answered');
  // Per-turn work is bounded by construction: at most 4 chunks of 64 vehicles between I/O.
  assert.ok(maxItemsPerTurn <= 4 * 64, `${maxItemsPerTurn} vehicle-steps in one event-loop turn`);
});
