// Configuration layers, lowest first: defaults < file (JSON or YAML) < environment < CLI flags
// (architecture.md "Rules of the house"). The merged result is validated once, by schema.ts.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, defaultConfig, validateConfig, type NevhubConfig } from './schema.js';

type Obj = Record<string, unknown>;
/** A partial configuration (deep): what a file, the environment or flags contribute. */
export type ConfigLayer = Obj;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge: objects merge key by key, everything else (arrays included) replaces. */
export function mergeLayers(base: Obj, layer: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(layer)) {
    if (v === undefined) continue;
    out[k] = isObj(v) && isObj(out[k]) ? mergeLayers(out[k], v) : v;
  }
  return out;
}

export function readConfigFile(path: string): ConfigLayer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('--config', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(
      '--config',
      `${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isObj(parsed)) throw new ConfigError('--config', `${path} must hold an object at the top level`);
  return parsed;
}

type EnvKind = 'string' | 'int' | 'number' | 'bool' | 'list' | 'days';
/** Environment variables and the dotted config path each one sets. */
export const ENV_VARS: Readonly<Record<string, readonly [string, EnvKind]>> = {
  NEVHUB_GATEWAY_HOST: ['gateway.host', 'string'],
  NEVHUB_GATEWAY_PORT: ['gateway.port', 'int'],
  NEVHUB_GATEWAY_TLS_CERT: ['gateway.tls.cert', 'string'],
  NEVHUB_GATEWAY_TLS_KEY: ['gateway.tls.key', 'string'],
  NEVHUB_GATEWAY_TLS_CA: ['gateway.tls.ca', 'string'],
  NEVHUB_GATEWAY_IDLE_TIMEOUT_SEC: ['gateway.idleTimeoutSec', 'number'],
  NEVHUB_GATEWAY_ACK_REALTIME: ['gateway.ackRealtime', 'bool'],
  NEVHUB_GATEWAY_DUPLICATE_LOGIN: ['gateway.duplicateLogin', 'string'],
  NEVHUB_GATEWAY_REGISTRY_MODE: ['gateway.registryMode', 'string'],
  NEVHUB_GATEWAY_MAX_CONNECTIONS: ['gateway.maxConnections', 'int'],
  NEVHUB_GATEWAY_MAX_CONNECTIONS_PER_SEC: ['gateway.maxConnectionsPerSec', 'int'],
  NEVHUB_GATEWAY_PRE_LOGIN_MAX_BYTES: ['gateway.preLoginMaxBytes', 'int'],
  NEVHUB_GATEWAY_LENIENT: ['gateway.lenient', 'list'],
  NEVHUB_GATEWAY_PROCESSES: ['gateway.processes', 'int'],
  NEVHUB_DATA_DIR: ['dataDir', 'string'],
  NEVHUB_HTTP_HOST: ['http.host', 'string'],
  NEVHUB_HTTP_PORT: ['http.port', 'int'],
  NEVHUB_RETENTION_RAW_LOG_DAYS: ['retention.rawLogDays', 'days'],
  NEVHUB_RETENTION_HISTORY_DAYS: ['retention.historyDays', 'days'],
  NEVHUB_RETENTION_SESSION_EVENTS_DAYS: ['retention.sessionEventsDays', 'days'],
  NEVHUB_DOWNLINK_TIMEOUT_SEC: ['downlink.timeoutSec', 'number'],
  NEVHUB_DOWNLINK_ATTEMPTS: ['downlink.attempts', 'int'],
  NEVHUB_LOG_LEVEL: ['log.level', 'string'],
  NEVHUB_LOG_DURABILITY: ['log.durability', 'string'],
};

function convert(name: string, raw: string, kind: EnvKind, field: string): unknown {
  const bad = (what: string): never => {
    throw new ConfigError(field, `environment ${name}=${JSON.stringify(raw)} is not ${what}`);
  };
  switch (kind) {
    case 'string':
      return raw;
    case 'int':
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : bad('an integer');
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : bad('a number');
    case 'bool':
      return ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())
        ? true
        : ['0', 'false', 'no', 'off'].includes(raw.toLowerCase())
          ? false
          : bad('a boolean');
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    case 'days':
      return raw === 'forever'
        ? raw
        : Number.isFinite(Number(raw))
          ? Number(raw)
          : bad('a number of days or "forever"');
  }
}

/** Sets `value` at a dotted path inside a layer object. */
export function setPath(layer: Obj, path: string, value: unknown): Obj {
  const keys = path.split('.');
  let o = layer;
  for (const k of keys.slice(0, -1)) {
    if (!isObj(o[k])) o[k] = {};
    o = o[k] as Obj;
  }
  o[keys[keys.length - 1]] = value;
  return layer;
}

export function envLayer(env: NodeJS.ProcessEnv): ConfigLayer {
  const layer: Obj = {};
  for (const [name, [path, kind]] of Object.entries(ENV_VARS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    setPath(layer, path, convert(name, raw, kind, path));
  }
  return layer;
}

export interface LoadOptions {
  /** Configuration file (JSON by extension .json, YAML otherwise). */
  file?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** The highest layer: values from command-line flags (a partial config). */
  flags?: ConfigLayer;
}

export function loadConfig(options: LoadOptions = {}): NevhubConfig {
  let merged: Obj = defaultConfig() as unknown as Obj;
  if (options.file !== undefined) merged = mergeLayers(merged, readConfigFile(options.file));
  merged = mergeLayers(merged, envLayer(options.env ?? process.env));
  if (options.flags) merged = mergeLayers(merged, options.flags);
  return validateConfig(merged);
}

const SECRET_KEYS = /^(password|passwd|secret|token|apiKey|privateKey)$/i;

/** A copy with every secret (passwords, tokens) replaced by "***", for `nevhub config` and logs. */
export function maskSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => maskSecrets(v)) as T;
  if (!isObj(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEYS.test(k) && v !== undefined && v !== '' ? '***' : maskSecrets(v);
  return out as T;
}
