// Liveness, readiness and Prometheus metrics. No token (config.role public) unless
// `metricsToken` is set, then /metrics needs a viewer token like the API.
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';
import { apiError } from '../errors.js';
import type { PlatformMetrics } from '../metrics.js';

export function healthRoutes(app: FastifyInstance, deps: ApiDeps, metrics: PlatformMetrics, opts: { metricsAuth: boolean }): void {
  const okSchema = {
    type: 'object',
    properties: { status: { type: 'string' }, checks: { type: 'object', additionalProperties: { type: 'boolean' } } },
    required: ['status'],
  } as const;

  app.get('/healthz', { config: { role: 'public' }, schema: { tags: ['health'], summary: 'Liveness: the process answers', response: { 200: okSchema } } }, () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    {
      config: { role: 'public' },
      schema: { tags: ['health'], summary: 'Readiness: databases reachable and gateway listening', response: { 200: okSchema, 503: { $ref: 'ApiError#' } } },
    },
    async () => {
      const checks: Record<string, boolean> = { apiDb: deps.apiDb.ping() };
      try {
        await deps.log.lastSeq();
        checks.frameLog = true;
      } catch {
        checks.frameLog = false;
      }
      try {
        await deps.registry.getVehicle('readyz-probe');
        checks.store = true;
      } catch {
        checks.store = false;
      }
      if (deps.gateway && deps.gateway.port !== undefined) checks.gateway = deps.gateway.port > 0;
      const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([k]) => k);
      if (failed.length > 0) throw apiError('NEVHUB_ERR_NOT_READY', `not ready: ${failed.join(', ')}`);
      return { status: 'ready', checks };
    },
  );

  app.get(
    '/metrics',
    {
      config: { role: opts.metricsAuth ? 'viewer' : 'public' },
      schema: { tags: ['health'], summary: 'Prometheus metrics (text exposition format)', produces: ['text/plain'] },
    },
    async (_req, reply) => {
      const text = metrics.render(deps.gateway?.metrics?.(), { liveClients: deps.hub?.clientCount ?? 0 });
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(text);
    },
  );
}
