// Gateway counters as a plain object (gateway.metrics()); the API exports them as Prometheus text.

/** Upper bounds (ms) of the log-append latency histogram buckets; the last bucket is +Inf. */
export const APPEND_BUCKETS_MS = [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 5000] as const;

export interface GatewayMetrics {
  connectionsOpen: number;
  connectionsTotal: number;
  /** Refused at accept: over maxConnections or over the new-connection rate. */
  connectionsRefused: { maxConnections: number; rateLimit: number };
  /** Closed sessions by reason kind (idle, logout, replaced, slowConsumer, ...). */
  closedByReason: Record<string, number>;
  sessionsLoggedIn: number;
  /** Frames received, by command name (decoded or not). */
  framesByCommand: Record<string, number>;
  /** Frames that failed to decode, by codec error code (GBT_ERR_BCC, ...). */
  decodeErrors: Record<string, number>;
  framesLogged: number;
  repliesSent: number;
  bytesIn: number;
  garbageBytes: number;
  loginRejected: number;
  serialWarnings: number;
  downlink: { sent: number; success: number; error: number; timeout: number; offline: number };
  appendLatencyMs: { buckets: readonly number[]; counts: number[]; sum: number; count: number };
}

export function newMetrics(): GatewayMetrics {
  return {
    connectionsOpen: 0,
    connectionsTotal: 0,
    connectionsRefused: { maxConnections: 0, rateLimit: 0 },
    closedByReason: {},
    sessionsLoggedIn: 0,
    framesByCommand: {},
    decodeErrors: {},
    framesLogged: 0,
    repliesSent: 0,
    bytesIn: 0,
    garbageBytes: 0,
    loginRejected: 0,
    serialWarnings: 0,
    downlink: { sent: 0, success: 0, error: 0, timeout: 0, offline: 0 },
    appendLatencyMs: {
      buckets: APPEND_BUCKETS_MS,
      counts: new Array<number>(APPEND_BUCKETS_MS.length + 1).fill(0),
      sum: 0,
      count: 0,
    },
  };
}

export function bump(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

export function observeAppend(m: GatewayMetrics, ms: number): void {
  const h = m.appendLatencyMs;
  let i = 0;
  while (i < APPEND_BUCKETS_MS.length && ms > APPEND_BUCKETS_MS[i]) i++;
  h.counts[i]++;
  h.sum += ms;
  h.count++;
}

/** A deep copy, so callers can keep or serialise it while the gateway keeps counting. */
export function snapshot(m: GatewayMetrics): GatewayMetrics {
  return structuredClone(m);
}
