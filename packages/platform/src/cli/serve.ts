// `nevhub serve`: the embedded platform (frame log, store, store consumer, gateway) in one process.
import type { Command } from 'commander';
import { ConfigError } from '../config/schema.js';
import { loadConfig } from '../config/load.js';
import { startPlatform } from '../platform.js';
import { addConfigFlags, flagsLayer, type ConfigFlags } from './flags.js';
import { loadRoads } from './roads.js';

export function registerServe(program: Command): void {
  addConfigFlags(
    program.command('serve').description('run the gateway with the SQLite frame log and store'),
  ).action(async (opts: ConfigFlags) => {
    let config;
    try {
      config = loadConfig({ file: opts.config, flags: flagsLayer(opts) });
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`nevhub serve: ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      throw err;
    }
    let platform;
    try {
      platform = await startPlatform(config, { roads: loadRoads });
    } catch (err) {
      process.stderr.write(`nevhub serve: ${(err as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    const { host, port, tls } = platform.address;
    // One plain line on stdout (scripts and the crash test read the port from it).
    process.stdout.write(
      `nevhub gateway listening on ${tls ? 'tls' : 'tcp'}://${host}:${port} (data dir ${config.dataDir})\n`,
    );
    if (platform.http) process.stdout.write(`nevhub API and dashboard on ${platform.http.url} (OpenAPI at /docs)\n`);
    if (platform.firstAdminToken) {
      process.stdout.write(`admin token (shown once, stored hashed): ${platform.firstAdminToken}\n`);
    }
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      platform.logger.info({ signal }, 'stopping');
      platform.close().then(
        () => process.exit(0),
        (err: unknown) => {
          platform.logger.error({ err }, 'unclean stop');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
