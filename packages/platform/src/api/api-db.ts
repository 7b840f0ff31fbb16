// The API's own SQLite file, `<dataDir>/api.db` (WAL): API tokens, lower-platform accounts and the
// downlink command journal. Kept apart from the telemetry store so the API can be tested, backed up
// and reset on its own, and so `ensureAdminToken` works before the store exists.
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TokenStore } from './tokens.js';
import { PlatformAccountStore, type PlatformAccount } from './platform-accounts.js';
import type { PlatformAccount as GatewayPlatformAccount } from '../config/schema.js';
import { CommandJournal } from './command-journal.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS api_tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE TABLE IF NOT EXISTS platform_accounts (
  username TEXT PRIMARY KEY,
  password TEXT NOT NULL,
  allowed_vins TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS downlink_commands (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  vin TEXT NOT NULL,
  command TEXT NOT NULL,
  request TEXT NOT NULL,
  status TEXT NOT NULL,
  reply TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  requested_by TEXT,
  created_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS downlink_commands_vin ON downlink_commands (vin, id);
`;

export const API_DB_FILE = 'api.db';

export interface ApiDb {
  readonly db: Database.Database;
  readonly tokens: TokenStore;
  readonly platforms: PlatformAccountStore;
  readonly commands: CommandJournal;
  /** True when a trivial query succeeds (readiness). */
  ping(): boolean;
  close(): void;
}

/** Opens (creating when needed) `<dataDir>/api.db`; `':memory:'` as dataDir gives a private db. */
export function openApiDb(dataDir: string): ApiDb {
  let db: Database.Database;
  if (dataDir === ':memory:') db = new Database(':memory:');
  else {
    mkdirSync(dataDir, { recursive: true });
    const file = join(dataDir, API_DB_FILE);
    db = new Database(file);
    // Token hashes and lower-platform passwords: readable by the service user only.
    chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
  }
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return {
    db,
    tokens: new TokenStore(db),
    platforms: new PlatformAccountStore(db),
    commands: new CommandJournal(db),
    ping: () => {
      try {
        return db.prepare('SELECT 1 AS one').get() !== undefined;
      } catch {
        return false;
      }
    },
    close: () => db.close(),
  };
}

/**
 * On first start, creates an admin token and returns it (the caller prints it once); only its
 * sha256 is stored. Returns undefined when an admin token already exists.
 */
export function ensureAdminToken(dataDir: string): string | undefined {
  const api = openApiDb(dataDir);
  try {
    return api.tokens.ensureAdmin();
  } finally {
    api.close();
  }
}

/**
 * For the gateway: checks a lower platform's login (0x05, spec §7) against the accounts saved
 * through the API in `<dataDir>/api.db`. Opens the file per call: platform logins are rare.
 */
export function verifyPlatformLogin(dataDir: string, username: string, password: string): PlatformAccount | undefined {
  const api = openApiDb(dataDir);
  try {
    return api.platforms.verify(username, password);
  } finally {
    api.close();
  }
}

/** For the gateway's `platforms` option at startup: the accounts saved through the API. */
export function platformAccountsForGateway(dataDir: string): GatewayPlatformAccount[] {
  const api = openApiDb(dataDir);
  try {
    return [...api.platforms.forGateway()];
  } finally {
    api.close();
  }
}
