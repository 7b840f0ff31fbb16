// The one configuration schema of nevhub: types, defaults and validation. Layers are merged in
// load.ts (defaults < file < environment < flags); this file only knows the shape.
import { ALL_QUIRKS } from '@nevhub/gbt32960';

export type DuplicateLoginPolicy = 'replace' | 'reject';
export type RegistryMode = 'auto' | 'allowList';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface PlatformAccount {
  /** Lower-platform login name (platform login 0x05, 12-byte STRING, spec §6.3). */
  username: string;
  password: string;
  /** VINs this lower platform may send for, or '*' for any. */
  allowedVins: string[] | '*';
}

export interface TlsConfig {
  /** PEM files. With `ca`, clients must present a certificate signed by it (mutual TLS). */
  cert?: string;
  key?: string;
  ca?: string;
}

export interface GatewayConfig {
  host: string;
  port: number;
  tls: TlsConfig;
  /** No frame for this long → the session is closed (spec §13 "no heartbeat within a set time"). */
  idleTimeoutSec: number;
  /** Acknowledge every correct realtime/reissue frame (spec §4: by default correct 0x02 gets no reply). */
  ackRealtime: boolean;
  duplicateLogin: DuplicateLoginPolicy;
  registryMode: RegistryMode;
  maxConnections: number;
  maxConnectionsPerSec: number;
  preLoginMaxBytes: number;
  preLoginMaxFrames: number;
  /** A client that leaves more than this many reply bytes unread is closed ('slow consumer'). */
  maxWriteQueueBytes: number;
  /** Codec quirks accepted on this gateway (names of QUIRKS in @nevhub/gbt32960, or 'all'). */
  lenient: string[];
  /**
   * Gateway processes. 1 (default): the gateway runs in the platform's process. N > 1: N worker
   * processes share the port (node:cluster, round robin), each holding only its own sockets; the
   * primary keeps the frame log, store and API (gateway/cluster.ts). maxConnections and
   * maxConnectionsPerSec stay totals: each worker enforces its 1/N share.
   */
  processes: number;
}

export interface NevhubConfig {
  gateway: GatewayConfig;
  platforms: PlatformAccount[];
  dataDir: string;
  http: { host: string; port: number };
  retention: {
    /** Days of raw frames kept in the log, or 'forever' (default: frames are kept for the vehicle's life). */
    rawLogDays: number | 'forever';
    historyDays: number | 'forever';
    sessionEventsDays: number | 'forever';
  };
  /** Platform → terminal commands (spec §13: re-send when no reply within param 0x0B, stop after 3). */
  downlink: { timeoutSec: number; attempts: number };
  log: {
    level: LogLevel;
    /**
     * When an appended frame counts as durable (the gateway answers a terminal only after that):
     * 'fsync' (default) = the frame log's segment file is fdatasync'ed at every group commit
     * (log/sqlite-files.ts), so acknowledged frames survive a power cut; 'os' = the commit is
     * handed to the OS, which survives a crash of nevhub but may lose the last commits on a power
     * cut or kernel panic (higher throughput on slow disks).
     */
    durability: LogDurability;
  };
}

export type LogDurability = 'fsync' | 'os';

export function defaultConfig(): NevhubConfig {
  return {
    gateway: {
      host: '0.0.0.0',
      port: 32960,
      tls: {},
      idleTimeoutSec: 180,
      ackRealtime: false,
      duplicateLogin: 'replace',
      registryMode: 'auto',
      maxConnections: 200_000,
      maxConnectionsPerSec: 2_000,
      preLoginMaxBytes: 4096,
      preLoginMaxFrames: 8,
      maxWriteQueueBytes: 1 << 20,
      lenient: [],
      processes: 1,
    },
    platforms: [],
    dataDir: './data',
    http: { host: '0.0.0.0', port: 8080 },
    retention: { rawLogDays: 'forever', historyDays: 'forever', sessionEventsDays: 365 },
    downlink: { timeoutSec: 10, attempts: 3 },
    log: { level: 'info', durability: 'fsync' },
  };
}

/** A configuration value that does not fit the schema; `field` is the dotted path. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`config ${field}: ${message}`, options);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(field, `must be an integer ${min}…${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}
function num(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new ConfigError(field, `must be a number ${min}…${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}
function str(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new ConfigError(field, `must be a string, got ${JSON.stringify(v)}`);
  return v;
}
function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(field, `must be true or false, got ${JSON.stringify(v)}`);
  return v;
}
function oneOf<T extends string>(v: unknown, field: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !allowed.includes(v as T)) {
    throw new ConfigError(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}
function days(v: unknown, field: string): number | 'forever' {
  return v === 'forever' ? 'forever' : num(v, field, 0, 100_000);
}
function optStr(v: unknown, field: string): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : str(v, field);
}
function rejectUnknown(o: Obj, known: readonly string[], path: string): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k))
      throw new ConfigError(path ? `${path}.${k}` : k, `unknown key (known: ${known.join(', ')})`);
  }
}
function section(v: unknown, field: string): Obj {
  if (!isObj(v)) throw new ConfigError(field, 'must be an object');
  return v;
}

/** Checks a fully merged configuration; throws ConfigError naming the first bad field. */
export function validateConfig(input: unknown): NevhubConfig {
  const c = section(input, '(root)');
  rejectUnknown(c, ['gateway', 'platforms', 'dataDir', 'http', 'retention', 'downlink', 'log'], '');
  const g = section(c.gateway, 'gateway');
  rejectUnknown(
    g,
    [
      'host',
      'port',
      'tls',
      'idleTimeoutSec',
      'ackRealtime',
      'duplicateLogin',
      'registryMode',
      'maxConnections',
      'maxConnectionsPerSec',
      'preLoginMaxBytes',
      'preLoginMaxFrames',
      'maxWriteQueueBytes',
      'lenient',
      'processes',
    ],
    'gateway',
  );
  const tls = section(g.tls ?? {}, 'gateway.tls');
  rejectUnknown(tls, ['cert', 'key', 'ca'], 'gateway.tls');
  const tlsOut: TlsConfig = {};
  const cert = optStr(tls.cert, 'gateway.tls.cert');
  const key = optStr(tls.key, 'gateway.tls.key');
  const ca = optStr(tls.ca, 'gateway.tls.ca');
  if ((cert === undefined) !== (key === undefined))
    throw new ConfigError('gateway.tls', 'cert and key must be given together');
  if (ca !== undefined && cert === undefined)
    throw new ConfigError('gateway.tls.ca', 'needs gateway.tls.cert and gateway.tls.key');
  if (cert !== undefined) tlsOut.cert = cert;
  if (key !== undefined) tlsOut.key = key;
  if (ca !== undefined) tlsOut.ca = ca;
  if (!Array.isArray(g.lenient)) throw new ConfigError('gateway.lenient', 'must be a list of quirk names');
  const gateway: GatewayConfig = {
    host: str(g.host, 'gateway.host'),
    port: int(g.port, 'gateway.port', 0, 65535),
    tls: tlsOut,
    idleTimeoutSec: num(g.idleTimeoutSec, 'gateway.idleTimeoutSec', 0.01, 86_400),
    ackRealtime: bool(g.ackRealtime, 'gateway.ackRealtime'),
    duplicateLogin: oneOf(g.duplicateLogin, 'gateway.duplicateLogin', ['replace', 'reject'] as const),
    registryMode: oneOf(g.registryMode, 'gateway.registryMode', ['auto', 'allowList'] as const),
    maxConnections: int(g.maxConnections, 'gateway.maxConnections', 1, 10_000_000),
    maxConnectionsPerSec: int(g.maxConnectionsPerSec, 'gateway.maxConnectionsPerSec', 1, 10_000_000),
    preLoginMaxBytes: int(g.preLoginMaxBytes, 'gateway.preLoginMaxBytes', 25, 1 << 24),
    preLoginMaxFrames: int(g.preLoginMaxFrames, 'gateway.preLoginMaxFrames', 1, 1_000_000),
    maxWriteQueueBytes: int(g.maxWriteQueueBytes, 'gateway.maxWriteQueueBytes', 64, 1 << 30),
    lenient: g.lenient.map((q, i) => {
      const name = str(q, `gateway.lenient[${i}]`);
      if (name !== 'all' && !(ALL_QUIRKS as string[]).includes(name))
        throw new ConfigError(
          `gateway.lenient[${i}]`,
          `unknown quirk "${name}" (known: ${ALL_QUIRKS.join(', ')}, all)`,
        );
      return name;
    }),
    processes: int(g.processes ?? 1, 'gateway.processes', 1, 256),
  };
  if (!Array.isArray(c.platforms))
    throw new ConfigError('platforms', 'must be a list of {username, password, allowedVins}');
  const platforms = c.platforms.map((p, i): PlatformAccount => {
    const f = `platforms[${i}]`;
    const o = section(p, f);
    rejectUnknown(o, ['username', 'password', 'allowedVins'], f);
    const username = str(o.username, `${f}.username`);
    if (username.length === 0 || Buffer.byteLength(username) > 12)
      throw new ConfigError(`${f}.username`, 'must be 1…12 bytes (spec §6.3)');
    const password = str(o.password, `${f}.password`);
    if (Buffer.byteLength(password) > 20)
      throw new ConfigError(`${f}.password`, 'must be at most 20 bytes (spec §6.3)');
    let allowedVins: string[] | '*';
    if (o.allowedVins === '*' || o.allowedVins === undefined) allowedVins = '*';
    else if (Array.isArray(o.allowedVins))
      allowedVins = o.allowedVins.map((v, j) => str(v, `${f}.allowedVins[${j}]`));
    else throw new ConfigError(`${f}.allowedVins`, 'must be a list of VINs or "*"');
    return { username, password, allowedVins };
  });
  const http = section(c.http, 'http');
  rejectUnknown(http, ['host', 'port'], 'http');
  const r = section(c.retention, 'retention');
  rejectUnknown(r, ['rawLogDays', 'historyDays', 'sessionEventsDays'], 'retention');
  const d = section(c.downlink, 'downlink');
  rejectUnknown(d, ['timeoutSec', 'attempts'], 'downlink');
  const l = section(c.log, 'log');
  rejectUnknown(l, ['level', 'durability'], 'log');
  return {
    gateway,
    platforms,
    dataDir: str(c.dataDir, 'dataDir'),
    http: { host: str(http.host, 'http.host'), port: int(http.port, 'http.port', 0, 65535) },
    retention: {
      rawLogDays: days(r.rawLogDays, 'retention.rawLogDays'),
      historyDays: days(r.historyDays, 'retention.historyDays'),
      sessionEventsDays: days(r.sessionEventsDays, 'retention.sessionEventsDays'),
    },
    // 1…600 s: the range of parameter 0x0B "platform response timeout" (spec §11.3).
    downlink: {
      timeoutSec: num(d.timeoutSec, 'downlink.timeoutSec', 0.01, 600),
      attempts: int(d.attempts, 'downlink.attempts', 1, 10),
    },
    log: {
      level: oneOf(l.level, 'log.level', LOG_LEVELS) as LogLevel,
      durability: oneOf(l.durability ?? 'fsync', 'log.durability', ['fsync', 'os'] as const),
    },
  };
}
