// Scenario validation: every mistake is reported with its field path and the problem, e.g.
// `fleet[2].count: must be a positive integer`.
import { VEHICLE_KINDS, type VehicleKind } from '../vehicles/specs.js';
import { EVENT_KINDS, type EventKind, type FleetGroup, type Scenario, type ScenarioEvent } from './types.js';

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'ScenarioError';
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "90", "90s", "10m", "1h30m" → seconds; undefined when not a duration. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?$/.exec(v.trim());
  if (!m || v.trim() === '') return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

export function validateScenario(raw: unknown): Scenario {
  const errs: string[] = [];
  if (!isObj(raw)) throw new ScenarioError(['(root): must be an object']);
  const num = (path: string, v: unknown, def: number, lo: number, hi: number, int = false): number => {
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (int && !Number.isInteger(v))) {
      errs.push(`${path}: must be ${int ? 'an integer' : 'a number'} from ${lo} to ${hi}`);
      return def;
    }
    return v;
  };
  const range = (path: string, v: unknown, def: [number, number]): [number, number] => {
    if (v === undefined) return def;
    if (typeof v === 'number') return [num(path, v, def[0], 0, 100), num(path, v, def[0], 0, 100)];
    if (!Array.isArray(v) || v.length !== 2 || v.some((x) => typeof x !== 'number' || x < 0 || x > 100) || (v[0] as number) > (v[1] as number)) {
      errs.push(`${path}: must be a percentage or [min, max] with 0 ≤ min ≤ max ≤ 100`);
      return def;
    }
    return [v[0] as number, v[1] as number];
  };
  const known = (path: string, o: Record<string, unknown>, keys: string[]): void => {
    for (const k of Object.keys(o)) if (!keys.includes(k)) errs.push(`${path}${path ? '.' : ''}${k}: unknown field`);
  };
  known('', raw, ['name', 'description', 'start', 'seed', 'reportPeriodS', 'heartbeatPeriodS', 'ambientC', 'fleet', 'events']);
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : (errs.push('name: must be a non-empty string'), 'scenario');
  let start: string | undefined;
  if (raw.start !== undefined) {
    if (typeof raw.start !== 'string' || !(/^\d{2}:\d{2}$/.test(raw.start) || !Number.isNaN(Date.parse(raw.start)))) errs.push('start: must be "HH:MM" or an ISO 8601 time');
    else start = raw.start;
  }
  const scenario: Scenario = {
    name,
    seed: num('seed', raw.seed, 1, 0, 2 ** 32 - 1, true),
    reportPeriodS: num('reportPeriodS', raw.reportPeriodS, 10, 1, 30, true),
    heartbeatPeriodS: num('heartbeatPeriodS', raw.heartbeatPeriodS, 60, 1, 240, true),
    ambientC: num('ambientC', raw.ambientC, 22, -40, 50),
    fleet: [],
    events: [],
  };
  if (start !== undefined) scenario.start = start;
  if (!Array.isArray(raw.fleet) || raw.fleet.length === 0) errs.push('fleet: must be a non-empty list');
  else {
    raw.fleet.forEach((g: unknown, i) => {
      const p = `fleet[${i}]`;
      if (!isObj(g)) return errs.push(`${p}: must be an object`);
      known(p, g, ['kind', 'count', 'share2016', 'edition', 'socPct', 'h2Pct']);
      if (!VEHICLE_KINDS.includes(g.kind as VehicleKind)) errs.push(`${p}.kind: must be one of ${VEHICLE_KINDS.join(', ')}`);
      if (typeof g.count !== 'number' || !Number.isInteger(g.count) || g.count < 1) errs.push(`${p}.count: must be a positive integer`);
      let share: number;
      if (g.edition !== undefined && g.share2016 !== undefined) errs.push(`${p}: give either edition or share2016, not both`);
      if (g.edition !== undefined) {
        if (g.edition !== 2016 && g.edition !== 2025) errs.push(`${p}.edition: must be 2016 or 2025`);
        share = g.edition === 2016 ? 1 : 0;
      } else share = num(`${p}.share2016`, g.share2016, 0, 0, 1);
      const group: FleetGroup = {
        kind: g.kind as VehicleKind,
        count: g.count as number,
        share2016: share,
        socPct: range(`${p}.socPct`, g.socPct, [45, 95]),
        h2Pct: range(`${p}.h2Pct`, g.h2Pct, [40, 95]),
      };
      scenario.fleet.push(group);
    });
  }
  if (raw.events !== undefined && !Array.isArray(raw.events)) errs.push('events: must be a list');
  (Array.isArray(raw.events) ? raw.events : []).forEach((e: unknown, i) => {
    const p = `events[${i}]`;
    if (!isObj(e)) return errs.push(`${p}: must be an object`);
    known(p, e, ['kind', 'at', 'duration', 'vehicle', 'fraction', 'magnitude', 'level']);
    if (!EVENT_KINDS.includes(e.kind as EventKind)) errs.push(`${p}.kind: must be one of ${EVENT_KINDS.join(', ')}`);
    const at = parseDuration(e.at);
    if (at === undefined) errs.push(`${p}.at: must be a time after the start such as "90s", "5m" or "1h"`);
    const dur = e.duration === undefined ? 300 : parseDuration(e.duration);
    if (dur === undefined || dur <= 0) errs.push(`${p}.duration: must be a positive duration such as "10m"`);
    const ev: ScenarioEvent = { kind: e.kind as EventKind, atS: at ?? 0, durationS: dur ?? 300 };
    if (e.vehicle !== undefined) {
      if (typeof e.vehicle !== 'string' || !(/^(taxi|bus|phev|sanitation):\d+$/.test(e.vehicle) || /^[A-HJ-NPR-Z0-9]{17}$/.test(e.vehicle))) {
        errs.push(`${p}.vehicle: must be "<kind>:<index>" (e.g. "taxi:3") or a 17-character VIN`);
      } else ev.vehicle = e.vehicle;
    }
    if (e.fraction !== undefined) ev.fraction = num(`${p}.fraction`, e.fraction, 0.1, 0, 1);
    if (e.magnitude !== undefined) ev.magnitude = num(`${p}.magnitude`, e.magnitude, 0, -100, 100);
    if (e.level !== undefined) ev.level = num(`${p}.level`, e.level, 2, 1, 4, true);
    const needsVehicle = ev.kind !== 'networkOutage';
    if (needsVehicle && ev.vehicle === undefined) errs.push(`${p}.vehicle: required for ${String(e.kind)}`);
    if (ev.kind === 'networkOutage' && ev.fraction === undefined && ev.vehicle === undefined) errs.push(`${p}.fraction: required for networkOutage (or give vehicle)`);
    if (ev.kind === 'h2Leak' && ev.vehicle !== undefined && !ev.vehicle.startsWith('sanitation') && ev.vehicle.includes(':')) errs.push(`${p}.vehicle: h2Leak needs a fuel-cell vehicle (sanitation:<n>)`);
    scenario.events.push(ev);
  });
  if (errs.length > 0) throw new ScenarioError(errs);
  return scenario;
}
