// buildApi: the fastify instance with every route, auth, OpenAPI at /docs, metrics, the live
// WebSocket and the dashboard. startApi: the same, listening.
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { installAuth } from './auth.js';
import { VehicleViews } from './common.js';
import type { ApiDeps } from './deps.js';
import { ApiError, apiError, errorSchema } from './errors.js';
import { attachLiveSocket } from './live-socket.js';
import { PlatformMetrics } from './metrics.js';
import { adminRoutes } from './routes/admin.js';
import { commandRoutes } from './routes/commands.js';
import { fleetRoutes } from './routes/fleet.js';
import { frameRoutes } from './routes/frames.js';
import { healthRoutes } from './routes/health.js';
import { telemetryRoutes } from './routes/telemetry.js';
import { vehicleRoutes } from './routes/vehicles.js';
import { DEFAULT_WEB_DIST, registerStatic } from './static.js';

export interface ApiOptions {
  /** fastify logger option (pino); default off. */
  logger?: FastifyServerOptions['logger'];
  /** /metrics needs a viewer token when true (default false: open, for Prometheus scrapers). */
  metricsAuth?: boolean;
  /** Directory of the built dashboard; null disables static serving. Default packages/web/dist. */
  webDist?: string | null;
  /** How long the joined vehicle list (fleet list, summary) may be reused, ms; default 1000, 0 = off. */
  latestCacheMs?: number;
  /** Largest accepted request body, bytes (default 1 MiB). */
  bodyLimit?: number;
}

export const API_VERSION = '1.0.0';

export function buildApi(deps: ApiDeps, options: ApiOptions = {}): FastifyInstance {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  const metrics = deps.metrics ?? new PlatformMetrics();
  app.addSchema(errorSchema);

  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError) return reply.code(err.statusCode).send(err.toBody());
    if (err.validation) return reply.code(400).send(apiError('NEVHUB_ERR_VALIDATION', err.message).toBody());
    const status = err.statusCode ?? 500;
    if (status < 500) {
      return reply.code(status).send({ ...apiError('NEVHUB_ERR_BAD_REQUEST', err.message).toBody(), statusCode: status });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send(apiError('NEVHUB_ERR_INTERNAL', err.message).toBody());
  });

  installAuth(app, deps.apiDb.tokens);
  app.addHook('onResponse', (req, reply, done) => {
    metrics.httpRequests.inc({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
    done();
  });

  void app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'nevhub API',
        version: API_VERSION,
        description:
          'GB/T 32960 platform API. Send `Authorization: Bearer <token>`; roles: viewer (reads), operator (+ downlink commands), admin (+ registry, platforms, tokens). Errors: `{statusCode, code: NEVHUB_ERR_…, error, message}`. Live stream: WebSocket `/api/v1/live?token=…`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  void app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  // Routes live in a child plugin so that the swagger onRoute hook is in place before they are added.
  void app.register((api, _opts, done) => {
    healthRoutes(api, deps, metrics, { metricsAuth: options.metricsAuth ?? false });
    const views = new VehicleViews(deps, options.latestCacheMs ?? 1000);
    fleetRoutes(api, deps, views);
    vehicleRoutes(api, deps, views);
    telemetryRoutes(api, deps);
    frameRoutes(api, deps);
    commandRoutes(api, deps);
    adminRoutes(api, deps);
    done();
  });

  const spaFallback = registerStatic(app, options.webDist === undefined ? DEFAULT_WEB_DIST : options.webDist);
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    if (spaFallback && req.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/docs')) return spaFallback(req, reply);
    return reply.code(404).send(apiError('NEVHUB_ERR_ROUTE_NOT_FOUND', req.method, path).toBody());
  });

  attachLiveSocket(app, deps.hub, deps.apiDb.tokens);
  app.addHook('onClose', (_app, done) => {
    deps.hub?.stop();
    done();
  });
  return app;
}

/** Builds the API and listens (default port 8080; pass 0 in tests and read `url` back). */
export async function startApi(
  deps: ApiDeps,
  options: ApiOptions & { port?: number; host?: string } = {},
): Promise<{ app: FastifyInstance; url: string; port: number; close: () => Promise<void> }> {
  const app = buildApi(deps, options);
  // The hub ticks while the API serves; buildApi's onClose stops it (and closes its clients).
  deps.hub?.start();
  await app.listen({ port: options.port ?? 8080, host: options.host ?? '0.0.0.0' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (options.port ?? 8080);
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return { app, url: `http://${host}:${port}`, port, close: () => app.close() };
}
