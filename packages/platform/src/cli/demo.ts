// `nevhub demo` (what `npm start` runs): the embedded platform in a local data directory, the
// Baoding scenario driving it over real TCP, and the dashboard. Prints the URL with a token;
// Ctrl-C stops the fleet first (terminals log out), then the platform.
import type { Command } from 'commander';
import { startFleet, loadScenario, type FleetHandle } from '@nevhub/simulator';
import { ConfigError } from '../config/schema.js';
import { loadConfig, setPath } from '../config/load.js';
import { startPlatform, type Platform } from '../platform.js';
import { addConfigFlags, flagsLayer, type ConfigFlags } from './flags.js';
import { loadRoads } from './roads.js';

interface DemoFlags extends ConfigFlags {
  scenario: string;
  speed: string;
  seed: string;
  vehicles?: string;
}

/** Simulator vehicle kinds → registry type and powertrain (store/types.ts VehicleRecord). */
const KINDS: Record<string, { vehicleType: string; powertrain: string; letter: string }> = {
  taxi: { vehicleType: 'taxi', powertrain: 'bev', letter: 'D' },
  bus: { vehicleType: 'bus', powertrain: 'bev', letter: 'D' },
  phev: { vehicleType: 'car', powertrain: 'phev', letter: 'F' },
  sanitation: { vehicleType: 'sanitation', powertrain: 'fcev', letter: 'D' },
};

/** A Baoding plate (冀F) in the new-energy format: D = pure electric/fuel cell, F = hybrid. */
function plateFor(letter: string, index: number): string {
  return `冀F·${letter}${String(10001 + index).padStart(5, '0')}`;
}

/** Registers the simulated fleet so the dashboard can filter by type and powertrain. */
async function registerFleet(platform: Platform, fleet: FleetHandle): Promise<void> {
  let i = 0;
  for (const v of fleet.fleet.vehicles) {
    const kind = KINDS[v.spec.kind] ?? { vehicleType: 'other', powertrain: 'other', letter: 'D' };
    const existing = await platform.store.getVehicle(v.vin);
    await platform.store.upsertVehicle({
      vin: v.vin,
      plate: existing?.plate ?? plateFor(kind.letter, i),
      vehicleType: kind.vehicleType,
      powertrain: kind.powertrain,
      enabled: true,
      iccid: v.iccid,
      version: v.edition,
    });
    i++;
  }
}

/** A fresh operator token for this demo run (the previous demo token is revoked). */
function demoToken(platform: Platform): string {
  const tokens = platform.apiDb.tokens;
  for (const t of tokens.list()) if (t.name === 'demo') tokens.delete(t.id);
  return tokens.create('demo', 'admin').token;
}

export function registerDemo(program: Command): void {
  addConfigFlags(
    program
      .command('demo')
      .description('run the platform with the simulated Baoding fleet and the dashboard (npm start)')
      .option('--scenario <name|file>', 'scenario name or file', 'baoding')
      .option('--speed <x>', 'time acceleration (simulated seconds per second)', '1')
      .option('--seed <n>', 'seed of the simulated fleet', '1')
      .option('--vehicles <n>', 'scale the scenario to this many vehicles'),
  ).action(async (opts: DemoFlags) => {
    let config;
    try {
      const flags = flagsLayer(opts);
      if (opts.dataDir === undefined) setPath(flags, 'dataDir', './data/demo');
      // The demo's console is for the person watching it: warnings only unless asked.
      if (opts.logLevel === undefined && process.env.NEVHUB_LOG_LEVEL === undefined) setPath(flags, 'log.level', 'warn');
      config = loadConfig({ file: opts.config, flags });
      loadScenario(opts.scenario);
    } catch (err) {
      process.stderr.write(`nevhub demo: ${(err as Error).message}\n`);
      process.exitCode = err instanceof ConfigError ? 2 : 1;
      return;
    }
    let platform: Platform;
    try {
      platform = await startPlatform(config, { roads: loadRoads });
    } catch (err) {
      process.stderr.write(`nevhub demo: cannot start the platform: ${(err as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    const fleet = startFleet({
      scenario: opts.scenario,
      target: { host: '127.0.0.1', port: platform.address.port },
      speed: Number(opts.speed),
      seed: Number(opts.seed),
      vehicles: opts.vehicles === undefined ? undefined : Number(opts.vehicles),
      // Frames carry the current time, so the dashboard's "last hour" shows the run.
      startMs: Date.now(),
      log: (line) => platform.logger.info(line),
    });
    await registerFleet(platform, fleet);
    const token = demoToken(platform);
    const url = platform.http ? platform.http.url.replace('127.0.0.1', 'localhost') : '(API disabled)';
    process.stdout.write(
      [
        `nevhub demo: ${fleet.fleet.vehicles.length} simulated vehicles → gateway tcp://127.0.0.1:${platform.address.port}`,
        `dashboard: ${url}/?token=${token}`,
        `API docs:  ${url}/docs   (Authorization: Bearer ${token})`,
        `data dir:  ${config.dataDir}    Ctrl-C stops everything.`,
        '',
      ].join('\n'),
    );
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      process.stdout.write('nevhub demo: stopping…\n');
      fleet
        .stop()
        .then(() => platform.close())
        .then(
          () => process.exit(0),
          (err: unknown) => {
            process.stderr.write(`nevhub demo: unclean stop: ${(err as Error).message}\n`);
            process.exit(1);
          },
        );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
