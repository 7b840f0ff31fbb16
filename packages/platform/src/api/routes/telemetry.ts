// History of one vehicle: chosen fields as columns, cell voltages/temperatures, the fuel-cell view,
// and its session events.
import type { FastifyInstance } from 'fastify';
import { parseRange, requireVehicle } from '../common.js';
import { isSeriesField } from '../../store/series.js';
import type { ApiDeps } from '../deps.js';
import { errorResponses, nullableNumber, seriesSchema, timeRangeQuery, vinParams } from '../schemas.js';
import { cellsFromHistory, FUEL_CELL_FIELDS, latestFuelCell, seriesFromHistory } from '../series.js';

/** Most raw records one request reads (a vehicle-day at 1 s is 86,400). */
const MAX_RECORDS = 200_000;
const DEFAULT_FIELDS = ['speedKmh', 'socPct', 'totalVoltageV', 'totalCurrentA'];

const stepQuery = { step: { type: 'integer', minimum: 0, maximum: 86_400_000, default: 0, description: 'bucket width in ms; 0 = raw samples' } } as const;

interface RangeQuery {
  from?: string;
  to?: string;
  step: number;
}

/**
 * The newest `limit` session events in [from, to]. The store returns the oldest first (with its
 * own limit), so look back over growing windows — a week, a month, the whole range — until one
 * holds enough events.
 */
async function newestSessionEvents(deps: ApiDeps, vin: string, from: number, to: number, limit: number) {
  for (const span of [7 * 86_400_000, 30 * 86_400_000, Number.POSITIVE_INFINITY]) {
    const start = Math.max(from, to - span);
    const events = await deps.sessions.sessionEvents(vin, start, to, 100_000);
    if (events.length >= limit || start === from) return events;
  }
  return [];
}

export function telemetryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get<{ Params: { vin: string }; Querystring: RangeQuery & { fields?: string } }>(
    '/api/v1/vehicles/:vin/history',
    {
      schema: {
        tags: ['history'],
        summary: 'Fields over time as columns, downsampled with `step` (bucket mean)',
        params: vinParams,
        querystring: {
          type: 'object',
          properties: {
            ...timeRangeQuery,
            fields: {
              type: 'string',
              pattern: '^[A-Za-z0-9_.]+(,[A-Za-z0-9_.]+)*$',
              description: 'comma-separated data-model names: speedKmh, socPct, lon, lat, alarmLevel, fuelCell.voltageV, ...',
            },
            ...stepQuery,
          },
          additionalProperties: false,
        },
        response: { 200: seriesSchema, ...errorResponses },
      },
    },
    async (req) => {
      const vin = req.params.vin;
      const { from, to } = parseRange(req.query);
      const fields = req.query.fields ? req.query.fields.split(',') : DEFAULT_FIELDS;
      await requireVehicle(deps, vin);
      // The store aggregates its key columns in SQL; other data-model fields come from the records.
      if (deps.store.historySeries && fields.every(isSeriesField)) {
        const r = await deps.store.historySeries(vin, from, to, fields, req.query.step || undefined);
        return { t: r.t, series: r.values };
      }
      return seriesFromHistory(await deps.store.history(vin, from, to, MAX_RECORDS), fields, req.query.step);
    },
  );

  app.get<{ Params: { vin: string }; Querystring: RangeQuery }>(
    '/api/v1/vehicles/:vin/cells',
    {
      schema: {
        tags: ['history'],
        summary: 'Cell voltages and probe temperatures over time (all packs concatenated)',
        params: vinParams,
        querystring: { type: 'object', properties: { ...timeRangeQuery, ...stepQuery }, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: {
              t: { type: 'array', items: { type: 'number' } },
              cellVoltagesV: { type: 'array', items: { type: 'array', items: nullableNumber } },
              temperaturesC: { type: 'array', items: { type: 'array', items: nullableNumber } },
            },
            required: ['t', 'cellVoltagesV', 'temperaturesC'],
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const vin = req.params.vin;
      const { from, to } = parseRange(req.query, 3_600_000);
      await requireVehicle(deps, vin);
      return cellsFromHistory(await deps.store.history(vin, from, to, MAX_RECORDS), req.query.step);
    },
  );

  app.get<{ Params: { vin: string }; Querystring: RangeQuery }>(
    '/api/v1/vehicles/:vin/fuel-cell',
    {
      schema: {
        tags: ['history'],
        summary: 'Fuel-cell and hydrogen-system view: latest items and series (default last 24 h, 60 s buckets)',
        params: vinParams,
        querystring: { type: 'object', properties: { ...timeRangeQuery, step: { ...stepQuery.step, default: 60_000 } }, additionalProperties: false },
        response: {
          200: { type: 'object', properties: { latest: { type: 'object', additionalProperties: true }, series: seriesSchema }, required: ['latest', 'series'] },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const vin = req.params.vin;
      const { from, to } = parseRange(req.query);
      const { latest } = await requireVehicle(deps, vin);
      const records = await deps.store.history(vin, from, to, MAX_RECORDS);
      return {
        latest: {
          ...latestFuelCell(records),
          h2RemainingPct: latest?.h2RemainingPct ?? null,
          h2MaxPressureMpa: latest?.h2MaxPressureMpa ?? null,
          refuelling: deps.hub?.isRefuelling(vin) ?? false,
        },
        series: seriesFromHistory(records, FUEL_CELL_FIELDS, req.query.step),
      };
    },
  );

  app.get<{ Params: { vin: string }; Querystring: { limit: number; from?: string; to?: string } }>(
    '/api/v1/vehicles/:vin/sessions',
    {
      schema: {
        tags: ['history'],
        summary: 'Session events (login, logout, disconnect, replaced, rejected), newest first',
        params: vinParams,
        querystring: {
          type: 'object',
          properties: { ...timeRangeQuery, limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 100 } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    kind: { type: 'string' },
                    at: { type: 'integer' },
                    reason: { type: ['string', 'null'] },
                    peer: { type: 'string' },
                    serial: { type: ['integer', 'null'] },
                    sessionId: { type: 'string' },
                  },
                },
              },
            },
            required: ['items'],
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const vin = req.params.vin;
      const { from, to } = parseRange(req.query, 365 * 86_400_000);
      const events = await newestSessionEvents(deps, vin, from, to, req.query.limit);
      const items = events
        .map((e) => ({ kind: e.kind, at: e.at, reason: e.reason ?? null, peer: e.peer, serial: e.serial ?? null, sessionId: e.sessionId }))
        .sort((a, b) => b.at - a.at)
        .slice(0, req.query.limit);
      return { items };
    },
  );
}
