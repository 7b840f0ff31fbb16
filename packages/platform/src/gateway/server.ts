// The gateway listener: TCP (default port 32960) or TLS / mutual TLS, admission bounds, the table
// of live sessions, downlink and metrics. Session logic lives in session.ts and never sees `net`.
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { pino } from 'pino';
import { parseQuirks, type Frame } from '@nevhub/gbt32960';
import { defaultConfig, type GatewayConfig, type PlatformAccount } from '../config/schema.js';
import type { SessionEvent } from '../store/types.js';
import type { GatewayDeps, SessionHost, SessionOptions, VinClaimResult } from './host.js';
import { Session } from './session.js';
import { bump, newMetrics, snapshot, type GatewayMetrics } from './metrics.js';
import { TokenBucket } from './limits.js';
import { Downlink, type DownlinkOptions, type DownlinkOutcome, type DownlinkRequest } from './downlink.js';

export interface GatewayInit extends Omit<GatewayDeps, 'logger'> {
  gateway?: Partial<GatewayConfig>;
  platforms?: PlatformAccount[];
  downlink?: { timeoutSec?: number; attempts?: number };
  logger?: GatewayDeps['logger'];
  /** Platform clock for replies (tests). */
  now?: () => Date;
  /** Called when a VIN comes online (login) or goes offline (its live session ended). */
  onPresence?: (vin: string, online: boolean, at: number) => void;
  /** Several gateway processes (cluster-worker.ts): the primary's cluster-wide VIN map. */
  claims?: VinClaims;
}

/** The VIN → session map shared by every gateway process, held by the primary (cluster.ts). */
export interface VinClaims {
  /** Claims `vin` for the session; refused (with the holder's session id) under duplicateLogin 'reject'. */
  claim(vin: string, sessionId: string, peer: string): Promise<VinClaimResult>;
  /** The session no longer holds `vin` (the primary ignores it when another session holds it). */
  release(vin: string, sessionId: string): void;
}

/** Short name of a close reason for the closedByReason counter. */
function reasonKind(reason: string): string {
  if (reason.startsWith('idle timeout')) return 'idle';
  if (reason.startsWith('no login')) return 'preLogin';
  if (reason.startsWith('transport error')) return 'transportError';
  if (reason.startsWith('GBT_ERR')) return 'framing';
  if (reason.includes('differs from the logged-in VIN') || reason.includes('not allowed'))
    return 'spoofedVin';
  if (reason.includes('not registered') || reason.includes('refused') || reason.includes('already online'))
    return 'loginRejected';
  const known: Record<string, string> = {
    replaced: 'replaced',
    'slow consumer': 'slowConsumer',
    'vehicle logout': 'logout',
    'platform logout': 'logout',
    'closed by peer': 'peer',
    'gateway shutting down': 'shutdown',
  };
  return known[reason] ?? 'other';
}

export class Gateway implements SessionHost {
  readonly deps: GatewayDeps;
  readonly options: SessionOptions;
  readonly counters: GatewayMetrics = newMetrics();
  readonly config: GatewayConfig;
  private readonly sessions = new Set<Session>();
  private readonly online = new Map<string, Session>();
  private readonly pendingEvents = new Set<Promise<void>>();
  private readonly bucket: TokenBucket;
  private readonly downlink: Downlink;
  private server: Server | undefined;
  /** Accepted sockets, including TLS sockets still in their handshake. */
  private sockets = 0;

  private readonly onPresence: GatewayInit['onPresence'];
  private readonly claims: VinClaims | undefined;
  readonly claimVin: SessionHost['claimVin'];

  constructor(init: GatewayInit) {
    this.onPresence = init.onPresence;
    const claims = init.claims;
    this.claims = claims;
    if (claims) {
      this.claimVin = async (vin, session) => {
        const r = await claims.claim(vin, session.id, session.peer);
        // Closed while the claim was in flight: it never reaches setOnline, so give the VIN back.
        if (r.ok && session.closed) claims.release(vin, session.id);
        return r;
      };
    }
    const defaults = defaultConfig();
    this.config = { ...defaults.gateway, ...init.gateway, tls: { ...init.gateway?.tls } };
    const c = this.config;
    const logger = init.logger ?? pino({ level: 'silent' });
    this.deps = {
      log: init.log,
      registry: init.registry,
      events: init.events,
      logger,
      onAppended: init.onAppended,
    };
    this.options = {
      idleTimeoutMs: c.idleTimeoutSec * 1000,
      ackRealtime: c.ackRealtime,
      duplicateLogin: c.duplicateLogin,
      registryMode: c.registryMode,
      preLoginMaxBytes: c.preLoginMaxBytes,
      preLoginMaxFrames: c.preLoginMaxFrames,
      maxWriteQueueBytes: c.maxWriteQueueBytes,
      lenient: parseQuirks(c.lenient),
      platforms: init.platforms ?? [],
      now: init.now ?? (() => new Date()),
    };
    // Burst = one second's worth of new connections.
    this.bucket = new TokenBucket(c.maxConnectionsPerSec, c.maxConnectionsPerSec);
    this.downlink = new Downlink({
      onlineSession: (vin) => this.onlineSession(vin),
      metrics: this.counters,
      logger,
      defaults: {
        timeoutMs: (init.downlink?.timeoutSec ?? defaults.downlink.timeoutSec) * 1000,
        attempts: init.downlink?.attempts ?? defaults.downlink.attempts,
      },
    });
  }

  /** Starts listening; resolves with the bound address (port 0 → an ephemeral port). */
  async listen(): Promise<{ host: string; port: number; tls: boolean }> {
    const c = this.config;
    const tls = c.tls.cert !== undefined && c.tls.key !== undefined;
    // allowHalfOpen: a terminal that sends its last frames and half-closes still gets the replies.
    const server: Server = tls
      ? createTlsServer({
          allowHalfOpen: true,
          cert: readFileSync(c.tls.cert as string),
          key: readFileSync(c.tls.key as string),
          // Mutual TLS: with a client CA, every client must present a certificate signed by it.
          ...(c.tls.ca ? { ca: readFileSync(c.tls.ca), requestCert: true, rejectUnauthorized: true } : {}),
        })
      : createTcpServer({ allowHalfOpen: true });
    server.on('connection', (socket: Socket) => this.admit(socket, !tls));
    if (tls) {
      server.on('secureConnection', (socket: TLSSocket) =>
        this.handleConnection(socket, `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`),
      );
      server.on('tlsClientError', (err: Error, socket: TLSSocket) => {
        bump(this.counters.closedByReason, 'tlsError');
        this.deps.logger.debug({ err: err.message, peer: socket.remoteAddress }, 'TLS handshake failed');
      });
    }
    server.on('error', (err) => this.deps.logger.error({ err }, 'gateway listener error'));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: c.host, port: c.port, backlog: 4096 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const a = server.address() as AddressInfo;
    this.deps.logger.info({ host: a.address, port: a.port, tls }, 'gateway listening');
    return { host: a.address, port: a.port, tls };
  }

  /** The bound port (after listen). */
  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  /**
   * Admission bounds, checked when TCP accepts a socket (before any TLS handshake):
   * - maxConnections: at most this many open sockets; beyond it the new socket is destroyed at
   *   once (existing sessions are never dropped to make room).
   * - maxConnectionsPerSec: token bucket; when empty, the new socket is destroyed at once.
   */
  private admit(socket: Socket, startSession: boolean): void {
    const m = this.counters;
    if (this.sockets >= this.config.maxConnections) {
      m.connectionsRefused.maxConnections++;
      socket.destroy();
      return;
    }
    if (!this.bucket.take()) {
      m.connectionsRefused.rateLimit++;
      socket.destroy();
      return;
    }
    this.sockets++;
    socket.once('close', () => this.sockets--);
    socket.on('error', () => undefined); // reported through the session; never crash the listener
    socket.setNoDelay(true);
    if (startSession)
      this.handleConnection(socket, `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`);
  }

  /** Starts a session on any duplex stream (a socket, or one end of stream.duplexPair() in tests). */
  handleConnection(transport: Duplex, peer: string): Session {
    const s = new Session(this, transport, peer);
    this.sessions.add(s);
    this.counters.connectionsOpen++;
    this.counters.connectionsTotal++;
    this.deps.logger.debug({ session: s.id, peer }, 'connection');
    return s;
  }

  onlineSession(vin: string): Session | undefined {
    return this.online.get(vin);
  }

  setOnline(vin: string, session: Session): Session | undefined {
    const previous = this.online.get(vin);
    this.online.set(vin, session);
    this.onPresence?.(vin, true, Date.now());
    return previous;
  }

  setOffline(vin: string, session: Session): void {
    if (this.online.get(vin) !== session) return;
    this.online.delete(vin);
    this.claims?.release(vin, session.id);
    this.onPresence?.(vin, false, Date.now());
  }

  /**
   * Several gateway processes: a login in another process (or a later one in this) took `vin`
   * over from session `sessionId` (spec §13 "Disconnect": the new connection replaces the old).
   * No-op when that session has already closed.
   */
  replaceSession(vin: string, sessionId: string, by: { sessionId: string; peer: string }): void {
    let target: Session | undefined = this.online.get(vin);
    if (target?.id !== sessionId) {
      // Not (yet) online here: the claim was granted but its login has not reached setOnline.
      target = undefined;
      for (const s of this.sessions) if (s.id === sessionId) target = s;
    }
    if (!target || target.closed) return;
    target.replacedBy(vin, by);
  }

  downlinkReply(session: Session, frame: Frame, raw: Uint8Array): Promise<boolean> {
    return this.downlink.onReply(session, frame, raw);
  }

  recordEvent(ev: SessionEvent): void {
    const p = this.deps.events
      .recordSessionEvent(ev)
      .catch((err: unknown) => this.deps.logger.error({ err, ev }, 'session event not recorded'));
    this.pendingEvents.add(p);
    void p.finally(() => this.pendingEvents.delete(p));
  }

  sessionClosed(session: Session, reason: string): void {
    if (!this.sessions.delete(session)) return;
    this.counters.connectionsOpen--;
    bump(this.counters.closedByReason, reasonKind(reason));
    if (session.vin !== undefined) this.setOffline(session.vin, session);
  }

  /** Sends a parameter query / setting / terminal control to an online terminal (downlink.ts). */
  sendCommand(vin: string, request: DownlinkRequest, options?: DownlinkOptions): Promise<DownlinkOutcome> {
    return this.downlink.send(vin, request, options);
  }

  /** VINs with a live vehicle session. */
  onlineVins(): string[] {
    return [...this.online.keys()];
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** A copy of every counter (plain object; the API renders it as Prometheus text). */
  metrics(): GatewayMetrics {
    return snapshot(this.counters);
  }

  /** Stops accepting, ends every session, and waits for session events to be stored. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    const sessions = [...this.sessions];
    for (const s of sessions) s.close('gateway shutting down');
    // Let appends already in flight finish before the caller closes the log.
    await Promise.allSettled(sessions.map((s) => s.settled()));
    await closed;
    await Promise.allSettled([...this.pendingEvents]);
  }
}
