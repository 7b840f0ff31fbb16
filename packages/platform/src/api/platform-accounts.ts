// Lower-platform accounts: the username/password a lower platform sends in its platform login
// (0x05, spec §6.3) and the VINs it may report. The password is write-only in the API (masked in
// every response) but kept as given: the gateway compares it with the 20-byte password field of
// the login frame, which travels in clear on the wire anyway (§6.3). api.db is created mode 0600.
import type Database from 'better-sqlite3';
import type { PlatformAccount as GatewayPlatformAccount } from '../config/schema.js';

export interface PlatformAccount {
  username: string;
  /** VINs this platform may send; an empty list allows none. "*" allows every VIN. */
  allowedVins: string[];
  createdAt: number;
  updatedAt: number;
}

interface Row {
  username: string;
  password: string;
  allowed_vins: string;
  created_at: number;
  updated_at: number;
}

function toAccount(r: Row): PlatformAccount {
  return { username: r.username, allowedVins: JSON.parse(r.allowed_vins) as string[], createdAt: r.created_at, updatedAt: r.updated_at };
}

function toGateway(r: Row): GatewayPlatformAccount {
  const vins = JSON.parse(r.allowed_vins) as string[];
  return { username: r.username, password: r.password, allowedVins: vins.includes('*') ? '*' : vins };
}

export class PlatformAccountStore {
  /** One array, updated in place, so a gateway holding it sees API changes at the next login. */
  private readonly live: GatewayPlatformAccount[] = [];
  private configured: readonly GatewayPlatformAccount[] = [];

  constructor(private readonly db: Database.Database) {
    this.refreshLive();
  }

  list(): PlatformAccount[] {
    return this.rows().map(toAccount);
  }

  get(username: string): PlatformAccount | undefined {
    const r = this.db.prepare<[string], Row>('SELECT * FROM platform_accounts WHERE username = ?').get(username);
    return r && toAccount(r);
  }

  /** Creates or replaces an account. */
  put(a: { username: string; password: string; allowedVins: string[] }, now = Date.now()): PlatformAccount {
    this.db
      .prepare(
        `INSERT INTO platform_accounts (username, password, allowed_vins, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (username) DO UPDATE SET password = excluded.password, allowed_vins = excluded.allowed_vins, updated_at = excluded.updated_at`,
      )
      .run(a.username, a.password, JSON.stringify(a.allowedVins), now, now);
    this.refreshLive();
    return this.get(a.username)!;
  }

  delete(username: string): boolean {
    const deleted = this.db.prepare('DELETE FROM platform_accounts WHERE username = ?').run(username).changes > 0;
    this.refreshLive();
    return deleted;
  }

  /** Checks a platform login; returns the account when username and password match. */
  verify(username: string, password: string): PlatformAccount | undefined {
    const r = this.db.prepare<[string], Row>('SELECT * FROM platform_accounts WHERE username = ?').get(username);
    return r && r.password === password ? toAccount(r) : undefined;
  }

  /**
   * The accounts in the gateway's shape (config/schema.ts PlatformAccount), as a live array:
   * pass it as `new Gateway({ platforms: apiDb.platforms.forGateway() })`.
   */
  forGateway(configured: readonly GatewayPlatformAccount[] = []): GatewayPlatformAccount[] {
    this.configured = configured;
    this.refreshLive();
    return this.live;
  }

  private rows(): Row[] {
    return this.db.prepare<[], Row>('SELECT * FROM platform_accounts ORDER BY username').all();
  }

  private refreshLive(): void {
    // Accounts from the configuration file come first; accounts saved through the API follow.
    this.live.splice(0, this.live.length, ...this.configured, ...this.rows().map(toGateway));
  }
}

/** True when the account may report `vin`. */
export function platformAllowsVin(account: PlatformAccount, vin: string): boolean {
  return account.allowedVins.includes('*') || account.allowedVins.includes(vin);
}
