/**
 * Counts failed sign-ins per key (an address, an email) in fixed windows, in this process's memory. Unlike the
 * form's RateLimiter, which counts every hit, only failures count here, and a key is checked before the password
 * is: once blocked, even the right password waits, so guessing on cannot tell a hit from a miss.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the first blocked key of `keys` may try again, or 0 when none is blocked. */
  retryAfter(keys: string[]): number {
    const t = this.now();
    let wait = 0;
    for (const key of keys) {
      const w = this.failures.get(key);
      if (w && t - w.start < this.windowMs && w.count >= this.limit) {
        wait = Math.max(wait, Math.ceil((w.start + this.windowMs - t) / 1000));
      }
    }
    return wait;
  }

  recordFailure(keys: string[]): void {
    const t = this.now();
    if (this.failures.size > 10_000) this.prune(t);
    for (const key of keys) {
      const w = this.failures.get(key);
      if (!w || t - w.start >= this.windowMs) this.failures.set(key, { start: t, count: 1 });
      else w.count++;
    }
  }

  private prune(t: number): void {
    for (const [k, w] of this.failures) if (t - w.start >= this.windowMs) this.failures.delete(k);
  }
}
