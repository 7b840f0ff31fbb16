// Token authentication and role checks. Every /api/ route needs a token; the role a route needs is
// in its config (`config: { role }`), defaulting to viewer for GET and admin for writes, so a new
// route is locked down unless it says otherwise.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiError } from './errors.js';
import { roleAllows, type Role, type TokenInfo, type TokenStore } from './tokens.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Least role that may call the route; `public` needs no token. */
    role?: Role | 'public';
  }
  interface FastifyRequest {
    auth?: TokenInfo;
  }
}

/** The bearer token of a request (WebSocket upgrades may use ?token= instead). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

export function requiredRole(req: FastifyRequest): Role | 'public' {
  const configured = req.routeOptions.config.role;
  if (configured) return configured;
  if (!req.url.startsWith('/api/')) return 'public';
  return req.method === 'GET' || req.method === 'HEAD' ? 'viewer' : 'admin';
}

export function installAuth(app: FastifyInstance, tokens: TokenStore): void {
  app.decorateRequest('auth', undefined);
  app.addHook('onRequest', (req, _reply, done) => {
    const need = requiredRole(req);
    if (need === 'public') return done();
    const token = bearerToken(req.headers.authorization);
    const info = token === undefined ? undefined : tokens.verify(token);
    if (!info) return done(apiError('NEVHUB_ERR_UNAUTHORIZED'));
    if (!roleAllows(info.role, need)) return done(apiError('NEVHUB_ERR_FORBIDDEN', info.role, need));
    req.auth = info;
    done();
  });
}
