// Administration (admin role): lower-platform accounts and API tokens. Passwords and token secrets
// are write-only: a token's secret is shown once, in the response that creates it.
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { apiError } from '../errors.js';
import { errorResponses } from '../schemas.js';
import { ROLES, type Role } from '../tokens.js';

const MASK = '********';

const platformSchema = {
  type: 'object',
  properties: {
    username: { type: 'string' },
    password: { type: 'string', description: 'always masked' },
    allowedVins: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'integer' },
    updatedAt: { type: 'integer' },
  },
} as const;

const tokenSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', enum: ROLES }, createdAt: { type: 'integer' }, lastUsedAt: { type: ['integer', 'null'] } },
} as const;

export function adminRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const platforms = deps.apiDb.platforms;
  const tokens = deps.apiDb.tokens;
  const admin = { role: 'admin' } as const;

  app.get(
    '/api/v1/platforms',
    { config: admin, schema: { tags: ['admin'], summary: 'Lower-platform accounts (admin)', response: { 200: { type: 'object', properties: { items: { type: 'array', items: platformSchema } } }, ...errorResponses } } },
    () => ({ items: platforms.list().map((p) => ({ ...p, password: MASK })) }),
  );

  app.post<{ Body: { username: string; password: string; allowedVins?: string[] } }>(
    '/api/v1/platforms',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Create or replace a lower-platform account (admin); the gateway checks platform logins (0x05) against it',
        body: {
          type: 'object',
          properties: {
            // Platform login carries a 12-byte user name and a 20-byte password (spec §6.3).
            username: { type: 'string', minLength: 1, maxLength: 12 },
            password: { type: 'string', minLength: 1, maxLength: 20 },
            allowedVins: { type: 'array', items: { type: 'string', maxLength: 17 }, default: [] },
          },
          required: ['username', 'password'],
          additionalProperties: false,
        },
        response: { 201: platformSchema, ...errorResponses },
      },
    },
    (req, reply) => {
      const p = platforms.put({ username: req.body.username, password: req.body.password, allowedVins: req.body.allowedVins ?? [] });
      return reply.code(201).send({ ...p, password: MASK });
    },
  );

  app.delete<{ Params: { username: string } }>(
    '/api/v1/platforms/:username',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Delete a lower-platform account (admin)',
        params: { type: 'object', properties: { username: { type: 'string', minLength: 1 } }, required: ['username'] },
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    (req, reply) => {
      if (!platforms.delete(req.params.username)) throw apiError('NEVHUB_ERR_PLATFORM_NOT_FOUND', req.params.username);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/tokens',
    { config: admin, schema: { tags: ['admin'], summary: 'API tokens, without secrets (admin)', response: { 200: { type: 'object', properties: { items: { type: 'array', items: tokenSchema } } }, ...errorResponses } } },
    () => ({ items: tokens.list() }),
  );

  app.post<{ Body: { name: string; role: Role } }>(
    '/api/v1/tokens',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Create a token (admin); its secret is in this response only',
        body: {
          type: 'object',
          properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, role: { type: 'string', enum: ROLES } },
          required: ['name', 'role'],
          additionalProperties: false,
        },
        response: { 201: { type: 'object', properties: { token: { type: 'string' }, info: tokenSchema }, required: ['token', 'info'] }, ...errorResponses },
      },
    },
    (req, reply) => reply.code(201).send(tokens.create(req.body.name, req.body.role)),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/tokens/:id',
    {
      config: admin,
      schema: {
        tags: ['admin'],
        summary: 'Revoke a token (admin)',
        params: { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] },
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    (req, reply) => {
      if (!tokens.delete(req.params.id)) throw apiError('NEVHUB_ERR_TOKEN_NOT_FOUND', req.params.id);
      return reply.code(204).send();
    },
  );
}
