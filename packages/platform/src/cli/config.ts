// `nevhub config`: prints the effective configuration (defaults < file < environment < flags) as
// JSON, with secrets masked.
import type { Command } from 'commander';
import { ConfigError } from '../config/schema.js';
import { loadConfig, maskSecrets } from '../config/load.js';
import { addConfigFlags, flagsLayer, type ConfigFlags } from './flags.js';

export function registerConfig(program: Command): void {
  addConfigFlags(
    program.command('config').description('print the effective configuration as JSON (secrets masked)'),
  ).action((opts: ConfigFlags) => {
    try {
      const config = loadConfig({ file: opts.config, flags: flagsLayer(opts) });
      process.stdout.write(`${JSON.stringify(maskSecrets(config), null, 2)}\n`);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      process.stderr.write(`nevhub config: ${err.message}\n`);
      process.exitCode = 2;
    }
  });
}
