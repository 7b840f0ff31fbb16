// Admission bounds of the listener (spec-free, operational). Each bound states what happens when full.

/**
 * New-connection rate limit: a token bucket refilled at `ratePerSec` tokens per second holding at
 * most `burst` tokens. When empty, the new socket is destroyed at once (no reply, nothing read), so
 * a reconnect storm after a network outage is spread over time instead of hitting the registry and
 * the log all at once; terminals retry by themselves (spec §13: retry after 1–3 min).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number = ratePerSec,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
