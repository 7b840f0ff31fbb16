// Mock of the nevhub /api/v1 contract for the dashboard: REST + the /api/v1/live WebSocket with
// moving vehicles, and the built dist served at "/". Used by dashboard.test.ts and for manual
// work: `node packages/web/test/mock-api.mjs --port 8080 --vehicles 2000` then `npm run dev`.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { createFleet, roadsGeoJson, stepFleet, summary, vehicleView } from './mock-fleet.mjs';
import * as data from './mock-data.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.pbf': 'application/x-protobuf' };

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function serveStatic(res, distDir, path) {
  const root = resolve(distDir);
  let file = normalize(join(root, decodeURIComponent(path)));
  if (!file.startsWith(root)) return send(res, 403, { message: 'forbidden' });
  try {
    if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
  } catch {
    file = join(root, 'index.html');
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    send(res, 404, { message: 'not found (is packages/web/dist built?)' });
  }
}

function period(q) {
  const to = q.get('to') ? Date.parse(q.get('to')) : Date.now();
  const from = q.get('from') ? Date.parse(q.get('from')) : to - 3_600_000;
  return { from, to, step: Number(q.get('step')) || 0 };
}

/**
 * @param {{ port?: number, host?: string, distDir?: string, token?: string, vehicles?: number, tickMs?: number, maxPageSize?: number }} opts
 */
export async function startMockApi(opts = {}) {
  const { port = 0, host = '127.0.0.1', distDir = join(HERE, '..', 'dist'), token = 'test-token', vehicles = 300, tickMs = 1000, maxPageSize = 20000 } = opts;
  const fleet = createFleet({ count: vehicles });
  const byVin = new Map(fleet.vehicles.map((v) => [v.vin, v]));
  const stats = { requests: 0, wsMessages: 0, vehicleListRequests: 0, wsConnections: 0 };

  const handle = async (req, res) => {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (!path.startsWith('/api/')) return serveStatic(res, distDir, path);
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { code: 'NEVHUB_UNAUTHORIZED', message: 'missing or wrong bearer token' });
    const q = url.searchParams;
    if (path === '/api/v1/fleet/summary') return send(res, 200, summary(fleet));
    if (path === '/api/v1/roads') return send(res, 200, roadsGeoJson(fleet));
    if (path === '/api/v1/vehicles') {
      stats.vehicleListRequests++;
      let items = fleet.vehicles.map(vehicleView);
      for (const k of ['type', 'powertrain', 'status']) {
        const want = q.get(k);
        if (want) items = items.filter((v) => (k === 'type' ? v.vehicleType : v[k]) === want);
      }
      const text = q.get('q')?.toLowerCase();
      if (text) items = items.filter((v) => v.vin.toLowerCase().includes(text) || v.plate.toLowerCase().includes(text));
      // Paged like the platform (default 100); maxPageSize mimics a server that clamps pages.
      const limit = Math.min(Number(q.get('limit')) || 100, maxPageSize);
      const offset = Number(q.get('offset')) || 0;
      return send(res, 200, { items: items.slice(offset, offset + limit), total: items.length });
    }
    const m = /^\/api\/v1\/vehicles\/([^/]+)(?:\/([a-z-]+))?$/.exec(path);
    const v = m && byVin.get(decodeURIComponent(m[1]));
    if (!m || !v) return send(res, 404, { code: 'NEVHUB_NOT_FOUND', message: 'not found' });
    const view = vehicleView(v);
    const p = period(q);
    switch (m[2]) {
      case undefined:
        return send(res, 200, { vehicle: { ...view, iccid: v.iccid }, latest: data.latest(view, v) });
      case 'history':
        return send(res, 200, data.history(v, p.from, p.to, p.step, (q.get('fields') ?? 'speedKmh,socPct').split(',')));
      case 'cells':
        return send(res, 200, data.cells(v, p.from, p.to, p.step));
      case 'frames':
        return send(res, 200, data.frames(v, view, Math.min(100, Number(q.get('limit')) || 20)));
      case 'sessions':
        return send(res, 200, data.sessions(v, Number(q.get('limit')) || 50));
      case 'fuel-cell':
        return v.powertrain === 'fcev' ? send(res, 200, data.fuelCell(v, p.from, p.to, p.step)) : send(res, 404, { message: 'no fuel cell' });
      case 'commands': {
        if (req.method !== 'POST') return send(res, 405, { message: 'POST only' });
        let body = '';
        for await (const chunk of req) body += chunk;
        const cmd = JSON.parse(body || '{}');
        if (v.status === 'offline') return send(res, 200, { id: Date.now(), status: 'offline' });
        const values = { 1: 10000, 2: 10, 3: 1000, 9: 30 };
        return send(res, 200, { id: Date.now(), status: 'success', reply: { params: (cmd.params ?? []).map((id) => ({ id, value: values[id] ?? null })) } });
      }
      default:
        return send(res, 404, { message: 'not found' });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => send(res, 500, { message: String(err) }));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/v1/live' || url.searchParams.get('token') !== token) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    stats.wsConnections++;
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const timer = setInterval(() => {
    const { updates, events } = stepFleet(fleet, tickMs);
    const at = Date.now();
    const messages = [JSON.stringify({ type: 'positions', at, vehicles: updates }), ...events.map((e) => JSON.stringify({ type: 'event', event: e }))];
    for (const client of wss.clients) {
      if (client.readyState !== 1) continue;
      for (const msg of messages) client.send(msg);
      stats.wsMessages += messages.length;
    }
  }, tickMs);

  await new Promise((ok) => server.listen(port, host, ok));
  const addr = server.address();
  const realPort = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://${host}:${realPort}`,
    port: realPort,
    token,
    stats,
    vehicleCount: fleet.vehicles.length,
    /** Drop every live socket (the dashboard must reconnect and refetch). */
    dropSockets() {
      for (const c of wss.clients) c.terminate();
    },
    async close() {
      clearInterval(timer);
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise((ok) => server.close(() => ok()));
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : def;
  };
  const api = await startMockApi({ port: Number(arg('port', 8080)), vehicles: Number(arg('vehicles', 500)), token: arg('token', 'dev-token') });
  console.log(`mock nevhub API on ${api.url}  →  open ${api.url}/?token=${api.token}`);
}
