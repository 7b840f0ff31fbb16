// The dashboard: packages/web/dist served at / with a single-page-app fallback to index.html.
// When it has not been built, / explains how to build it instead of a bare 404.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));

const NOT_BUILT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nevhub</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto">
<h1>nevhub</h1>
<p>The dashboard has not been built. Run <code>npm run build -w packages/web</code> and restart.</p>
<p>The API is running: see <a href="/docs">/docs</a>, <a href="/healthz">/healthz</a> and <a href="/metrics">/metrics</a>.</p>
</body></html>
`;

/** Registers static serving; returns the SPA fallback for the not-found handler, if any. */
export function registerStatic(app: FastifyInstance, webDist: string | null): ((req: FastifyRequest, reply: FastifyReply) => FastifyReply) | undefined {
  if (webDist && existsSync(join(webDist, 'index.html'))) {
    void app.register(fastifyStatic, { root: webDist, prefix: '/', index: ['index.html'] });
    return (_req, reply) => reply.type('text/html; charset=utf-8').sendFile('index.html');
  }
  app.get('/', { schema: { hide: true } }, (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT_HTML));
  return undefined;
}
