/**
 * Hashes per second over a sliding window, from samples of a running total. The caller samples
 * (the miner does on every `hashRate()` call and on its report interval); the rate is the growth of
 * the total between the oldest sample still inside the window and the newest.
 */

interface Sample {
  readonly at: number;
  readonly total: number;
}

export class HashRateMeter {
  private readonly windowMs: number;
  private samples: Sample[] = [];

  /** @param windowMs the window in milliseconds (default 10 s). */
  constructor(windowMs = 10_000) {
    if (!(windowMs > 0)) throw new RangeError("the window must be positive");
    this.windowMs = windowMs;
  }

  /** Records the running total `total` at time `at` (milliseconds, monotonic). */
  sample(at: number, total: number): void {
    this.samples.push({ at, total });
    // Keep one sample older than the window, as the start of the interval the rate spans.
    let drop = 0;
    while (drop + 1 < this.samples.length && this.samples[drop + 1]!.at <= at - this.windowMs) {
      drop++;
    }
    if (drop > 0) this.samples = this.samples.slice(drop);
  }

  /** Hashes per second between the window's first and last samples; 0 before two samples. */
  rate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (first === undefined || last === undefined || last.at <= first.at) return 0;
    return ((last.total - first.total) * 1000) / (last.at - first.at);
  }

  reset(): void {
    this.samples = [];
  }
}
