// The downlink command journal: every command an operator sends (0x80/0x81/0x82, spec §11) with its
// outcome, so "what did we send that truck and what did it say" has an answer after a restart.
import type Database from 'better-sqlite3';

export interface CommandRecord {
  id: number;
  vin: string;
  command: string;
  request: unknown;
  /** pending | a gateway outcome (e.g. success, error, timeout, offline). */
  status: string;
  reply: unknown;
  attempts: number;
  requestedBy: string | null;
  createdAt: number;
  finishedAt: number | null;
}

interface Row {
  id: number;
  vin: string;
  command: string;
  request: string;
  status: string;
  reply: string | null;
  attempts: number;
  requested_by: string | null;
  created_at: number;
  finished_at: number | null;
}

function toRecord(r: Row): CommandRecord {
  return {
    id: r.id,
    vin: r.vin,
    command: r.command,
    request: JSON.parse(r.request) as unknown,
    status: r.status,
    reply: r.reply === null ? null : (JSON.parse(r.reply) as unknown),
    attempts: r.attempts,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
  };
}

export class CommandJournal {
  constructor(private readonly db: Database.Database) {}

  start(vin: string, command: string, request: unknown, requestedBy: string | null, now = Date.now()): number {
    const r = this.db
      .prepare("INSERT INTO downlink_commands (vin, command, request, status, requested_by, created_at) VALUES (?, ?, ?, 'pending', ?, ?)")
      .run(vin, command, JSON.stringify(request), requestedBy, now);
    return Number(r.lastInsertRowid);
  }

  finish(id: number, status: string, reply: unknown, attempts: number, now = Date.now()): void {
    this.db
      .prepare('UPDATE downlink_commands SET status = ?, reply = ?, attempts = ?, finished_at = ? WHERE id = ?')
      .run(status, reply === undefined ? null : JSON.stringify(reply), attempts, now, id);
  }

  get(id: number): CommandRecord | undefined {
    const r = this.db.prepare<[number], Row>('SELECT * FROM downlink_commands WHERE id = ?').get(id);
    return r && toRecord(r);
  }

  /** Newest first. */
  recent(vin: string | undefined, limit: number): CommandRecord[] {
    const rows = vin
      ? this.db.prepare<[string, number], Row>('SELECT * FROM downlink_commands WHERE vin = ? ORDER BY id DESC LIMIT ?').all(vin, limit)
      : this.db.prepare<[number], Row>('SELECT * FROM downlink_commands ORDER BY id DESC LIMIT ?').all(limit);
    return rows.map(toRecord);
  }
}
