// Counters shared by all terminals of a fleet (and the CLI progress line).

export interface FleetStats {
  sent: Record<string, number>;
  bytesSent: number;
  replies: number;
  errorReplies: number;
  badReplies: number;
  platformCommands: number;
  connectAttempts: number;
  connectErrors: number;
  /** Terminals with a TCP link up (connecting → logged in). */
  connected: number;
  logins: number;
  loginTimeouts: number;
  loginRejected: number;
  stored: number;
  latenciesMs: number[];
  lastError: string | undefined;
}

export function newStats(): FleetStats {
  return {
    sent: {},
    bytesSent: 0,
    replies: 0,
    errorReplies: 0,
    badReplies: 0,
    platformCommands: 0,
    connectAttempts: 0,
    connectErrors: 0,
    connected: 0,
    logins: 0,
    loginTimeouts: 0,
    loginRejected: 0,
    stored: 0,
    latenciesMs: [],
    lastError: undefined,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
