// Typed errors of the frame log. Errors are values the caller can branch on (style.md §2).

/**
 * The log's write queue is full: more than `maxPending` entries are waiting for their commit.
 * The gateway turns this into backpressure (it stops reading the socket and retries) instead of
 * letting memory grow without bound (architecture.md, "Backpressure end to end").
 */
export class LogFullError extends Error {
  readonly code = 'NEV_LOG_FULL';
  constructor(
    readonly pending: number,
    readonly maxPending: number,
  ) {
    super(`frame log write queue is full (${pending} pending, max ${maxPending})`);
    this.name = 'LogFullError';
  }
}

/** The log was used after close(). */
export class LogClosedError extends Error {
  readonly code = 'NEV_LOG_CLOSED';
  constructor() {
    super('frame log is closed');
    this.name = 'LogClosedError';
  }
}
