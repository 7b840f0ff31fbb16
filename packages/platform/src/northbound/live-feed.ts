// Feeds the live hub from the frame log: polls entries after the log's end at attach time (cursor
// "live" is in memory only — a live view wants now, not a replay of the backlog after a restart),
// decodes each frame and turns it into latest-state fields and events.
import { decodeFrame } from '@nevhub/gbt32960';
import type { FrameLog } from '../log/types.js';
import type { LatestState } from '../store/types.js';
import type { LiveHub } from './live-hub.js';
import { latestFieldsFromFrame } from './latest-fields.js';

export interface LiveFeedOptions {
  /** Poll period when the log has nothing new, ms (default 100). */
  pollMs?: number;
  /** Entries read per batch (default 5000). */
  batch?: number;
  /** Start after this seq instead of the log's end. */
  afterSeq?: number;
  /** Seeds the hub before following the log (e.g. store.latest()). */
  seed?: readonly LatestState[];
  onError?: (err: unknown) => void;
}

export interface LiveFeed {
  /** Last seq handed to the hub. */
  readonly seq: number;
  /** Reads what is there now, without waiting for the poll timer (tests, benchmarks). */
  pump(): Promise<number>;
  stop(): Promise<void>;
}

export function attachLiveFeed(log: FrameLog, hub: LiveHub, options: LiveFeedOptions = {}): LiveFeed {
  const pollMs = options.pollMs ?? 100;
  const batch = options.batch ?? 5000;
  let seq = options.afterSeq ?? -1;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  for (const s of options.seed ?? []) hub.update(s);

  async function readOnce(): Promise<number> {
    if (seq < 0) seq = await log.lastSeq();
    let total = 0;
    for (;;) {
      const entries = await log.read(seq, batch);
      for (const e of entries) {
        const frame = decodeFrame(e.raw);
        if (!frame.ok) continue;
        switch (frame.command) {
          case 'realtime': {
            // Reissue (0x03) frames are stored data sent late (spec §3, §13): they go to history, not the map.
            const fields = latestFieldsFromFrame(frame, e.receivedAt);
            const prev = hub.state(e.vin);
            hub.update({ ...fields, vin: e.vin, online: true });
            const level = fields.alarmLevel;
            if (level !== undefined && level > 0 && level !== prev?.alarmLevel) {
              hub.event({ kind: 'alarm', vin: e.vin, at: fields.at ?? e.receivedAt, level, flags: fields.alarmFlags ?? [] });
            }
            break;
          }
          case 'vehicleLogin':
            hub.update({ vin: e.vin, online: true, receivedAt: e.receivedAt });
            hub.event({ kind: 'login', vin: e.vin, at: e.receivedAt });
            break;
          case 'vehicleLogout':
            hub.update({ vin: e.vin, online: false, receivedAt: e.receivedAt });
            hub.event({ kind: 'logout', vin: e.vin, at: e.receivedAt });
            break;
          default:
            break;
        }
      }
      if (entries.length > 0) seq = entries[entries.length - 1].seq;
      total += entries.length;
      if (entries.length < batch) return total;
    }
  }

  function pump(): Promise<number> {
    running ??= readOnce().finally(() => {
      running = undefined;
    });
    return running;
  }

  function loop(): void {
    if (stopped) return;
    pump().then(
      () => {
        if (!stopped) timer = setTimeout(loop, pollMs);
      },
      (err: unknown) => {
        options.onError?.(err);
        if (!stopped) timer = setTimeout(loop, pollMs * 10);
      },
    );
  }
  loop();

  return {
    get seq() {
      return seq;
    },
    pump,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
