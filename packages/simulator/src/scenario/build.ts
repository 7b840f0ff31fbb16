// Scenario → vehicles: scales the fleet to the requested size, assigns VINs, ICCIDs, editions,
// home positions and duty plans (lines, districts, commutes), and attaches the vehicle faults.
import { baodingNetwork, GRID_HALF, nodeId, poisOf, type RoadNetwork } from '../roads/network.js';
import { Rng } from '../rng.js';
import { SPECS, type VehicleKind } from '../vehicles/specs.js';
import { SimVehicle } from '../vehicles/vehicle.js';
import type { Plan } from '../vehicles/behaviours.js';
import { VEHICLE_FAULTS, type VehicleFaultKind } from '../vehicles/faults.js';
import type { Scenario, FleetGroup } from './types.js';

/** Largest-remainder scaling of the group counts to `total` vehicles. */
export function scaleCounts(groups: FleetGroup[], total: number | undefined): number[] {
  const sum = groups.reduce((a, g) => a + g.count, 0);
  if (total === undefined || total === sum) return groups.map((g) => g.count);
  const exact = groups.map((g) => (g.count * total) / sum);
  const out = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const missing = total - out.reduce((a, b) => a + b, 0);
  for (let k = 0; k < missing; k++) out[order[k % order.length][1]]++;
  return out;
}

const VIN_VALUES: Record<string, number> = Object.fromEntries(
  [...'ABCDEFGH'].map((c, i): [string, number] => [c, i + 1]).concat(
    [...'JKLMN'].map((c, i): [string, number] => [c, i + 1]),
    [['P', 7], ['R', 9]],
    [...'STUVWXYZ'].map((c, i): [string, number] => [c, i + 2]),
  ),
);
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** VIN with the GB 16735 / ISO 3779 check digit in position 9. */
export function makeVin(head8: string, serial: number): string {
  const raw = `${head8}0RB${String(serial).padStart(6, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = raw[i];
    sum += (c >= '0' && c <= '9' ? Number(c) : VIN_VALUES[c]) * VIN_WEIGHTS[i];
  }
  const check = sum % 11 === 10 ? 'X' : String(sum % 11);
  return raw.slice(0, 8) + check + raw.slice(9);
}

const BUS_LINES: [number, number, number, number][] = [
  [-8, -8, 8, 7], [-9, 0, 9, 0], [0, -9, 0, 9], [-6, 6, 6, -6], [-4, -4, 4, 4], [-9, 4, 9, -4], [2, -9, -2, 9], [-8, 7, 8, -8],
];

function hhmm(h: number, m = 0): number {
  return h * 3600 + m * 60;
}

function plan(kind: VehicleKind, index: number, countOfKind: number, net: RoadNetwork, rng: Rng): { plan: Plan; home: number } {
  const node = (): number => nodeId(rng.int(-GRID_HALF, GRID_HALF), rng.int(-GRID_HALF, GRID_HALF));
  switch (kind) {
    case 'taxi': {
      const allDay = rng.chance(1 / 3);
      return {
        plan: { kind, depot: poisOf(net, 'taxiDepot')[0].node, shiftStartS: allDay ? 0 : hhmm(6, rng.int(0, 59)), shiftEndS: allDay ? 86400 : hhmm(23, rng.int(0, 30)) },
        home: node(),
      };
    }
    case 'bus': {
      const lineNo = index % BUS_LINES.length;
      const [ai, aj, bi, bj] = BUS_LINES[lineNo];
      const onLine = Math.ceil(countOfKind / BUS_LINES.length);
      const k = Math.floor(index / BUS_LINES.length);
      const cycleS = 6000;
      const a = nodeId(ai, aj);
      const depots = poisOf(net, 'busDepot');
      const depot = depots[lineNo % depots.length].node;
      return {
        plan: { kind, depot, shiftStartS: hhmm(5, 30), shiftEndS: hhmm(22), line: { a, b: nodeId(bi, bj), phaseS: hhmm(5, 30) + (k * cycleS) / onLine, cycleS }, towardsB: true },
        home: a,
      };
    }
    case 'phev': {
      const home = node();
      return { plan: { kind, depot: home, home, work: node(), workCharger: rng.chance(0.4), shiftStartS: hhmm(7, rng.int(0, 90)), shiftEndS: hhmm(17, rng.int(0, 120)) }, home };
    }
    case 'sanitation': {
      const i = rng.int(-GRID_HALF, GRID_HALF - 2);
      const j = rng.int(-GRID_HALF, GRID_HALF - 2);
      const area = [nodeId(i, j), nodeId(i + 2, j), nodeId(i + 2, j + 2), nodeId(i, j + 2)];
      const depots = poisOf(net, 'sanitationDepot');
      const depot = (j > 0 ? depots[0] : depots[1]).node;
      return { plan: { kind, depot, area, loops: 0, shiftStartS: hhmm(6, rng.int(0, 30)), shiftEndS: hhmm(18, rng.int(0, 30)) }, home: area[0] };
    }
  }
}

export interface BuiltFleet {
  vehicles: SimVehicle[];
  byKind: Record<VehicleKind, SimVehicle[]>;
}

export function resolveTarget(fleet: BuiltFleet, target: string): SimVehicle | undefined {
  const m = /^(taxi|bus|phev|sanitation):(\d+)$/.exec(target);
  if (!m) return fleet.vehicles.find((v) => v.vin === target);
  const list = fleet.byKind[m[1] as VehicleKind];
  return list.length === 0 ? undefined : list[Number(m[2]) % list.length];
}

export function buildFleet(s: Scenario, opts: { seed?: number; vehicles?: number; startMs: number }): BuiltFleet {
  const net = baodingNetwork();
  const seed = opts.seed ?? s.seed;
  const root = new Rng(seed);
  const counts = scaleCounts(s.fleet, opts.vehicles);
  const byKind: Record<VehicleKind, SimVehicle[]> = { taxi: [], bus: [], phev: [], sanitation: [] };
  const vehicles: SimVehicle[] = [];
  const totals: Record<VehicleKind, number> = { taxi: 0, bus: 0, phev: 0, sanitation: 0 };
  s.fleet.forEach((g, gi) => (totals[g.kind] += counts[gi]));
  s.fleet.forEach((g, gi) => {
    for (let n = 0; n < counts[gi]; n++) {
      const index = byKind[g.kind].length;
      const rng = root.fork(`${g.kind}:${index}`);
      const spec = SPECS[g.kind];
      const { plan: p, home } = plan(g.kind, index, totals[g.kind], net, rng);
      const edition = n < Math.round(counts[gi] * g.share2016) ? 2016 : 2025;
      const serial = (gi + 1) * 100000 + index + 1;
      const v = new SimVehicle({
        vin: makeVin(spec.vinHead, serial),
        iccid: `89860${String(seed % 100).padStart(2, '0')}${String(serial).padStart(13, '0')}`,
        edition,
        spec,
        net,
        rng,
        homeNode: home,
        plan: p,
        socPct: rng.range(g.socPct[0], g.socPct[1]),
        h2Pct: rng.range(g.h2Pct[0], g.h2Pct[1]),
        odometerKm: Math.round(rng.range(2000, 180000)),
        ambientC: s.ambientC,
        startMs: opts.startMs,
      });
      byKind[g.kind].push(v);
      vehicles.push(v);
    }
  });
  const fleet = { vehicles, byKind };
  for (const e of s.events) {
    if (!VEHICLE_FAULTS.includes(e.kind as VehicleFaultKind) || !e.vehicle) continue;
    const v = resolveTarget(fleet, e.vehicle);
    if (!v) continue;
    const f: (typeof v.faults)[number] = { kind: e.kind as VehicleFaultKind, startS: e.atS, durationS: e.durationS };
    if (e.magnitude !== undefined) f.magnitude = e.magnitude;
    if (e.level !== undefined) f.level = e.level;
    v.faults.push(f);
  }
  return fleet;
}

/** "HH:MM" → today (Beijing) at that time; ISO → that instant; undefined → now. */
export function startTimeMs(start: string | undefined, nowMs: number): number {
  if (start === undefined) return Math.floor(nowMs / 1000) * 1000;
  const m = /^(\d{2}):(\d{2})$/.exec(start);
  if (!m) return Date.parse(start);
  const bj = nowMs + 8 * 3600_000;
  const midnight = bj - (bj % 86400_000) - 8 * 3600_000;
  return midnight + (Number(m[1]) * 3600 + Number(m[2]) * 60) * 1000;
}
