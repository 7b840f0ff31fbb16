// @nevhub/simulator — Baoding fleet simulator and GB/T 32960 terminal client.
export { startFleet, type FleetOptions, type FleetHandle, type FleetSummary } from './fleet.js';
export { loadScenario } from './scenario/load.js';
export { validateScenario, ScenarioError, parseDuration } from './scenario/validate.js';
export type { Scenario, FleetGroup, ScenarioEvent } from './scenario/types.js';
export { roadsGeoJson } from './roads/geojson.js';
export { baodingNetwork } from './roads/network.js';
export { runLoad, type LoadOptions, type LoadSummary } from './load/run.js';
