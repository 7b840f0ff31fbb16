// Helpers shared by the routes: time ranges, the vehicle list view, lookups that 404.
import type { LatestState, VehicleRecord } from '../store/types.js';
import type { ApiDeps } from './deps.js';
import { apiError } from './errors.js';
import { deriveStatus, vehicleTypeOf, type VehicleStatus } from './status.js';

const DAY_MS = 86_400_000;

/** Parses an ISO 8601 time or epoch ms; undefined when absent, an API error when unreadable. */
export function parseTime(text: string | undefined, what: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) throw apiError('NEVHUB_ERR_BAD_TIME_RANGE', `${what} is not an ISO 8601 time or epoch ms: ${text}`);
  return ms;
}

/** from/to with defaults (to = now, from = to − defaultSpan) and from ≤ to. */
export function parseRange(q: { from?: string; to?: string }, defaultSpanMs = DAY_MS): { from: number; to: number } {
  const to = parseTime(q.to, 'to') ?? Date.now();
  const from = parseTime(q.from, 'from') ?? to - defaultSpanMs;
  if (from > to) throw apiError('NEVHUB_ERR_BAD_TIME_RANGE', `from (${new Date(from).toISOString()}) is after to (${new Date(to).toISOString()})`);
  return { from, to };
}

export interface VehicleView {
  vin: string;
  plate: string | null;
  vehicleType: string;
  powertrain: string | null;
  version: number | null;
  status: VehicleStatus;
  online: boolean;
  lon: number | null;
  lat: number | null;
  speedKmh: number | null;
  socPct: number | null;
  h2RemainingPct: number | null;
  alarmLevel: number | null;
  at: number | null;
}

export function statusOf(deps: ApiDeps, s: LatestState | undefined): VehicleStatus {
  return deriveStatus(s, s !== undefined && (deps.hub?.isRefuelling(s.vin) ?? false));
}

export function vehicleView(deps: ApiDeps, vin: string, v: VehicleRecord | undefined, s: LatestState | undefined): VehicleView {
  return {
    vin,
    plate: v?.plate ?? null,
    vehicleType: vehicleTypeOf(v),
    powertrain: v?.powertrain ?? null,
    version: v?.version ?? null,
    status: statusOf(deps, s),
    online: s?.online ?? false,
    lon: s?.lon ?? null,
    lat: s?.lat ?? null,
    speedKmh: s?.speedKmh ?? null,
    socPct: s?.socPct ?? null,
    h2RemainingPct: s?.h2RemainingPct ?? null,
    alarmLevel: s?.alarmLevel ?? null,
    at: s?.at ?? null,
  };
}

/**
 * Every vehicle the platform knows: registered ones, plus VINs that sent data without being
 * registered (open mode), joined with their latest state.
 */
export async function allVehicleViews(deps: ApiDeps): Promise<VehicleView[]> {
  const [vehicles, latest] = await Promise.all([deps.registry.listVehicles(), deps.store.latest()]);
  const byVin = new Map<string, LatestState>();
  for (const s of latest) byVin.set(s.vin, s);
  const out: VehicleView[] = [];
  const seen = new Set<string>();
  for (const v of vehicles) {
    seen.add(v.vin);
    out.push(vehicleView(deps, v.vin, v, byVin.get(v.vin)));
  }
  for (const s of latest) if (!seen.has(s.vin)) out.push(vehicleView(deps, s.vin, undefined, s));
  out.sort((a, b) => (a.vin < b.vin ? -1 : a.vin > b.vin ? 1 : 0));
  return out;
}

/**
 * allVehicleViews behind a short cache, shared by the fleet list and the summary. Reading 10,000
 * latest states from SQLite and joining them costs a few hundred ms; the map refreshes once per
 * live tick anyway. Within `ttlMs` (1 s default; 0 = no cache) requests share one result. Up to
 * STALE_FACTOR × ttlMs, a request gets the previous result at once while one background read
 * refreshes it (stale-while-revalidate), so a polling dashboard never waits for the full read.
 * Writes through the API invalidate it.
 */
const STALE_FACTOR = 5;

export class VehicleViews {
  private cached: { at: number; views: VehicleView[] } | undefined;
  private refreshing: Promise<VehicleView[]> | undefined;
  constructor(
    private readonly deps: ApiDeps,
    private readonly ttlMs: number,
  ) {}

  all(now = Date.now()): Promise<VehicleView[]> {
    if (this.ttlMs <= 0) return allVehicleViews(this.deps);
    const c = this.cached;
    if (c && now - c.at < this.ttlMs) return Promise.resolve(c.views);
    const fresh = this.refresh(now);
    if (c && now - c.at < this.ttlMs * STALE_FACTOR) {
      fresh.catch(() => undefined); // a failed background refresh leaves the old result; the next request retries
      return Promise.resolve(c.views);
    }
    return fresh;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private refresh(now: number): Promise<VehicleView[]> {
    this.refreshing ??= allVehicleViews(this.deps)
      .then((views) => {
        this.cached = { at: now, views };
        return views;
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }
}

/** The vehicle and its latest state; 404 when neither exists. */
export async function requireVehicle(deps: ApiDeps, vin: string): Promise<{ vehicle: VehicleRecord | undefined; latest: LatestState | undefined }> {
  const [vehicle, latest] = await Promise.all([deps.registry.getVehicle(vin), deps.store.latest([vin])]);
  if (!vehicle && latest.length === 0) throw apiError('NEVHUB_ERR_VEHICLE_NOT_FOUND', vin);
  return { vehicle, latest: latest[0] };
}
