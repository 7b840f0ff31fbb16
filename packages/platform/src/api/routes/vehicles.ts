// One vehicle: detail and registry administration (admin). The allow-list is the `enabled` flag:
// with allow-list mode on, the gateway accepts logins only from enabled vehicles.
import type { FastifyInstance } from 'fastify';
import { requireVehicle, statusOf, type VehicleViews } from '../common.js';
import type { ApiDeps } from '../deps.js';
import { apiError } from '../errors.js';
import { errorResponses, latestStateSchema, vehicleRecordSchema, vinParams } from '../schemas.js';
import { VEHICLE_TYPES } from '../status.js';

const POWERTRAINS = ['bev', 'phev', 'fcev', 'other'] as const;

const vehicleBodyProps = {
  plate: { type: 'string', maxLength: 32 },
  vehicleType: { type: 'string', enum: VEHICLE_TYPES },
  powertrain: { type: 'string', enum: POWERTRAINS },
  enabled: { type: 'boolean' },
  iccid: { type: 'string', maxLength: 20 },
} as const;

interface VehicleBody {
  vin: string;
  plate?: string;
  vehicleType?: string;
  powertrain?: string;
  enabled?: boolean;
  iccid?: string;
}

export function vehicleRoutes(app: FastifyInstance, deps: ApiDeps, views: VehicleViews): void {
  app.get<{ Params: { vin: string } }>(
    '/api/v1/vehicles/:vin',
    {
      schema: {
        tags: ['vehicles'],
        summary: 'A vehicle: registry record (null when not registered) and latest state (null before any data)',
        params: vinParams,
        response: {
          200: { type: 'object', properties: { vehicle: { ...vehicleRecordSchema, type: ['object', 'null'] }, latest: latestStateSchema }, required: ['vehicle', 'latest'] },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { vehicle, latest } = await requireVehicle(deps, req.params.vin);
      return { vehicle: vehicle ?? null, latest: latest ? { ...latest, status: statusOf(deps, latest) } : null };
    },
  );

  app.post<{ Body: VehicleBody }>(
    '/api/v1/vehicles',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['vehicles'],
        summary: 'Register a vehicle (admin)',
        body: {
          type: 'object',
          properties: { vin: { type: 'string', pattern: '^[A-Za-z0-9]{1,17}$' }, ...vehicleBodyProps },
          required: ['vin'],
          additionalProperties: false,
        },
        response: { 201: vehicleRecordSchema, 409: { $ref: 'ApiError#' }, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (await deps.registry.getVehicle(b.vin)) throw apiError('NEVHUB_ERR_VEHICLE_EXISTS', b.vin);
      const v = await deps.registry.upsertVehicle({ ...b, enabled: b.enabled ?? true });
      views.invalidate();
      return reply.code(201).send(v);
    },
  );

  app.patch<{ Params: { vin: string }; Body: Omit<VehicleBody, 'vin'> }>(
    '/api/v1/vehicles/:vin',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['vehicles'],
        summary: 'Change a registered vehicle (admin); `enabled: false` removes it from the allow-list',
        params: vinParams,
        body: { type: 'object', properties: vehicleBodyProps, additionalProperties: false, minProperties: 1 },
        response: { 200: vehicleRecordSchema, ...errorResponses },
      },
    },
    async (req) => {
      const vin = req.params.vin;
      if (!(await deps.registry.getVehicle(vin))) throw apiError('NEVHUB_ERR_VEHICLE_NOT_FOUND', vin);
      const v = await deps.registry.upsertVehicle({ ...req.body, vin });
      views.invalidate();
      return v;
    },
  );

  app.delete<{ Params: { vin: string } }>(
    '/api/v1/vehicles/:vin',
    {
      config: { role: 'admin' },
      schema: { tags: ['vehicles'], summary: 'Remove a vehicle from the registry (admin); its history stays', params: vinParams, response: { 204: { type: 'null' }, ...errorResponses } },
    },
    async (req, reply) => {
      if (!(await deps.registry.deleteVehicle(req.params.vin))) throw apiError('NEVHUB_ERR_VEHICLE_NOT_FOUND', req.params.vin);
      views.invalidate();
      return reply.code(204).send();
    },
  );
}
