// The multi-process gateway (gateway.processes > 1) over real TCP: workers forked with
// node:cluster, the primary holding the log, the registry and the cluster-wide VIN map.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import type { PlatformAccount } from '../config/schema.js';
import { decodeFrame, RESPONSE_IDS } from '@nevhub/gbt32960';
import { MemoryFrameLog } from '../log/memory.js';
import type { NewLogEntry } from '../log/types.js';
import { ClusterGateway } from './cluster.js';
import {
  alive,
  answerQueries,
  loginFrame,
  logoutFrame,
  MemoryRegistry,
  realtimeFrame,
  platformLoginFrame,
  simpleFrame,
  TestClient,
  until,
} from './testkit.js';

/** A memory log whose appends can be held back (durable-before-reply). */
class GatedLog extends MemoryFrameLog {
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open?.();
    this.gate = undefined;
  }
  override async append(entries: readonly NewLogEntry[]): Promise<number[]> {
    if (this.gate) await this.gate;
    return super.append(entries);
  }
}

interface Cluster {
  gw: ClusterGateway;
  port: number;
  log: GatedLog;
  registry: MemoryRegistry;
  presence: [string, boolean][];
  close(): Promise<void>;
}

async function startCluster(
  processes: number,
  duplicateLogin: 'replace' | 'reject',
  platforms: PlatformAccount[] = [],
): Promise<Cluster> {
  const log = new GatedLog();
  const registry = new MemoryRegistry();
  const presence: [string, boolean][] = [];
  const gw = new ClusterGateway({
    processes,
    gateway: { host: '127.0.0.1', port: 0, maxConnectionsPerSec: 100_000, duplicateLogin, ackRealtime: true },
    platforms,
    log,
    registry,
    events: registry,
    logLevel: 'silent',
    metricsIntervalMs: 100,
    restartDelayMs: 100,
    onPresence: (vin, online) => presence.push([vin, online]),
  });
  const { port } = await gw.listen();
  return {
    gw,
    port,
    log,
    registry,
    presence,
    close: async () => {
      await gw.close();
      await log.close();
    },
  };
}

const vin = (n: number): string => `LCLUSTER${String(n).padStart(9, '0')}`;

/** A connection known to have landed in a worker other than `notIn` (probing the per-worker counts). */
async function clientInOtherWorker(c: Cluster, notIn: number): Promise<{ client: TestClient; worker: number }> {
  const spare: TestClient[] = [];
  try {
    for (let i = 0; i < 12; i++) {
      const before = await c.gw.workerStats();
      const client = new TestClient(c.port);
      await client.ready;
      let after = before;
      await until(async () => {
        after = await c.gw.workerStats();
        return after.reduce((n, s) => n + s.sessions, 0) > before.reduce((n, s) => n + s.sessions, 0);
      }, 5000, 'probe connection to reach a worker');
      const landed = after.find((s, k) => s.sessions > before[k].sessions)?.worker;
      if (landed !== undefined && landed !== notIn) return { client, worker: landed };
      spare.push(client);
    }
    throw new Error('every probe landed in the same worker');
  } finally {
    for (const s of spare) s.destroy();
  }
}

describe('3 gateway processes, duplicateLogin replace', () => {
  let c: Cluster;
  before(async () => {
    c = await startCluster(3, 'replace');
  });
  after(async () => {
    await c.close();
  });

  test('every worker is a separate process listening on the one port', () => {
    const pids = c.gw.workerPids();
    assert.equal(pids.length, 3);
    assert.equal(new Set(pids).size, 3);
    assert.ok(pids.every((p) => p !== undefined && p !== process.pid && alive(p)));
    assert.ok(c.gw.port > 0);
  });

  test('a login and a realtime frame are answered only after the primary log append resolved', async () => {
    const v = vin(1);
    const client = new TestClient(c.port);
    try {
      const seq0 = await c.log.lastSeq();
      c.log.hold();
      client.send(loginFrame(2016, v));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(client.received.length, 0, 'no login reply before the append resolved');
      assert.equal(await c.log.lastSeq(), seq0);
      c.log.release();
      assert.equal((await client.next())?.responseId, RESPONSE_IDS.success);
      assert.equal(await c.log.lastSeq(), seq0 + 1);
      c.log.hold();
      client.send(realtimeFrame(2016, v));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(client.received.length, 1, 'no realtime ack before the append resolved');
      c.log.release();
      assert.equal((await client.next())?.command, 'realtime');
      const last = (await c.log.read(seq0, 10)).map((e) => [e.vin, e.commandId]);
      assert.deepEqual(last, [
        [v, 0x01],
        [v, 0x02],
      ]);
      assert.ok((await c.log.read(seq0, 10)).every((e) => e.raw instanceof Uint8Array));
    } finally {
      c.log.release();
      client.destroy();
    }
  });

  test('presence and session events reach the primary (login, logout)', async () => {
    const v = vin(2);
    const client = new TestClient(c.port);
    client.send(loginFrame(2025, v));
    assert.equal((await client.next())?.responseId, RESPONSE_IDS.success);
    assert.deepEqual(c.presence.filter(([x]) => x === v), [[v, true]]);
    assert.ok(c.gw.onlineVins().includes(v));
    assert.equal(c.registry.vehicles.get(v)?.lastLoginSerial, 1, 'registry written by the primary');
    client.send(logoutFrame(2025, v));
    await client.whenClosed;
    await until(() => c.presence.some(([x, on]) => x === v && !on), 2000, 'offline');
    assert.ok(!c.gw.onlineVins().includes(v));
    await until(() => c.registry.events.some((e) => e.vin === v && e.kind === 'logout'), 2000, 'logout event');
    assert.deepEqual(
      c.registry.events.filter((e) => e.vin === v).map((e) => e.kind),
      ['login', 'logout'],
    );
  });

  test('a login of a VIN online in another worker replaces that session', async () => {
    const v = vin(3);
    let holder = new TestClient(c.port);
    holder.send(loginFrame(2016, v, 1));
    assert.equal((await holder.next())?.responseId, RESPONSE_IDS.success);
    let crossed = 0;
    for (let serial = 2; serial < 12 && crossed < 2; serial++) {
      const prev = c.gw.ownerOf(v);
      assert.ok(prev);
      const next = new TestClient(c.port);
      next.send(loginFrame(2016, v, serial));
      assert.equal((await next.next())?.responseId, RESPONSE_IDS.success);
      await holder.whenClosed;
      const now = c.gw.ownerOf(v);
      assert.ok(now && now.sessionId !== prev.sessionId);
      if (now.worker !== prev.worker) crossed++;
      await until(
        () => c.registry.events.some((e) => e.kind === 'replaced' && e.sessionId === prev.sessionId),
        2000,
        'replaced event',
      );
      holder = next;
    }
    assert.ok(crossed >= 1, 'at least one replacement crossed workers');
    // The survivor is live: it is answered, and the VIN is online once.
    holder.send(simpleFrame(2016, 'heartbeat', v));
    assert.equal((await holder.next())?.command, 'heartbeat');
    assert.equal(c.gw.onlineVins().filter((x) => x === v).length, 1);
    const m = await c.gw.refreshMetrics();
    assert.ok((m.closedByReason.replaced ?? 0) >= 2);
    holder.destroy();
  });

  test('racing logins of one VIN on every worker end with exactly one online', async () => {
    const v = vin(4);
    const clients = Array.from({ length: 9 }, () => new TestClient(c.port));
    await Promise.all(clients.map((k) => k.ready));
    await until(async () => (await c.gw.workerStats()).every((s) => s.sessions >= 1), 5000, 'clients in every worker');
    for (const [i, k] of clients.entries()) k.send(loginFrame(2016, v, i + 1));
    await until(() => clients.filter((k) => !k.closed).length === 1, 5000, 'one survivor');
    await new Promise((r) => setTimeout(r, 200));
    const open = clients.filter((k) => !k.closed);
    assert.equal(open.length, 1);
    const owner = c.gw.ownerOf(v);
    assert.ok(owner);
    open[0].send(simpleFrame(2016, 'heartbeat', v));
    assert.equal((await open[0].next(2000))?.command, 'heartbeat');
    assert.equal(c.presence.filter(([x]) => x === v).at(-1)?.[1], true);
    for (const k of clients) k.destroy();
    await until(() => !c.gw.onlineVins().includes(v), 2000, 'offline after the survivor left');
  });

  test('downlink through the primary reaches the VIN in its worker', async () => {
    const v = vin(5);
    const client = new TestClient(c.port);
    client.send(loginFrame(2025, v));
    await client.next();
    answerQueries(client, 2025);
    const r = await c.gw.sendCommand(v, { command: 'paramQuery', body: { params: [{ id: 0x09, name: 'heartbeatPeriod' }] } });
    assert.equal(r.status, 'success');
    assert.equal(r.attempts, 1);
    assert.equal(r.reply?.command, 'paramQuery');
    assert.equal(typeof r.replySeq, 'number');
    const offline = await c.gw.sendCommand(vin(999), { command: 'paramQuery', body: { params: [{ id: 0x09, name: 'heartbeatPeriod' }] } });
    assert.deepEqual(offline, { status: 'offline', attempts: 0 });
    client.destroy();
  });

  test('metrics sum every worker', async () => {
    const before = await c.gw.refreshMetrics();
    const clients = Array.from({ length: 6 }, () => new TestClient(c.port));
    for (const [i, k] of clients.entries()) k.send(loginFrame(2016, vin(100 + i)));
    await Promise.all(clients.map((k) => k.next()));
    const stats = await c.gw.workerStats();
    assert.ok(stats.filter((s) => s.sessions > 0).length >= 2, 'sessions spread over workers');
    const m = await c.gw.refreshMetrics();
    assert.equal(m.sessionsLoggedIn - before.sessionsLoggedIn, 6);
    assert.equal((m.framesByCommand.vehicleLogin ?? 0) - (before.framesByCommand.vehicleLogin ?? 0), 6);
    assert.equal(m.connectionsOpen, stats.reduce((n, s) => n + s.sessions, 0));
    assert.equal(m.appendLatencyMs.buckets.length, before.appendLatencyMs.buckets.length);
    assert.equal(m.appendLatencyMs.count - before.appendLatencyMs.count, 6);
    // The pushed copy (every 100 ms here) catches up without asking.
    await until(() => c.gw.metrics().sessionsLoggedIn === m.sessionsLoggedIn, 2000, 'pushed metrics');
    assert.equal(c.gw.sessionCount, m.connectionsOpen);
    for (const k of clients) k.destroy();
  });

  test('a worker that dies is restarted; its VINs go offline; the others keep running', async () => {
    const clients = Array.from({ length: 6 }, () => new TestClient(c.port));
    for (const [i, k] of clients.entries()) k.send(loginFrame(2016, vin(200 + i)));
    await Promise.all(clients.map((k) => k.next()));
    const victim = c.gw.ownerOf(vin(200));
    assert.ok(victim?.pid);
    const lost = [0, 1, 2, 3, 4, 5].map((i) => vin(200 + i)).filter((x) => c.gw.ownerOf(x)?.worker === victim.worker);
    const kept = [0, 1, 2, 3, 4, 5].filter((i) => c.gw.ownerOf(vin(200 + i))?.worker !== victim.worker);
    assert.ok(kept.length > 0);
    const loggedInBefore = (await c.gw.refreshMetrics()).sessionsLoggedIn;
    process.kill(victim.pid, 'SIGKILL');
    await until(() => lost.every((x) => !c.gw.onlineVins().includes(x)), 5000, 'lost VINs offline');
    for (const x of lost) assert.equal(c.presence.filter(([y]) => y === x).at(-1)?.[1], false);
    await until(
      () => lost.every((x) => c.registry.events.some((e) => e.vin === x && e.kind === 'disconnect' && /worker exited/.test(e.reason ?? ''))),
      2000,
      'disconnect events',
    );
    // The others were not touched.
    for (const i of kept) {
      clients[i].send(simpleFrame(2016, 'heartbeat', vin(200 + i)));
      assert.equal((await clients[i].next())?.command, 'heartbeat');
    }
    await until(() => c.gw.workerPids().every((p) => p !== undefined && p !== victim.pid && alive(p)), 15_000, 'restart');
    await until(async () => (await c.gw.workerStats()).every((s) => s.ready), 15_000, 'restarted worker listening');
    // Counters of the dead worker are kept.
    assert.ok((await c.gw.refreshMetrics()).sessionsLoggedIn >= loggedInBefore);
    // New connections are served by all three again (round robin reaches the new one).
    const fresh: TestClient[] = [];
    for (let i = 0; i < 6; i++) {
      const k = new TestClient(c.port);
      fresh.push(k);
      k.send(loginFrame(2016, vin(300 + i)));
      assert.equal((await k.next())?.responseId, RESPONSE_IDS.success);
    }
    const restarted = c.gw.workerPids()[victim.worker];
    assert.ok([0, 1, 2, 3, 4, 5].some((i) => c.gw.ownerOf(vin(300 + i))?.pid === restarted));
    for (const k of [...clients, ...fresh]) k.destroy();
  });
});

describe('2 gateway processes, duplicateLogin reject', () => {
  let c: Cluster;
  /** A live list, as the API's platform accounts are. */
  const platforms: PlatformAccount[] = [];
  before(async () => {
    c = await startCluster(2, 'reject', platforms);
  });
  after(async () => {
    await c.close();
  });

  test('a login of a VIN online in the other worker is refused with 0x03', async () => {
    const v = vin(10);
    const first = new TestClient(c.port);
    first.send(loginFrame(2016, v, 1));
    assert.equal((await first.next())?.responseId, RESPONSE_IDS.success);
    const owner = c.gw.ownerOf(v);
    assert.ok(owner);
    const { client: second } = await clientInOtherWorker(c, owner.worker);
    second.send(loginFrame(2016, v, 2));
    assert.equal((await second.next())?.responseId, RESPONSE_IDS.vinDuplicate);
    await second.whenClosed;
    assert.equal(c.gw.ownerOf(v)?.sessionId, owner.sessionId);
    first.send(simpleFrame(2016, 'heartbeat', v));
    assert.equal((await first.next())?.command, 'heartbeat');
    await until(() => c.registry.events.some((e) => e.vin === v && e.kind === 'rejected'), 2000, 'rejected event');
    first.destroy();
  });

  test('racing logins of one VIN: exactly one accepted, the others refused', async () => {
    const v = vin(11);
    const clients = Array.from({ length: 8 }, () => new TestClient(c.port));
    await Promise.all(clients.map((k) => k.ready));
    await until(async () => (await c.gw.workerStats()).every((s) => s.sessions >= 1), 5000, 'clients in both workers');
    for (const [i, k] of clients.entries()) k.send(loginFrame(2025, v, i + 1));
    const replies = await Promise.all(clients.map((k) => k.next()));
    assert.equal(replies.filter((r) => r?.responseId === RESPONSE_IDS.success).length, 1);
    assert.equal(replies.filter((r) => r?.responseId === RESPONSE_IDS.vinDuplicate).length, 7);
    await until(() => clients.filter((k) => !k.closed).length === 1, 3000, 'refused links closed');
    assert.equal(c.gw.onlineVins().filter((x) => x === v).length, 1);
    for (const k of clients) k.destroy();
  });

  test('a lower-platform account added to the live list reaches every worker', async () => {
    platforms.push({ username: 'city-b', password: 'pw', allowedVins: '*' });
    // Workers get the list when it changes (polled once a second).
    await new Promise((r) => setTimeout(r, 1500));
    const first = await clientInOtherWorker(c, -1);
    const second = await clientInOtherWorker(c, first.worker);
    for (const { client } of [first, second]) {
      client.send(platformLoginFrame(2016, 'city-b', 'pw'));
      assert.equal((await client.next())?.responseId, RESPONSE_IDS.success);
      client.destroy();
    }
  });

  test('close ends every session in every worker, records it, and stops the processes', async () => {
    const clients = Array.from({ length: 4 }, () => new TestClient(c.port));
    for (const [i, k] of clients.entries()) k.send(loginFrame(2016, vin(20 + i)));
    await Promise.all(clients.map((k) => k.next()));
    const pids = c.gw.workerPids();
    await c.gw.close();
    assert.ok(pids.every((p) => p !== undefined && !alive(p)), 'workers exited');
    await Promise.all(clients.map((k) => k.whenClosed));
    for (let i = 0; i < 4; i++) {
      assert.ok(
        c.registry.events.some((e) => e.vin === vin(20 + i) && e.kind === 'disconnect' && e.reason === 'gateway shutting down'),
        `shutdown recorded for ${vin(20 + i)}`,
      );
      assert.equal(c.presence.filter(([x]) => x === vin(20 + i)).at(-1)?.[1], false);
    }
    assert.equal(c.gw.port, 0);
    assert.deepEqual(c.gw.onlineVins(), []);
  });
});

test('listen fails (and leaves no worker) when the port is taken', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as { port: number }).port;
  const registry = new MemoryRegistry();
  const gw = new ClusterGateway({
    processes: 2,
    gateway: { host: '127.0.0.1', port },
    log: new MemoryFrameLog(),
    registry,
    events: registry,
    logLevel: 'silent',
  });
  try {
    await assert.rejects(gw.listen(), /did not start.*EADDRINUSE/);
    assert.ok(gw.workerPids().every((p) => p === undefined || !alive(p)));
    assert.equal(gw.port, 0);
  } finally {
    await gw.close();
    blocker.close();
  }
});

test('TLS: every worker terminates TLS on the shared port', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nevhub-cluster-tls-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '2', '-subj', '/CN=localhost'],
    { cwd: dir, stdio: 'ignore' },
  );
  const registry = new MemoryRegistry();
  const gw = new ClusterGateway({
    processes: 2,
    gateway: { host: '127.0.0.1', port: 0, tls: { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') } },
    log: new MemoryFrameLog(),
    registry,
    events: registry,
    logLevel: 'silent',
  });
  try {
    const { port, tls } = await gw.listen();
    assert.equal(tls, true);
    const ca = readFileSync(join(dir, 'cert.pem'));
    // Four connections: round robin hands them to both workers.
    for (let i = 0; i < 4; i++) {
      const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
      const reply = await new Promise<Buffer>((resolve, reject) => {
        socket.once('secureConnect', () => socket.write(loginFrame(2016, vin(40 + i))));
        socket.once('data', resolve);
        socket.once('error', reject);
      });
      assert.equal(decodeFrame(reply).responseId, RESPONSE_IDS.success);
      socket.destroy();
    }
    const m = await gw.refreshMetrics();
    assert.equal(m.sessionsLoggedIn, 4);
  } finally {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
