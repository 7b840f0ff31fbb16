import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('(not yet available)')
    .action(() => {
      process.stderr.write('nevhub serve: not yet available in this build\n');
      process.exitCode = 2;
    });
}
