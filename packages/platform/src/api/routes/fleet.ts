// Fleet-wide views: the summary tiles, the vehicle list with filters, the road network.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { VehicleViews } from '../common.js';
import type { ApiDeps } from '../deps.js';
import { errorResponses, statusEnum, vehicleListItemSchema } from '../schemas.js';
import { VEHICLE_TYPES } from '../status.js';

const ROADS_FILE = fileURLToPath(new URL('../../../../simulator/data/baoding-roads.geojson', import.meta.url));

interface ListQuery {
  type?: string;
  powertrain?: string;
  status?: string;
  q?: string;
  limit: number;
  offset: number;
}

export function fleetRoutes(app: FastifyInstance, deps: ApiDeps, views: VehicleViews): void {
  app.get(
    '/api/v1/fleet/summary',
    {
      schema: {
        tags: ['fleet'],
        summary: 'Fleet counts by status and type, energy and hydrogen used today (Beijing day, since start)',
        response: {
          200: {
            type: 'object',
            properties: {
              total: { type: 'integer' },
              online: { type: 'integer' },
              ...Object.fromEntries(statusEnum.map((s) => [s, { type: 'integer' }])),
              energyTodayKwh: { type: 'number' },
              hydrogenTodayKg: { type: 'number' },
              byType: { type: 'object', properties: Object.fromEntries(VEHICLE_TYPES.map((t) => [t, { type: 'integer' }])) },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => {
      const all = await views.all();
      const counts: Record<string, number> = Object.fromEntries(statusEnum.map((s) => [s, 0]));
      const byType: Record<string, number> = Object.fromEntries(VEHICLE_TYPES.map((t) => [t, 0]));
      let online = 0;
      for (const v of all) {
        counts[v.status]++;
        byType[v.vehicleType]++;
        if (v.online) online++;
      }
      const totals = deps.hub?.totals.snapshot() ?? { energyTodayKwh: 0, hydrogenTodayKg: 0 };
      return { total: all.length, online, ...counts, ...totals, byType };
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/api/v1/vehicles',
    {
      schema: {
        tags: ['vehicles'],
        summary: 'Vehicles with their latest state (sorted by VIN)',
        querystring: {
          type: 'object',
          properties: {
            type: { type: 'string', enum: VEHICLE_TYPES },
            powertrain: { type: 'string' },
            status: { type: 'string', enum: statusEnum },
            q: { type: 'string', description: 'substring of VIN or plate' },
            limit: { type: 'integer', minimum: 1, maximum: 20000, default: 100 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: vehicleListItemSchema }, total: { type: 'integer' } }, required: ['items', 'total'] },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { type, powertrain, status, q, limit, offset } = req.query;
      const needle = q?.toLowerCase();
      const all = (await views.all()).filter(
        (v) =>
          (type === undefined || v.vehicleType === type) &&
          (powertrain === undefined || v.powertrain === powertrain) &&
          (status === undefined || v.status === status) &&
          (needle === undefined || v.vin.toLowerCase().includes(needle) || (v.plate ?? '').toLowerCase().includes(needle)),
      );
      return { items: all.slice(offset, offset + limit), total: all.length };
    },
  );

  app.get(
    '/api/v1/roads',
    { schema: { tags: ['fleet'], summary: 'Road network GeoJSON (FeatureCollection) of the simulated city', response: { 200: { type: 'object', additionalProperties: true }, ...errorResponses } } },
    () => {
      if (deps.roads) return deps.roads();
      if (existsSync(ROADS_FILE)) return JSON.parse(readFileSync(ROADS_FILE, 'utf8')) as unknown;
      return { type: 'FeatureCollection', features: [] };
    },
  );
}
