// Splits the cost of one simulated second into vehicle physics and terminal work.
import { startFleet } from '../src/index.js';
import { Terminal } from '../src/terminal/terminal.js';
import { FakePlatform } from '../src/testing/fake-platform.js';

const p = new FakePlatform();
const port = await p.start();
const fleet = startFleet({ scenario: 'baoding', target: { host: '127.0.0.1', port }, manual: true, seed: 1 });
let tickMs = 0;
// eslint-disable-next-line @typescript-eslint/unbound-method -- wrapped and called with .call(this)
const orig = Terminal.prototype.tick;
Terminal.prototype.tick = function (this: Terminal, a: number, b: number) {
  const t = performance.now();
  orig.call(this, a, b);
  tickMs += performance.now() - t;
};
const v0 = fleet.fleet.vehicles[0];
const vproto = Object.getPrototypeOf(v0) as { step(dt: number): void };
// eslint-disable-next-line @typescript-eslint/unbound-method -- wrapped and called with .call(this)
const ostep = vproto.step;
let stepMs = 0;
vproto.step = function (this: unknown, dt: number) {
  const t = performance.now();
  ostep.call(this, dt);
  stepMs += performance.now() - t;
};
await fleet.advance(20);
tickMs = 0; stepMs = 0;
const N = 100;
const t1 = performance.now();
await fleet.advance(N);
const wall = performance.now() - t1;
console.log(`per sim second: wall ${(wall / N).toFixed(2)} ms, vehicles.step ${(stepMs / N).toFixed(2)} ms, terminal.tick ${(tickMs / N).toFixed(2)} ms`, fleet.stats().online);
await fleet.stop();
await p.stop();
