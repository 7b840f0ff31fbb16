// Downlink commands (operator): parameter query 0x80, parameter setting 0x81 and terminal control
// 0x82 (spec §11). The request and its outcome are journaled in api.db before and after sending.
import { controlName, paramName, paramsWithLengths, type ParamsBody, type TerminalControlBody } from '@nevhub/gbt32960';
import type { FastifyInstance } from 'fastify';
import type { ApiDeps, DownlinkCommand } from '../deps.js';
import { apiError } from '../errors.js';
import { errorResponses, vinParams } from '../schemas.js';

interface CommandBody {
  command: DownlinkCommand;
  params?: (number | { id: number; value: number | string })[];
  control?: { controlId: number; params?: Record<string, unknown> };
}

const commandRecordSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    vin: { type: 'string' },
    command: { type: 'string' },
    request: { type: 'object', additionalProperties: true },
    status: { type: 'string', description: 'pending, or the gateway outcome (success, error, timeout, offline, failed)' },
    reply: {},
    attempts: { type: 'integer' },
    requestedBy: { type: ['string', 'null'] },
    createdAt: { type: 'integer' },
    finishedAt: { type: ['integer', 'null'] },
  },
} as const;

/** The codec body for a command request; an API error when the request does not fit the command. */
export function commandBody(b: CommandBody): ParamsBody | TerminalControlBody {
  const params = b.params ?? [];
  switch (b.command) {
    case 'paramQuery': {
      if (params.length === 0 || !params.every((p) => typeof p === 'number')) {
        throw apiError('NEVHUB_ERR_BAD_COMMAND', 'paramQuery needs params: a non-empty list of parameter ids, e.g. [1, 2, 9] (spec §11.3)');
      }
      return { params: params.map((id) => ({ id, name: paramName(id) })) };
    }
    case 'paramSet': {
      if (params.length === 0 || !params.every((p) => typeof p === 'object')) {
        throw apiError('NEVHUB_ERR_BAD_COMMAND', 'paramSet needs params: a non-empty list of {id, value}, e.g. [{"id": 2, "value": 10}] (spec §11.3)');
      }
      return paramsWithLengths(params);
    }
    case 'terminalControl': {
      if (!b.control) throw apiError('NEVHUB_ERR_BAD_COMMAND', 'terminalControl needs control: {controlId, params} (spec §11.4)');
      return {
        controlId: b.control.controlId,
        control: controlName(b.control.controlId),
        params: (b.control.params ?? {}) as TerminalControlBody['params'],
      };
    }
  }
}

export function commandRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post<{ Params: { vin: string }; Body: CommandBody }>(
    '/api/v1/vehicles/:vin/commands',
    {
      config: { role: 'operator' },
      schema: {
        tags: ['commands'],
        summary: 'Send a downlink command to a connected vehicle and wait for its reply (operator)',
        params: vinParams,
        body: {
          type: 'object',
          properties: {
            command: { type: 'string', enum: ['paramQuery', 'paramSet', 'terminalControl'] },
            params: {
              type: 'array',
              maxItems: 64,
              items: {
                anyOf: [
                  { type: 'integer', minimum: 1, maximum: 255 },
                  {
                    type: 'object',
                    properties: { id: { type: 'integer', minimum: 1, maximum: 255 }, value: { anyOf: [{ type: 'number' }, { type: 'string' }] } },
                    required: ['id', 'value'],
                    additionalProperties: false,
                  },
                ],
              },
            },
            control: {
              type: 'object',
              properties: { controlId: { type: 'integer', minimum: 1, maximum: 255 }, params: { type: 'object', additionalProperties: true } },
              required: ['controlId'],
            },
          },
          required: ['command'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { id: { type: 'integer' }, status: { type: 'string' }, reply: {}, attempts: { type: 'integer' } },
            required: ['id', 'status', 'attempts'],
          },
          503: { $ref: 'ApiError#' },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const vin = req.params.vin;
      const body = commandBody(req.body);
      if (!deps.gateway) throw apiError('NEVHUB_ERR_GATEWAY_UNAVAILABLE');
      const journal = deps.apiDb.commands;
      const id = journal.start(vin, req.body.command, req.body, req.auth?.name ?? null);
      try {
        const r = await deps.gateway.sendCommand(vin, { command: req.body.command, body });
        journal.finish(id, r.status, r.reply ?? null, r.attempts);
        return { id, status: r.status, reply: r.reply ?? null, attempts: r.attempts };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        journal.finish(id, 'failed', { message }, 0);
        return { id, status: 'failed', reply: { message }, attempts: 0 };
      }
    },
  );

  app.get<{ Querystring: { vin?: string; limit: number } }>(
    '/api/v1/commands',
    {
      schema: {
        tags: ['commands'],
        summary: 'Recent downlink commands with their outcome, newest first',
        querystring: {
          type: 'object',
          properties: { vin: { type: 'string', maxLength: 17 }, limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: commandRecordSchema } }, required: ['items'] }, ...errorResponses },
      },
    },
    (req) => ({ items: deps.apiDb.commands.recent(req.query.vin, req.query.limit) }),
  );
}
