/** Rate-limits progress reports and measures blocks per second between them. */
export class ProgressMeter {
  private readonly intervalMs: number;
  private lastAt = 0;
  private lastHeight = 0;
  private connectedSince = 0;

  constructor(intervalMs: number) {
    this.intervalMs = intervalMs;
  }

  reset(now: number, height: number): void {
    this.lastAt = now;
    this.lastHeight = height;
    this.connectedSince = 0;
  }

  connected(blocks: number): void {
    this.connectedSince += blocks;
  }

  /** A report is due: at most one per interval. */
  due(now: number): boolean {
    return now - this.lastAt >= this.intervalMs;
  }

  /** Blocks connected per second since the last sample; starts the next interval. */
  sample(now: number, height: number): number {
    const seconds = Math.max(0.001, (now - this.lastAt) / 1000);
    // Blocks connected by sync, or (after a reorganisation, or blocks from gossip) the tip's move.
    const blocks = Math.max(this.connectedSince, height - this.lastHeight);
    this.reset(now, height);
    return blocks / seconds;
  }
}
