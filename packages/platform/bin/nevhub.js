#!/usr/bin/env node
// nevhub CLI entry. Runs the TypeScript sources through tsx (no build step needed after install).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
