// The road network served at /api/v1/roads: the simulator's Baoding basemap (offline, in the
// repository). Loaded lazily so `serve` does not build it unless the dashboard asks.
import { roadsGeoJson } from '@nevhub/simulator';

let cached: unknown;
export function loadRoads(): unknown {
  cached ??= roadsGeoJson();
  return cached;
}
