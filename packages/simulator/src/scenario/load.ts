// Loads a scenario: a built-in name ("baoding") or a .yaml/.yml/.json file path (YAML is a JSON
// superset, so one parser reads both), or an already parsed object.
import { readFileSync, existsSync } from 'node:fs';
import { parse } from 'yaml';
import { ScenarioError, validateScenario } from './validate.js';
import type { Scenario } from './types.js';

const BUILT_IN: Record<string, URL> = {
  baoding: new URL('../../scenarios/baoding.yaml', import.meta.url),
};

export function loadScenario(source: string | object): Scenario {
  if (typeof source !== 'string') return validateScenario(source);
  const file = BUILT_IN[source] ?? source;
  if (typeof file === 'string' && !existsSync(file)) {
    throw new ScenarioError([`scenario "${source}" is neither a built-in (${Object.keys(BUILT_IN).join(', ')}) nor a file`]);
  }
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ScenarioError([`${String(source)}: not valid YAML/JSON (${(e as Error).message.split('\n')[0]})`]);
  }
  return validateScenario(raw);
}
