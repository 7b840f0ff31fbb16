import type { Command } from 'commander';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('(not yet available)')
    .action(() => {
      process.stderr.write('nevhub demo: not yet available in this build\n');
      process.exitCode = 2;
    });
}
