// Writes data/baoding-roads.geojson from the generator: node --import tsx src/roads/write-geojson.ts
import { writeFileSync } from 'node:fs';
import { roadsGeoJson } from './geojson.js';

const target = new URL('../../data/baoding-roads.geojson', import.meta.url);
writeFileSync(target, JSON.stringify(roadsGeoJson()) + '\n');
process.stdout.write(`wrote ${target.pathname}\n`);
