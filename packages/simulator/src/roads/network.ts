// A synthetic but plausible road network around Baoding's centre (≈ 38.87° N, 115.46° E), built
// deterministically from code: a 15 × 15 km grid of arterials every 750 m, the 2nd and 3rd ring
// roads as faster rectangular rings (Baoding's rings are roughly rectangular), and the depots,
// chargers and hydrogen stations the fleet uses. No randomness: every run sees the same city.
import { toLatLon, type LatLon } from './geo.js';

export const GRID_STEP_M = 750;
/** Grid indices run −GRID_HALF…+GRID_HALF on both axes (±7.5 km). */
export const GRID_HALF = 10;
const SIDE = 2 * GRID_HALF + 1;

export type RoadClass = 'ring' | 'arterial' | 'secondary';

export interface RoadNode {
  id: number;
  i: number;
  j: number;
  x: number;
  y: number;
  lat: number;
  lon: number;
}

export interface RoadEdge {
  from: number;
  to: number;
  lengthM: number;
  name: string;
  cls: RoadClass;
  speedKmh: number;
}

export type PoiKind = 'taxiDepot' | 'busDepot' | 'sanitationDepot' | 'charger' | 'h2Station';

export interface Poi {
  id: string;
  kind: PoiKind;
  name: string;
  node: number;
  /** Chargers: DC fast-charging power in kW. */
  powerKw?: number;
}

export interface RoadNetwork {
  nodes: RoadNode[];
  /** Outgoing edges per node. */
  out: RoadEdge[][];
  /** Each undirected road segment once. */
  segments: RoadEdge[];
  pois: Poi[];
}

// Real Baoding street names for the main lines; the rest get numbered names.
const EW_NAMES: Record<number, string> = {
  [-6]: 'Lekai Street',
  [-2]: 'Yuhua Road',
  [-1]: 'Wusi Road',
  0: 'Dongfeng Road',
  1: 'Qiyi Road',
  2: 'Fuxing Road',
  3: 'Renmin Road',
  6: 'Huayuan Street',
};
const NS_NAMES: Record<number, string> = {
  [-6]: 'Jinxiu Street',
  [-3]: 'Dongfeng West Street',
  [-1]: 'Yumin Street',
  0: 'Chaoyang Street',
  1: 'Zhongshan Street',
  2: 'Changcheng Street',
  3: 'Dongguan Street',
  6: 'Lianchi Street',
};

/** 2nd ring at ±4 steps (3 km), 3rd ring at ±9 steps (6.75 km). */
const RINGS = [
  { k: 4, name: '2nd Ring Road', speedKmh: 60 },
  { k: 9, name: '3rd Ring Road', speedKmh: 70 },
] as const;

export function nodeId(i: number, j: number): number {
  return (i + GRID_HALF) * SIDE + (j + GRID_HALF);
}

function side(k: number, axis: 'x' | 'y'): string {
  if (axis === 'x') return k > 0 ? 'East' : 'West';
  return k > 0 ? 'North' : 'South';
}

/** Class, name and speed of the segment on line `k` (a N–S line when axis is 'x') at cross index t..t+1. */
function classify(axis: 'x' | 'y', k: number, t: number): { name: string; cls: RoadClass; speedKmh: number } {
  for (const ring of RINGS) {
    if (Math.abs(k) === ring.k && t >= -ring.k && t + 1 <= ring.k) {
      return { name: `${side(k, axis)} ${ring.name}`, cls: 'ring', speedKmh: ring.speedKmh };
    }
  }
  const names = axis === 'x' ? NS_NAMES : EW_NAMES;
  const name = names[k] ?? (axis === 'x' ? `${Math.abs(k)}${side(k, 'x')[0]} Street` : `${Math.abs(k)}${side(k, 'y')[0]} Road`);
  if (k % 2 === 0 || names[k] !== undefined) return { name, cls: 'arterial', speedKmh: 50 };
  return { name, cls: 'secondary', speedKmh: 40 };
}

const POIS: { id: string; kind: PoiKind; name: string; i: number; j: number; powerKw?: number }[] = [
  { id: 'taxi-depot', kind: 'taxiDepot', name: 'Baoding taxi depot', i: -2, j: 1 },
  { id: 'bus-depot-w', kind: 'busDepot', name: 'Bus depot West', i: -8, j: -8 },
  { id: 'bus-depot-e', kind: 'busDepot', name: 'Bus depot East', i: 8, j: 7 },
  { id: 'san-depot-n', kind: 'sanitationDepot', name: 'Sanitation depot North', i: -6, j: 6 },
  { id: 'san-depot-s', kind: 'sanitationDepot', name: 'Sanitation depot South', i: 6, j: -6 },
  { id: 'h2-south', kind: 'h2Station', name: 'Hydrogen station South (35 MPa)', i: 7, j: -7 },
  { id: 'h2-north', kind: 'h2Station', name: 'Hydrogen station North (35 MPa)', i: -7, j: 7 },
  { id: 'chg-centre', kind: 'charger', name: 'DC charging hub Centre', i: 1, j: 0, powerKw: 120 },
  { id: 'chg-west', kind: 'charger', name: 'DC charging hub West', i: -5, j: -1, powerKw: 120 },
  { id: 'chg-east', kind: 'charger', name: 'DC charging hub East', i: 5, j: 2, powerKw: 120 },
  { id: 'chg-north', kind: 'charger', name: 'DC charging hub North', i: 0, j: 6, powerKw: 120 },
  { id: 'chg-south', kind: 'charger', name: 'DC charging hub South', i: -1, j: -6, powerKw: 120 },
  { id: 'chg-bus-w', kind: 'charger', name: 'Bus charging West', i: -8, j: -7, powerKw: 240 },
  { id: 'chg-bus-e', kind: 'charger', name: 'Bus charging East', i: 8, j: 6, powerKw: 240 },
];

function build(): RoadNetwork {
  const nodes: RoadNode[] = [];
  for (let i = -GRID_HALF; i <= GRID_HALF; i++) {
    for (let j = -GRID_HALF; j <= GRID_HALF; j++) {
      const x = i * GRID_STEP_M;
      const y = j * GRID_STEP_M;
      const ll: LatLon = toLatLon(x, y);
      nodes.push({ id: nodeId(i, j), i, j, x, y, lat: ll.lat, lon: ll.lon });
    }
  }
  const out: RoadEdge[][] = nodes.map(() => []);
  const segments: RoadEdge[] = [];
  const add = (a: number, b: number, c: { name: string; cls: RoadClass; speedKmh: number }): void => {
    const e = { from: a, to: b, lengthM: GRID_STEP_M, ...c };
    segments.push(e);
    out[a].push(e);
    out[b].push({ ...e, from: b, to: a });
  };
  for (let k = -GRID_HALF; k <= GRID_HALF; k++) {
    for (let t = -GRID_HALF; t < GRID_HALF; t++) {
      add(nodeId(k, t), nodeId(k, t + 1), classify('x', k, t)); // N–S line x = k
      add(nodeId(t, k), nodeId(t + 1, k), classify('y', k, t)); // E–W line y = k
    }
  }
  const pois: Poi[] = POIS.map((p) => {
    const poi: Poi = { id: p.id, kind: p.kind, name: p.name, node: nodeId(p.i, p.j) };
    if (p.powerKw !== undefined) poi.powerKw = p.powerKw;
    return poi;
  });
  return { nodes, out, segments, pois };
}

let cached: RoadNetwork | undefined;

/** The Baoding network (built once, shared and never mutated). */
export function baodingNetwork(): RoadNetwork {
  cached ??= build();
  return cached;
}

export function poisOf(net: RoadNetwork, kind: PoiKind): Poi[] {
  return net.pois.filter((p) => p.kind === kind);
}
