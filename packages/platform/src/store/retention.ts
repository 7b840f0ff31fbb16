// Retention: how long each kind of data is kept. MIIT expects enterprise platforms to keep
// monitoring data for the vehicle's life cycle (platform-requirements.md), so 'forever' is a
// first-class value; shorter periods suit test rigs and city platforms with their own archive.
import type { FrameLog } from '../log/types.js';
import type { TelemetryStore } from './types.js';

export type RetentionDays = number | 'forever';

export interface RetentionPolicy {
  /** Raw frames in the frame log (the audit trail and the consumers' replay window). */
  rawLogDays: RetentionDays;
  /** Decoded history rows, by collection time. */
  historyDays: RetentionDays;
  /** Login/logout/disconnect events. */
  sessionEventsDays: RetentionDays;
}

export const DEFAULT_RETENTION: RetentionPolicy = { rawLogDays: 'forever', historyDays: 'forever', sessionEventsDays: 'forever' };

export interface RetentionResult {
  rawLogDeleted: number;
  historyDeleted: number;
  sessionEventsDeleted: number;
}

/** What runRetention needs from the store (SqliteStore provides it). */
export interface RetentionStore {
  pruneHistory: TelemetryStore['pruneHistory'];
  pruneSessionEvents(beforeMs: number): Promise<number>;
}

const DAY_MS = 86_400_000;

function cutoff(days: RetentionDays, now: number): number | undefined {
  if (days === 'forever') return undefined;
  if (!Number.isFinite(days) || days < 0) throw new RangeError(`retention days must be ≥ 0 or 'forever', got ${days}`);
  return now - days * DAY_MS;
}

/**
 * Deletes what the policy no longer keeps. The raw log is pruned by receive time; a consumer whose
 * cursor is older than the cut loses those frames, so keep rawLogDays above the longest outage a
 * forwarder must bridge (the reissue window is 7 days in 2025, platform-requirements.md).
 */
export async function runRetention(log: FrameLog, store: RetentionStore, policy: RetentionPolicy, now: number = Date.now()): Promise<RetentionResult> {
  const rawCut = cutoff(policy.rawLogDays, now);
  const historyCut = cutoff(policy.historyDays, now);
  const eventsCut = cutoff(policy.sessionEventsDays, now);
  return {
    rawLogDeleted: rawCut === undefined ? 0 : await log.prune(rawCut),
    historyDeleted: historyCut === undefined ? 0 : await store.pruneHistory(historyCut),
    sessionEventsDeleted: eventsCut === undefined ? 0 : await store.pruneSessionEvents(eventsCut),
  };
}
