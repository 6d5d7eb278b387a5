/**
 * Runs writes of one file one after another and coalesces bursts: a request made while a write runs
 * marks the state dirty, and one follow-up write of the latest state serves every such request.
 * Keeps a JSON state file consistent without one write per event.
 */
export class SerialWriter {
  private running: Promise<void> | null = null;
  private dirty = false;
  private readonly write: () => Promise<void>;

  constructor(write: () => Promise<void>) {
    this.write = write;
  }

  /** Resolves once a write that started after this call has finished. */
  schedule(): Promise<void> {
    if (this.running === null) this.running = this.loop();
    else this.dirty = true;
    return this.running;
  }

  /** Waits for any write in progress (used by stop()). */
  async flush(): Promise<void> {
    await this.running?.catch(() => {});
  }

  private async loop(): Promise<void> {
    try {
      do {
        this.dirty = false;
        await this.write();
      } while (this.dirty);
    } finally {
      this.running = null;
    }
  }
}
