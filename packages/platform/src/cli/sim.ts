import type { Command } from 'commander';

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('(not yet available)')
    .action(() => {
      process.stderr.write('nevhub sim: not yet available in this build\n');
      process.exitCode = 2;
    });
}
