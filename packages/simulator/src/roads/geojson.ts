// The network as GeoJSON (RFC 7946): LineStrings per road run (consecutive segments with the same
// name and class merged) and Points for depots, chargers and hydrogen stations. The dashboard draws
// this as its offline basemap; data/baoding-roads.geojson is this output, written by write-geojson.ts.
import { baodingNetwork, type RoadEdge } from './network.js';

export interface GeoJsonFeature {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: [number, number][] } | { type: 'Point'; coordinates: [number, number] };
  properties: Record<string, string | number>;
}

export interface GeoJsonCollection {
  type: 'FeatureCollection';
  name: string;
  features: GeoJsonFeature[];
}

const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

export function roadsGeoJson(): GeoJsonCollection {
  const net = baodingNetwork();
  const features: GeoJsonFeature[] = [];
  // Segments are generated line by line in order, so runs are consecutive in the list.
  let run: RoadEdge[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    const coords: [number, number][] = [run[0].from, ...run.map((e) => e.to)].map((id) => [
      round6(net.nodes[id].lon),
      round6(net.nodes[id].lat),
    ]);
    const e = run[0];
    features.push({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: coords },
      properties: { name: e.name, class: e.cls, speedKmh: e.speedKmh },
    });
    run = [];
  };
  // Group per line: N–S segments and E–W segments interleave in `segments`, so split them first.
  const ns = net.segments.filter((e) => net.nodes[e.from].i === net.nodes[e.to].i);
  const ew = net.segments.filter((e) => net.nodes[e.from].j === net.nodes[e.to].j);
  for (const list of [ns, ew]) {
    for (const e of list) {
      const prev = run[run.length - 1];
      if (prev && (prev.to !== e.from || prev.name !== e.name || prev.cls !== e.cls)) flush();
      run.push(e);
    }
    flush();
  }
  for (const p of net.pois) {
    const n = net.nodes[p.node];
    const props: Record<string, string | number> = { id: p.id, kind: p.kind, name: p.name };
    if (p.powerKw !== undefined) props.powerKw = p.powerKw;
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [round6(n.lon), round6(n.lat)] }, properties: props });
  }
  return { type: 'FeatureCollection', name: 'baoding-roads', features };
}
