import type { Command } from 'commander';

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('(not yet available)')
    .action(() => {
      process.stderr.write('nevhub config: not yet available in this build\n');
      process.exitCode = 2;
    });
}
