import type { Command } from 'commander';

export function registerDecode(program: Command): void {
  program
    .command('decode')
    .description('(not yet available)')
    .action(() => {
      process.exitCode = 2;
    });
}
