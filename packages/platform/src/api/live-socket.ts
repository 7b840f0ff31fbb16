// WebSocket /api/v1/live on the API's HTTP server (ws in noServer mode on the 'upgrade' event;
// @fastify/websocket is not a dependency). Browsers cannot set headers on a WebSocket, so the token
// comes as ?token= (an Authorization header works too). Every client joins the live hub, which
// sends a full snapshot first and then coalesced position ticks and events (northbound/live-hub.ts).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LiveHub } from '../northbound/live-hub.js';
import { bearerToken } from './auth.js';
import { apiError, type ApiError } from './errors.js';
import type { TokenStore } from './tokens.js';

export const LIVE_PATH = '/api/v1/live';
/** Dead peers (no pong within one period) are terminated, so the hub does not keep writing to them. */
const PING_EVERY_MS = 30_000;

function reject(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.toBody());
  socket.end(
    `HTTP/1.1 ${err.statusCode} ${STATUS_CODES[err.statusCode]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function attachLiveSocket(app: FastifyInstance, hub: LiveHub | undefined, tokens: TokenStore): void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const alive = new WeakMap<WebSocket, boolean>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== LIVE_PATH) return reject(socket, apiError('NEVHUB_ERR_ROUTE_NOT_FOUND', 'GET', url.pathname));
    const token = url.searchParams.get('token') ?? bearerToken(req.headers.authorization);
    if (!token || !tokens.verify(token)) return reject(socket, apiError('NEVHUB_ERR_UNAUTHORIZED'));
    if (!hub) return reject(socket, apiError('NEVHUB_ERR_LIVE_UNAVAILABLE'));
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      // Client messages carry nothing yet; reading them keeps the socket flowing.
      ws.on('message', () => undefined);
      ws.on('error', () => ws.terminate());
      const remove = hub.addClient(ws);
      ws.on('close', remove);
    });
  };

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, PING_EVERY_MS);
  pinger.unref();

  app.server.on('upgrade', onUpgrade);
  app.addHook('onClose', (_app, done) => {
    clearInterval(pinger);
    app.server.off('upgrade', onUpgrade);
    for (const ws of wss.clients) ws.terminate();
    wss.close(() => done());
  });
}
