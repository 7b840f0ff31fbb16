// Writes the published JSON Schema of the decoded frame (src/schema.ts) to schema/frame.schema.json,
// formatted with the repository's Prettier settings.
// Run: node --import tsx packages/gbt32960/bench/write-schema.ts  (schema.test.ts checks it is current)
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { frameJsonSchema } from '../src/schema.js';

const dir = new URL('../schema/', import.meta.url);
mkdirSync(dir, { recursive: true });
const file = fileURLToPath(new URL('frame.schema.json', dir));
const options = (await resolveConfig(file)) ?? {};
writeFileSync(file, await format(JSON.stringify(frameJsonSchema()), { ...options, filepath: file }));
console.log(`wrote ${file}`);
