// `nevhub sim`: runs the Baoding fleet simulator (or a scenario file) against a platform, or with
// --load many lightweight connections for gateway load tests. Errors are one line, never a stack.
import type { Command } from 'commander';
import { parseDuration, runLoad, ScenarioError, startFleet } from '@nevhub/simulator';

function target(text: string): { host: string; port: number } {
  const m = /^(.*):(\d+)$/.exec(text);
  if (!m) throw new Error(`--target must be host:port, got "${text}"`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
}

interface SimOpts {
  scenario: string;
  target: string;
  duration: string;
  speed: string;
  seed?: string;
  vehicles?: string;
  load?: boolean;
  connections: string;
  rate: string;
  localAddresses?: string;
}

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('simulate a GB/T 32960 fleet (Baoding scenario) or generate connection load')
    .option('--scenario <name|file>', 'built-in scenario name or a YAML/JSON file', 'baoding')
    .option('--target <host:port>', 'platform gateway address', '127.0.0.1:32960')
    .option('--duration <time>', 'wall-clock run time, e.g. 90s, 10m, 1h', '10m')
    .option('--speed <n>', 'simulated seconds per wall second', '1')
    .option('--seed <n>', 'random seed (default: the scenario seed)')
    .option('--vehicles <n>', 'scale the fleet to n vehicles')
    .option('--load', 'load mode: many lightweight connections instead of the fleet')
    .option('--connections <n>', 'load mode: number of connections', '10000')
    .option('--rate <n>', 'load mode: realtime frames per connection per second', '0.1')
    .option('--local-addresses <list>', 'load mode: comma-separated source addresses (127.x.y.z)')
    .action(async (o: SimOpts) => {
      try {
        const t = target(o.target);
        const durationS = parseDuration(o.duration);
        if (durationS === undefined) throw new Error(`--duration: "${o.duration}" is not a duration`);
        if (o.load) {
          const summary = await runLoad({
            target: t,
            connections: Number(o.connections),
            rate: Number(o.rate),
            durationS,
            progress: true,
            ...(o.localAddresses ? { localAddresses: o.localAddresses.split(',') } : {}),
          });
          process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
          return;
        }
        const fleet = startFleet({
          scenario: o.scenario,
          target: t,
          speed: Number(o.speed),
          ...(o.seed !== undefined ? { seed: Number(o.seed) } : {}),
          ...(o.vehicles !== undefined ? { vehicles: Number(o.vehicles) } : {}),
          log: (line) => process.stderr.write(`nevhub sim: ${line}\n`),
        });
        process.stderr.write(`nevhub sim: ${fleet.fleet.vehicles.length} vehicles → ${t.host}:${t.port}, speed ${o.speed}×\n`);
        const progress = setInterval(() => {
          const s = fleet.stats();
          const frames = Object.values(s.framesSent).reduce((a, b) => a + b, 0);
          process.stderr.write(`\r${s.simTime} (${s.effectiveSpeed}×) online ${s.online}/${s.vehicles} frames ${frames} replies ${s.replies} stored ${s.stored}   `);
        }, 1000);
        const stop = async (): Promise<void> => {
          clearInterval(progress);
          await fleet.stop();
          process.stderr.write('\n');
          const summary = fleet.stats();
          process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
          if (summary.logins === 0) {
            // Retried for the whole run and never got a login answered: say so in the exit status.
            process.stderr.write(`nevhub sim: no vehicle could log in to ${t.host}:${t.port} during the run\n`);
            process.exitCode = 1;
          }
        };
        await new Promise<void>((resolve) => {
          const t2 = setTimeout(resolve, durationS * 1000);
          process.once('SIGINT', () => {
            clearTimeout(t2);
            resolve();
          });
        });
        await stop();
      } catch (e) {
        const msg = e instanceof ScenarioError ? `invalid scenario: ${e.problems.join('; ')}` : (e as Error).message;
        process.stderr.write(`nevhub sim: ${msg}\n`);
        process.exitCode = 2;
      }
    });
}
