// The frame log's single writer (runs inside the writer worker, sqlite-writer.worker.ts): assigns
// seqs and commits a group of requests in one transaction. Synchronous by design: better-sqlite3
// blocks its thread for the commit and its fsync, which is why this lives off the main thread.
import type Database from 'better-sqlite3';
import { highWaterSeq } from './sqlite-schema.js';
import type { PackedEntries } from './sqlite-protocol.js';

export type TxRequest =
  | { t: 'append'; id: number; entries: PackedEntries }
  | { t: 'cursor'; id: number; name: string; seq: number; at: number };

export class LogWriter {
  /** Next seq to assign; seqs are assigned here (single writer) and never reused, even after prune. */
  private nextSeq: number;
  private readonly insert: Database.Statement;
  private readonly setCursorStmt: Database.Statement;
  private readonly pruneStmt: Database.Statement;
  private readonly tx: Database.Transaction<(requests: readonly TxRequest[]) => { id: number; value: number }[]>;

  constructor(private readonly db: Database.Database) {
    this.nextSeq = highWaterSeq(db) + 1;
    this.insert = db.prepare(
      'INSERT INTO frames (seq, vin, version, command_id, collected_at, received_at, session_id, peer, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.setCursorStmt = db.prepare(
      'INSERT INTO cursors (name, seq, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at',
    );
    this.pruneStmt = db.prepare('DELETE FROM frames WHERE seq IN (SELECT seq FROM frames WHERE received_at < ? ORDER BY seq LIMIT ?)');
    this.tx = db.transaction((requests: readonly TxRequest[]) => {
      const out: { id: number; value: number }[] = [];
      let seq = this.nextSeq;
      for (const r of requests) {
        if (r.t === 'cursor') {
          this.setCursorStmt.run(r.name, r.seq, r.at);
          out.push({ id: r.id, value: 0 });
          continue;
        }
        out.push({ id: r.id, value: seq });
        const p = r.entries;
        const buf = Buffer.from(p.raw.buffer, p.raw.byteOffset, p.raw.byteLength);
        let start = 0;
        for (let i = 0; i < p.count; i++) {
          const end = p.ends[i];
          this.insert.run(seq++, p.vin[i], p.version[i], p.commandId[i], p.collectedAt[i], p.receivedAt[i], p.sessionId[i], p.peer[i], buf.subarray(start, end));
          start = end;
        }
      }
      return out;
    });
  }

  /**
   * Commits the requests in one transaction and returns each one's value (first seq of an append).
   * On error the transaction rolled back: nothing of it is in the log and no seq is consumed.
   */
  commit(requests: readonly TxRequest[]): { id: number; value: number }[] {
    // IMMEDIATE: take the write lock at BEGIN (waiting per busy_timeout for a consumer's cursor write).
    const out = this.tx.immediate(requests);
    for (const r of requests) if (r.t === 'append') this.nextSeq += r.entries.count;
    return out;
  }

  /** Deletes at most `limit` entries received before `beforeMs`; returns how many. */
  prune(beforeMs: number, limit: number): number {
    return this.pruneStmt.run(beforeMs, limit).changes;
  }
}
