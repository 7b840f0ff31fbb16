// API tokens: random secrets handed out once; only their sha256 is stored, so a leaked database
// does not leak working tokens. Roles nest: viewer ⊂ operator ⊂ admin.
import type Database from 'better-sqlite3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** True when `have` includes the rights of `need`. */
export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

export function isRole(x: unknown): x is Role {
  return typeof x === 'string' && (ROLES as readonly string[]).includes(x);
}

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: number;
  lastUsedAt: number | null;
}

interface TokenRow {
  id: string;
  name: string;
  role: string;
  created_at: number;
  last_used_at: number | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toInfo(r: TokenRow): TokenInfo {
  return { id: r.id, name: r.name, role: isRole(r.role) ? r.role : 'viewer', createdAt: r.created_at, lastUsedAt: r.last_used_at };
}

/** last_used_at is written at most this often per token, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 60_000;

export class TokenStore {
  private readonly byHash: Database.Statement<[string], TokenRow>;
  private readonly touchStmt: Database.Statement<[number, string]>;
  private readonly touched = new Map<string, number>();

  constructor(private readonly db: Database.Database) {
    this.byHash = db.prepare('SELECT id, name, role, created_at, last_used_at FROM api_tokens WHERE hash = ?');
    this.touchStmt = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  }

  /** Creates a token; the secret is returned here and never again. */
  create(name: string, role: Role, now = Date.now()): { token: string; info: TokenInfo } {
    const token = `nvh_${randomBytes(24).toString('base64url')}`;
    const id = randomUUID();
    this.db
      .prepare('INSERT INTO api_tokens (id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, name, role, hashToken(token), now);
    return { token, info: { id, name, role, createdAt: now, lastUsedAt: null } };
  }

  /** The token's identity, or undefined when unknown. */
  verify(token: string, now = Date.now()): TokenInfo | undefined {
    const row = this.byHash.get(hashToken(token));
    if (!row) return undefined;
    const last = this.touched.get(row.id) ?? 0;
    if (now - last > TOUCH_EVERY_MS) {
      this.touched.set(row.id, now);
      this.touchStmt.run(now, row.id);
    }
    return toInfo(row);
  }

  list(): TokenInfo[] {
    return this.db.prepare<[], TokenRow>('SELECT id, name, role, created_at, last_used_at FROM api_tokens ORDER BY created_at').all().map(toInfo);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM api_tokens WHERE id = ?').run(id).changes > 0;
  }

  /** Creates the first admin token when none exists; returns its secret, else undefined. */
  ensureAdmin(): string | undefined {
    const any = this.db.prepare("SELECT 1 FROM api_tokens WHERE role = 'admin' LIMIT 1").get();
    if (any) return undefined;
    return this.create('initial admin', 'admin').token;
  }
}
