// Raw frames of a vehicle from the frame log, each with its decoded form and byte-level
// explanation, and a decoder tool for pasted hex.
import { decodeFrame, explainFrame, fromHex, toHex } from '@nevhub/gbt32960';
import type { FastifyInstance } from 'fastify';
import { parseRange } from '../common.js';
import type { ApiDeps } from '../deps.js';
import { apiError } from '../errors.js';
import { recentFrames } from '../recent-frames.js';
import { errorResponses, explainFieldSchema, frameSchema, timeRangeQuery, vinParams } from '../schemas.js';

const MAX_HEX_BYTES = 65_600;

export function frameRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const explain = deps.explain ?? explainFrame;

  app.get<{ Params: { vin: string }; Querystring: { from?: string; to?: string; limit: number; explain: boolean } }>(
    '/api/v1/vehicles/:vin/frames',
    {
      schema: {
        tags: ['frames'],
        summary: 'Raw frames from the frame log, newest first, decoded and explained byte by byte',
        params: vinParams,
        querystring: {
          type: 'object',
          properties: {
            ...timeRangeQuery,
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 20 },
            explain: { type: 'boolean', default: true, description: 'include the byte-level explanation' },
          },
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
                    seq: { type: 'integer' },
                    receivedAt: { type: 'integer' },
                    sessionId: { type: 'string' },
                    peer: { type: 'string' },
                    command: { type: 'string' },
                    hex: { type: 'string' },
                    frame: frameSchema,
                    explain: { type: 'array', items: explainFieldSchema },
                  },
                  required: ['seq', 'receivedAt', 'command', 'hex', 'frame', 'explain'],
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
      const { from, to } = parseRange(req.query, Number.MAX_SAFE_INTEGER / 2);
      const entries = await recentFrames(deps.log, req.params.vin, { from, to, limit: req.query.limit });
      return {
        items: entries.map((e) => {
          const { frame, fields } = req.query.explain ? explain(e.raw) : { frame: decodeFrame(e.raw), fields: [] };
          return { seq: e.seq, receivedAt: e.receivedAt, sessionId: e.sessionId, peer: e.peer, command: frame.command, hex: toHex(e.raw), frame, explain: fields };
        }),
      };
    },
  );

  app.get<{ Querystring: { hex: string } }>(
    '/api/v1/frames/decode',
    {
      schema: {
        tags: ['frames'],
        summary: 'Decode a frame given as hex and explain it byte by byte',
        querystring: {
          type: 'object',
          properties: { hex: { type: 'string', minLength: 2, maxLength: MAX_HEX_BYTES * 3, description: 'frame bytes as hex; spaces and colons ignored' } },
          required: ['hex'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { hex: { type: 'string' }, frame: frameSchema, explain: { type: 'array', items: explainFieldSchema } },
            required: ['hex', 'frame', 'explain'],
          },
          ...errorResponses,
        },
      },
    },
    (req) => {
      const bytes = fromHex(req.query.hex);
      if (!bytes || bytes.length === 0) throw apiError('NEVHUB_ERR_BAD_HEX', req.query.hex.slice(0, 40));
      const { frame, fields } = explain(bytes);
      return { hex: toHex(bytes), frame, explain: fields };
    },
  );
}
