/**
 * Runs the mempool's synchronous work in slices so that many admissions in flight never hold the
 * event loop for long: a segment runs at once while the current turn of the event loop has used
 * less than `budgetMs` and nothing waits, otherwise it waits for a later turn (setImmediate).
 * Waiting segments of admissions already under way run before those starting new ones, so
 * admissions finish in arrival order instead of all advancing together (which would keep every
 * one's state alive at once). With a worker-pool script runner the signature checks leave the
 * thread anyway; with the inline runner they run inside segments and are sliced like the rest.
 */
export class SliceScheduler {
  private readonly budgetMs: number;
  private readonly queues: [(() => void)[], (() => void)[]] = [[], []];
  private readonly heads = [0, 0];
  private turnStart = 0;
  private turnPending = false;
  private running = false;
  private readonly afterSegment: () => void;

  /** `afterSegment` runs after every segment, thrown or not (the mempool delivers events there). */
  constructor(budgetMs: number, afterSegment: () => void = () => {}) {
    this.budgetMs = budgetMs;
    this.afterSegment = afterSegment;
  }

  /**
   * Runs `segment` (synchronous) now or in a later turn and resolves with its result.
   * `continuation`: the segment belongs to work already started (it goes before new work).
   */
  run<T>(segment: () => T, continuation = true): Promise<T> {
    this.beginTurn();
    if (!this.running && this.idle() && this.withinBudget()) {
      try {
        return Promise.resolve(this.execute(segment));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.queues[continuation ? 0 : 1].push(() => {
        try {
          resolve(this.execute(segment));
        } catch (error) {
          reject(error);
        }
      });
    });
  }

  private idle(): boolean {
    return this.heads[0] === this.queues[0].length && this.heads[1] === this.queues[1].length;
  }

  private execute<T>(segment: () => T): T {
    this.running = true;
    try {
      return segment();
    } finally {
      this.running = false;
      this.afterSegment();
    }
  }

  private withinBudget(): boolean {
    return performance.now() - this.turnStart < this.budgetMs;
  }

  /** Marks the start of an event-loop turn and schedules the next one. */
  private beginTurn(): void {
    if (this.turnPending) return;
    this.turnPending = true;
    this.turnStart = performance.now();
    setImmediate(this.nextTurn);
  }

  private readonly nextTurn = (): void => {
    this.turnPending = false;
    for (let q = 0; q < 2; q++) {
      const queue = this.queues[q]!;
      while (this.heads[q]! < queue.length) {
        this.beginTurn();
        if (!this.withinBudget()) return;
        const index = this.heads[q]!;
        const task = queue[index]!;
        queue[index] = noop;
        this.heads[q] = index + 1;
        task();
      }
      queue.length = 0;
      this.heads[q] = 0;
    }
  };
}

function noop(): void {}
