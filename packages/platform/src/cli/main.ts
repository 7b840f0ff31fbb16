// The `nevhub` command line. Each subcommand lives in its own file and registers itself here.
import { Command } from 'commander';
import { registerDecode } from './decode.js';
import { registerServe } from './serve.js';
import { registerSim } from './sim.js';
import { registerDemo } from './demo.js';
import { registerConfig } from './config.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('nevhub')
    .description('Open GB/T 32960 platform for new-energy vehicles (2016 "##" and 2025 "$$")')
    .version('0.1.0');
  registerDecode(program);
  registerServe(program);
  registerSim(program);
  registerDemo(program);
  registerConfig(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
