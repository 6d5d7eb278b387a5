/**
 * A job queue with a fixed concurrency and a fixed length: `push` refuses a job when the queue is
 * full, so a flood of work is dropped at the door instead of growing memory (the caller decides
 * what a refusal means; for gossip it is an "ignore").
 */
export class BoundedQueue {
  private readonly concurrency: number;
  private readonly maxLength: number;
  private readonly waiting: Array<() => Promise<void>> = [];
  private running = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(concurrency: number, maxLength: number) {
    this.concurrency = concurrency;
    this.maxLength = maxLength;
  }

  get size(): number {
    return this.waiting.length + this.running;
  }

  push(job: () => Promise<void>): boolean {
    if (this.size >= this.maxLength) return false;
    this.waiting.push(job);
    this.next();
    return true;
  }

  /** Resolves when no job runs or waits. */
  onIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private next(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      job()
        .catch(() => {})
        .finally(() => {
          this.running--;
          this.next();
          if (this.size === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const w of waiters) w();
          }
        });
    }
  }
}
