// Runs the retention policy once at start and then every `everyMs` (default hourly). A failed run
// is logged and retried at the next period; the timer does not keep the process alive.
import type { FrameLog } from '../log/types.js';
import { runRetention, type RetentionPolicy, type RetentionResult, type RetentionStore } from './retention.js';

export interface RetentionSchedule {
  /** Runs now (tests, and `stop` waits for a run in progress). */
  runNow(): Promise<RetentionResult | undefined>;
  stop(): Promise<void>;
}

export function scheduleRetention(
  log: FrameLog,
  store: RetentionStore,
  policy: RetentionPolicy,
  options: { everyMs?: number; onResult?: (r: RetentionResult) => void; onError?: (err: unknown) => void } = {},
): RetentionSchedule {
  const keepsAll = policy.rawLogDays === 'forever' && policy.historyDays === 'forever' && policy.sessionEventsDays === 'forever';
  let running: Promise<RetentionResult | undefined> = Promise.resolve(undefined);
  const runNow = (): Promise<RetentionResult | undefined> => {
    if (keepsAll) return Promise.resolve(undefined);
    running = running.then(() =>
      runRetention(log, store, policy).then(
        (r) => {
          options.onResult?.(r);
          return r;
        },
        (err: unknown) => {
          options.onError?.(err);
          return undefined;
        },
      ),
    );
    return running;
  };
  const timer = keepsAll ? undefined : setInterval(() => void runNow(), options.everyMs ?? 3_600_000);
  timer?.unref();
  void runNow();
  return {
    runNow,
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
