// Thin fetch wrapper for /api/v1: adds the bearer token, turns non-2xx into ApiError, and reports
// 401 once so the app can fall back to the login form.
import type { FeatureCollection } from 'geojson';
import { getToken } from './auth.js';
import { normalizeFuelCell } from './fuelCell.js';
import type {
  CellsResponse,
  CommandResult,
  FleetSummary,
  FrameRecord,
  SeriesResponse,
  SessionRecord,
  VehicleDetail,
  VehicleSummary,
} from './types.js';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
  }
}

let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(fn: (() => void) | null): void {
  onUnauthorized = fn;
}

/** Resolve an API path against the page, so the dist works at "/" or under a prefix. */
export function apiUrl(path: string): string {
  return new URL(`api/v1${path}`, new URL('./', window.location.href)).toString();
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const headers = new Headers(init?.headers);
  const token = getToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (init?.body) headers.set('Content-Type', 'application/json');
  const res = await fetch(apiUrl(path), { ...init, headers });
  if (res.status === 401) onUnauthorized?.();
  if (!res.ok) {
    let detail = res.statusText;
    try {
      const body = (await res.json()) as { message?: string };
      if (body.message) detail = body.message;
    } catch {
      // body was not JSON; keep the status text
    }
    throw new ApiError(res.status, `${res.status} ${detail}`);
  }
  return (await res.json()) as T;
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const vinPath = (vin: string): string => `/vehicles/${encodeURIComponent(vin)}`;

export interface Period {
  from: number;
  to: number;
  step: number;
}
const periodQuery = (p: Period): Record<string, string | number> => ({
  from: new Date(p.from).toISOString(),
  to: new Date(p.to).toISOString(),
  step: p.step,
});

const VEHICLE_PAGE = 5000;

export const api = {
  summary: () => request<FleetSummary>('/fleet/summary'),
  vehicles: (f: { type?: string; powertrain?: string; status?: string; q?: string; limit?: number; offset?: number } = {}) =>
    request<{ items: VehicleSummary[]; total?: number }>(`/vehicles${query(f)}`),
  /** Every vehicle: /vehicles is paged (limit/offset, `total`), so read pages until `total`. */
  allVehicles: async (): Promise<VehicleSummary[]> => {
    const items: VehicleSummary[] = [];
    for (;;) {
      const page = await api.vehicles({ limit: VEHICLE_PAGE, offset: items.length });
      items.push(...page.items);
      if (page.total === undefined || page.items.length === 0 || items.length >= page.total) return items;
    }
  },
  vehicle: (vin: string) => request<VehicleDetail>(vinPath(vin)),
  history: (vin: string, p: Period, fields: string[]) =>
    request<SeriesResponse>(`${vinPath(vin)}/history${query({ ...periodQuery(p), fields: fields.join(',') })}`),
  cells: (vin: string, p: Period) => request<CellsResponse>(`${vinPath(vin)}/cells${query(periodQuery(p))}`),
  frames: (vin: string, limit = 20) => request<{ items: FrameRecord[] }>(`${vinPath(vin)}/frames${query({ limit })}`),
  sessions: (vin: string, limit = 50) =>
    request<{ items: SessionRecord[] }>(`${vinPath(vin)}/sessions${query({ limit })}`),
  fuelCell: async (vin: string, p?: Period) =>
    normalizeFuelCell(await request<unknown>(`${vinPath(vin)}/fuel-cell${p ? query(periodQuery(p)) : ''}`)),
  paramQuery: (vin: string, params: number[]) =>
    request<CommandResult>(`${vinPath(vin)}/commands`, {
      method: 'POST',
      body: JSON.stringify({ command: 'paramQuery', params }),
    }),
  roads: () => request<FeatureCollection>('/roads'),
};
