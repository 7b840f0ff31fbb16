// Runs the fleet against a platform (or an in-process fake one) and prints, every wall second,
// the simulated clock, logins answered, event-loop delay (perf_hooks) and CPU use.
// Usage: node --import tsx packages/simulator/bench/speed.ts [port|fake] [speed] [seconds] [scenario]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startFleet } from '../src/index.js';
import { FakePlatform } from '../src/testing/fake-platform.js';

const [portArg = 'fake', speedArg = '60', secondsArg = '20', scenario = 'baoding'] = process.argv.slice(2);
const fake = portArg === 'fake' ? new FakePlatform() : undefined;
const port = fake ? await fake.start() : Number(portArg);
const eld = monitorEventLoopDelay({ resolution: 10 });
eld.enable();
const fleet = startFleet({ scenario, target: { host: '127.0.0.1', port }, speed: Number(speedArg), seed: 1 });
const t0 = performance.now();
let cpu = process.cpuUsage();
let lastT = t0;
let lastFrames = 0;
let firstAllOnline: number | undefined;
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const now = performance.now();
    const s = fleet.stats();
    const c = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const frames = Object.values(s.framesSent).reduce((a, b) => a + b, 0);
    const wall = (now - lastT) / 1000;
    const logins = fleet.counters.logins;
    if (firstAllOnline === undefined && s.online === s.vehicles) firstAllOnline = (now - t0) / 1000;
    console.log(
      `t=${((now - t0) / 1000).toFixed(1)}s sim=${s.simSeconds}s online=${s.online}/${s.vehicles} logins=${logins} loginFrames=${s.framesSent.vehicleLogin ?? 0} frames/s=${((frames - lastFrames) / wall).toFixed(0)} ` +
        `eld p50=${(eld.percentile(50) / 1e6).toFixed(0)}ms max=${(eld.max / 1e6).toFixed(0)}ms cpu=${(((c.user + c.system) / 1e6 / wall) * 100).toFixed(0)}%`,
    );
    eld.reset();
    lastT = now;
    lastFrames = frames;
    if (now - t0 >= Number(secondsArg) * 1000) {
      clearInterval(timer);
      resolve();
    }
  }, 1000);
});
const stuck: Record<string, number> = {};
for (const t of fleet.terminals) if (t.state === 'loggingIn' || t.state === 'connecting') stuck[`${t.state}:${t.v.edition}:${t.v.spec.kind}`] = (stuck[`${t.state}:${t.v.edition}:${t.v.spec.kind}`] ?? 0) + 1;
const final = fleet.stats();
await fleet.stop();
console.log(JSON.stringify({ ...final, allOnlineAfterS: firstAllOnline, stuck }));
await fake?.stop();
