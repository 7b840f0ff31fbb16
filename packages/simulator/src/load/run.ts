// Load mode: many lightweight terminals (no physics) spread over several 127.x.y.z source
// addresses (one address has only ~28k ephemeral ports), each logging in and then sending
// heartbeats and realtime frames at a rate. 2016 frames are pre-encoded per connection and only
// the time field and BCC are patched per send, so the generator stays cheap at 100k connections.
import { connect, type Socket } from 'node:net';
import { beijingTime, encodeFrame, FrameSplitter } from '@nevhub/gbt32960';
import { makeVin } from '../scenario/build.js';
import { percentile } from '../terminal/stats.js';

export interface LoadOptions {
  target: { host: string; port: number };
  connections: number;
  /** Source addresses to spread connections over (default 127.0.0.1…127.0.0.N as needed). */
  localAddresses?: string[];
  /** Realtime frames per connection per second (default 0.1 = every 10 s). */
  rate?: number;
  heartbeatPeriodS?: number;
  durationS: number;
  /** New connections opened per second (default 5000). */
  rampPerS?: number;
  /** Live progress line on stderr (default true when stderr is a TTY). */
  progress?: boolean;
}

export interface LoadSummary {
  connections: number;
  connected: number;
  loggedIn: number;
  framesSent: number;
  replies: number;
  errors: number;
  framesPerS: number;
  p50ReplyMs: number;
  p99ReplyMs: number;
  durationS: number;
}

function defaultAddresses(n: number): string[] {
  const count = Math.max(1, Math.ceil(n / 20000));
  return Array.from({ length: count }, (_, i) => `127.0.${Math.floor((i + 1) / 250)}.${((i + 1) % 250) + 1}`);
}

function patch(frame: Uint8Array, ms: number): void {
  const d = new Date(ms + 8 * 3600_000);
  frame.set([d.getUTCFullYear() - 2000, d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()], 24);
  let x = 0;
  for (let i = 2; i < frame.length - 1; i++) x ^= frame[i];
  frame[frame.length - 1] = x;
}

export async function runLoad(o: LoadOptions): Promise<LoadSummary> {
  const addrs = o.localAddresses ?? defaultAddresses(o.connections);
  const rate = o.rate ?? 0.1;
  const hb = o.heartbeatPeriodS ?? 30;
  const s = { connected: 0, loggedIn: 0, sent: 0, replies: 0, errors: 0 };
  const lat: number[] = [];
  const conns: { sock: Socket; vin: string; rt: Uint8Array; hb: Uint8Array; pending: number[]; online: boolean; nextRt: number; nextHb: number }[] = [];
  const t0 = performance.now();
  const nowMs = (): number => Date.now();
  const open = (i: number): void => {
    const vin = makeVin('LBDLD9Z1', i + 1);
    const time = beijingTime(new Date());
    const login = encodeFrame({ version: 2016, command: 'vehicleLogin', vin, time, body: { serial: 1, iccid: `8986000${String(i).padStart(13, '0')}`, packCount: 1, packCodeLength: 0, packCodes: [] } });
    const rt = encodeFrame({
      version: 2016, command: 'realtime', vin, time,
      body: { items: [{ type: 'vehicle', typeId: 1, vehicleState: 'started', chargingState: 'notCharging', operatingMode: 'electric', speedKmh: 35, odometerKm: 12345.6, totalVoltageV: 356.2, totalCurrentA: 42.5, socPct: 67, dcdcState: 'working', gear: { gear: 'D', driving: true, braking: false, valid: true }, insulationKOhm: 4200, acceleratorPct: 20, brakePct: 0 }, { type: 'position', typeId: 5, valid: true, longitude: 115.46 + (i % 1000) * 1e-5, latitude: 38.87, status: 0 }] },
    });
    const hbf = encodeFrame({ version: 2016, command: 'heartbeat', vin, time: null, body: {} });
    const sock = connect({ host: o.target.host, port: o.target.port, localAddress: addrs[i % addrs.length] });
    const c = { sock, vin, rt, hb: hbf, pending: [] as number[], online: false, nextRt: 0, nextHb: 0 };
    conns.push(c);
    const sp = new FrameSplitter();
    sock.on('connect', () => {
      s.connected++;
      c.pending.push(performance.now());
      sock.write(login);
      s.sent++;
    });
    sock.on('data', (b: Buffer) => {
      const err = sp.push(b, (f) => {
        s.replies++;
        const started = c.pending.shift();
        if (started !== undefined) lat.push(performance.now() - started);
        if (f[2] === 0x01) {
          if (f[3] === 0x01 && !c.online) {
            c.online = true;
            s.loggedIn++;
            const now = performance.now();
            c.nextRt = now + (((i * 7919) % 1000) / 1000) * (1000 / rate); // spread sends evenly
            c.nextHb = now + hb * 1000;
          } else if (f[3] !== 0x01) s.errors++;
        } else if (f[3] !== 0x01) s.errors++;
      });
      if (err) {
        s.errors++;
        sock.destroy();
      }
    });
    sock.on('error', () => s.errors++);
    sock.on('close', () => {
      if (c.online) s.loggedIn--;
      c.online = false;
    });
  };
  const ramp = o.rampPerS ?? 5000;
  let opened = 0;
  let lastSent = 0;
  let lastT = t0;
  const progress = o.progress ?? process.stderr.isTTY;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const elapsed = (now - t0) / 1000;
      const target = Math.min(o.connections, Math.floor(elapsed * ramp) + 1);
      while (opened < target) open(opened++);
      for (const c of conns) {
        if (!c.online) continue;
        if (now >= c.nextRt) {
          patch(c.rt, nowMs());
          c.sock.write(c.rt);
          s.sent++;
          c.nextRt = now + 1000 / rate;
          c.nextHb = now + hb * 1000;
        } else if (now >= c.nextHb) {
          c.pending.push(now);
          c.sock.write(c.hb);
          s.sent++;
          c.nextHb = now + hb * 1000;
        }
      }
      if (progress && now - lastT >= 1000) {
        const fps = ((s.sent - lastSent) * 1000) / (now - lastT);
        lastSent = s.sent;
        lastT = now;
        process.stderr.write(`\rconnected ${s.connected} logged in ${s.loggedIn} frames/s ${fps.toFixed(0)} replies ${s.replies} p99 ${percentile(lat.slice(-20000), 99).toFixed(1)} ms errors ${s.errors}   `);
      }
      if (elapsed >= o.durationS) {
        clearInterval(timer);
        resolve();
      }
    }, 20);
  });
  const durationS = (performance.now() - t0) / 1000;
  const summary: LoadSummary = {
    connections: o.connections,
    connected: s.connected,
    loggedIn: s.loggedIn,
    framesSent: s.sent,
    replies: s.replies,
    errors: s.errors,
    framesPerS: s.sent / durationS,
    p50ReplyMs: percentile(lat, 50),
    p99ReplyMs: percentile(lat, 99),
    durationS,
  };
  for (const c of conns) c.sock.destroy();
  if (progress) process.stderr.write('\n');
  return summary;
}
