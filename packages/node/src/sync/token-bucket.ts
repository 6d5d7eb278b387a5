/**
 * A token bucket on the requesting side: the sync paces itself under the serving node's bucket
 * (which charges every request over its limit), instead of finding the limit by being punished.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(capacity: number, refillPerSecond: number, now: number) {
    this.capacity = capacity;
    this.perMs = refillPerSecond / 1000;
    this.tokens = capacity;
    this.updatedAt = now;
  }

  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  /** Takes `n` tokens if there are that many; false (and nothing taken) otherwise. */
  take(n: number, now: number): boolean {
    this.refill(now);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Milliseconds until `n` tokens are there (0 if now; Infinity if n exceeds the capacity). */
  msUntil(n: number, now: number): number {
    this.refill(now);
    if (n > this.capacity) return Number.POSITIVE_INFINITY;
    return this.tokens >= n ? 0 : Math.ceil((n - this.tokens) / this.perMs);
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.perMs);
    this.updatedAt = now;
  }
}
