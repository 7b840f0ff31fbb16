// What each vehicle type does next when its current activity ends: taxis cruise between random
// trips and DC-charge when low; buses run their line to a timetable and charge at the terminal
// depots; plug-in hybrids commute and charge on AC at home and sometimes at work; fuel-cell street
// washers wash loops in their district by day, refill water at the depot and refuel hydrogen.
import { poisOf, type PoiKind } from '../roads/network.js';
import { route } from '../roads/routing.js';
import type { RoadEdge } from '../roads/network.js';
import type { VehicleKind } from './specs.js';
import type { SimVehicle } from './vehicle.js';

export type DrivePurpose = 'trip' | 'charger' | 'depot' | 'h2' | 'work' | 'line' | 'reposition' | 'home' | 'water';

export type Activity =
  | { kind: 'drive'; to: number; purpose: DrivePurpose; auxExtraW?: number }
  | { kind: 'dwell'; untilS: number; on: boolean }
  | { kind: 'park'; untilS: number }
  | { kind: 'charge'; targetSocPct: number; powerKw: number; untilS: number }
  | { kind: 'refuel' };

export interface Plan {
  kind: VehicleKind;
  depot: number;
  shiftStartS: number;
  shiftEndS: number;
  /** Bus line terminals, timetable phase and round-trip cycle. */
  line?: { a: number; b: number; phaseS: number; cycleS: number };
  towardsB?: boolean;
  /** Plug-in hybrid commute. */
  home?: number;
  work?: number;
  workCharger?: boolean;
  /** Street-washing loop (node sequence) and loops since the last water refill. */
  area?: number[];
  loops?: number;
}

const DAY = 86400;

function inWindow(tod: number, start: number, end: number): boolean {
  return start <= end ? tod >= start && tod < end : tod >= start || tod < end;
}

function until(v: SimVehicle, targetTod: number): number {
  const tod = v.timeOfDayS();
  const wait = (((targetTod - tod) % DAY) + DAY) % DAY;
  return v.tS + Math.max(60, wait);
}

function nearest(v: SimVehicle, kind: PoiKind, filter?: (id: string) => boolean): { node: number; powerKw: number } {
  const here = v.net.nodes[v.motion.node];
  let best = { node: v.plan.depot, powerKw: 60 };
  let bestD = Infinity;
  for (const p of poisOf(v.net, kind)) {
    if (filter && !filter(p.id)) continue;
    const n = v.net.nodes[p.node];
    const d = Math.hypot(n.x - here.x, n.y - here.y);
    if (d < bestD) {
      bestD = d;
      best = { node: p.node, powerKw: p.powerKw ?? 60 };
    }
  }
  return best;
}

function drive(v: SimVehicle, to: number, purpose: DrivePurpose, opts: { capKmh?: number; stopEveryNodeS?: number; auxExtraW?: number; via?: number[] } = {}): Activity {
  let path: RoadEdge[] = [];
  let at = v.motion.node;
  for (const n of [...(opts.via ?? []), to]) {
    path = path.concat(route(v.net, at, n));
    at = n;
  }
  if (path.length === 0) return { kind: 'dwell', untilS: v.tS + 5, on: true };
  const ro: { capKmh?: number; stopEveryNodeS?: number } = {};
  if (opts.capKmh !== undefined) ro.capKmh = opts.capKmh;
  if (opts.stopEveryNodeS !== undefined) ro.stopEveryNodeS = opts.stopEveryNodeS;
  v.motion.setRoute(path, ro, v.rng);
  const act: Activity = { kind: 'drive', to, purpose };
  if (opts.auxExtraW !== undefined) act.auxExtraW = opts.auxExtraW;
  return act;
}

function randomDestination(v: SimVehicle): number {
  const here = v.net.nodes[v.motion.node];
  for (;;) {
    const n = v.rng.pick(v.net.nodes);
    if (Math.hypot(n.x - here.x, n.y - here.y) > 1500) return n.id;
  }
}

function taxi(v: SimVehicle, done: Activity): Activity {
  const p = v.plan;
  if (done.kind === 'drive' && done.purpose === 'charger') {
    const c = nearest(v, 'charger', (id) => !id.startsWith('chg-bus'));
    return { kind: 'charge', targetSocPct: 90, powerKw: Math.min(c.powerKw, v.spec.dcKw), untilS: v.tS + 3 * 3600 };
  }
  if (done.kind === 'drive' && done.purpose === 'trip') return { kind: 'dwell', untilS: v.tS + v.rng.range(30, 150), on: true };
  if (!inWindow(v.timeOfDayS(), p.shiftStartS, p.shiftEndS)) {
    if (v.motion.node === p.depot) return { kind: 'park', untilS: until(v, p.shiftStartS) };
    return drive(v, p.depot, 'depot');
  }
  if (v.battery.socPct() < 25) return drive(v, nearest(v, 'charger', (id) => !id.startsWith('chg-bus')).node, 'charger');
  return drive(v, randomDestination(v), 'trip');
}

function bus(v: SimVehicle, done: Activity): Activity {
  const p = v.plan;
  const line = p.line;
  if (!line) return { kind: 'park', untilS: v.tS + 3600 };
  if (done.kind === 'drive' && done.purpose === 'charger') {
    const c = nearest(v, 'charger', (id) => id.startsWith('chg-bus'));
    return { kind: 'charge', targetSocPct: 95, powerKw: Math.min(c.powerKw, v.spec.dcKw), untilS: v.tS + 2 * 3600 };
  }
  if (done.kind === 'drive' && done.purpose === 'line') p.towardsB = !p.towardsB;
  const tod = v.timeOfDayS();
  if (!inWindow(tod, p.shiftStartS, p.shiftEndS)) {
    if (v.motion.node !== p.depot) return drive(v, p.depot, 'depot');
    if (v.battery.socPct() < 98 && done.kind !== 'charge') return { kind: 'charge', targetSocPct: 100, powerKw: 60, untilS: until(v, p.shiftStartS) };
    return { kind: 'park', untilS: until(v, p.shiftStartS) };
  }
  const from = p.towardsB ? line.a : line.b;
  const to = p.towardsB ? line.b : line.a;
  if (v.battery.socPct() < 35) return drive(v, nearest(v, 'charger', (id) => id.startsWith('chg-bus')).node, 'charger');
  if (v.motion.node !== from) return drive(v, from, 'reposition');
  // Timetable: departures from `a` at phase + k·cycle, from `b` half a cycle later.
  const offset = line.phaseS + (p.towardsB ? 0 : line.cycleS / 2);
  const wait = (((offset - tod) % line.cycleS) + line.cycleS) % line.cycleS;
  if (wait > 30 && done.kind !== 'park') return { kind: 'park', untilS: v.tS + wait };
  return drive(v, to, 'line', { stopEveryNodeS: 25 });
}

function phev(v: SimVehicle, done: Activity): Activity {
  const p = v.plan;
  const home = p.home ?? p.depot;
  const work = p.work ?? p.depot;
  const tod = v.timeOfDayS();
  const leaveHome = p.shiftStartS;
  const leaveWork = p.shiftEndS;
  if (done.kind === 'drive' && done.purpose === 'work') {
    if (p.workCharger && v.battery.socPct() < 90) return { kind: 'charge', targetSocPct: 95, powerKw: v.spec.acKw, untilS: until(v, leaveWork) };
    return { kind: 'park', untilS: until(v, leaveWork) };
  }
  if (done.kind === 'drive' && done.purpose === 'home') {
    return { kind: 'charge', targetSocPct: 100, powerKw: v.spec.acKw, untilS: until(v, leaveHome) };
  }
  const commuting = inWindow(tod, leaveHome, leaveWork);
  if (v.motion.node === home) {
    if (commuting) return drive(v, work, 'work');
    return { kind: 'park', untilS: until(v, leaveHome) };
  }
  if (v.motion.node === work) {
    if (!commuting) return drive(v, home, 'home');
    return { kind: 'park', untilS: until(v, leaveWork) };
  }
  return drive(v, commuting ? work : home, commuting ? 'work' : 'home');
}

function sanitation(v: SimVehicle, done: Activity): Activity {
  const p = v.plan;
  const fc = v.fuelCell;
  const h2 = fc ? fc.remainingPct() : 100;
  if (done.kind === 'drive' && done.purpose === 'h2') return { kind: 'refuel' };
  if (done.kind === 'drive' && done.purpose === 'water') {
    p.loops = 0;
    return { kind: 'dwell', untilS: v.tS + 600, on: true }; // refilling the water tank
  }
  if (done.kind === 'drive' && done.purpose === 'work') p.loops = (p.loops ?? 0) + 1;
  const station = (): number => nearest(v, 'h2Station').node;
  if (!inWindow(v.timeOfDayS(), p.shiftStartS, p.shiftEndS)) {
    if (h2 < 50 && done.kind !== 'refuel') return drive(v, station(), 'h2');
    if (v.motion.node === p.depot) return { kind: 'park', untilS: until(v, p.shiftStartS) };
    return drive(v, p.depot, 'depot');
  }
  if (h2 < 25) return drive(v, station(), 'h2');
  const area = p.area ?? [p.depot];
  if ((p.loops ?? 0) >= 3) return drive(v, p.depot, 'water');
  // One washing loop through the district at walking-plus speed with the pump running.
  return drive(v, area[0], 'work', { capKmh: 11, auxExtraW: 16_000, via: area });
}

/** The activity that follows the one that just ended (`v.activity`). */
export function nextActivity(v: SimVehicle): Activity {
  const done = v.activity;
  switch (v.plan.kind) {
    case 'taxi':
      return taxi(v, done);
    case 'bus':
      return bus(v, done);
    case 'phev':
      return phev(v, done);
    case 'sanitation':
      return sanitation(v, done);
  }
}
