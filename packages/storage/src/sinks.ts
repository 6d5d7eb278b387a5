import type { KvStore, RecordSink, WriteBatch } from "./kv-store.ts";
import type { StagedWrites } from "./staged-writes.ts";

/**
 * Fills write batches of at most `max` operations each and writes them in order as they fill, so
 * that a large commit never hands the binding one huge batch: its write runs on the main thread
 * (about 2 µs an operation here), and a batch of 100k coins would stall timers, sockets and RPC for
 * a fifth of a second. Only the final write asks for `sync`: the write-ahead log is sequential, so
 * syncing it syncs the rest.
 */
export class ChunkedSink implements RecordSink {
  /** Filled or filling batches not yet written, oldest first. */
  private readonly unwritten: WriteBatch[] = [];
  private readonly kv: KvStore;
  private readonly max: number;
  operations = 0;
  batchesWritten = 0;

  constructor(kv: KvStore, max: number) {
    this.kv = kv;
    this.max = max;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.current().put(key, value);
  }

  del(key: Uint8Array): void {
    this.current().del(key);
  }

  private current(): WriteBatch {
    let batch = this.unwritten.at(-1);
    if (batch === undefined || batch.length >= this.max) {
      batch = this.kv.batch();
      this.unwritten.push(batch);
    }
    this.operations++;
    return batch;
  }

  /** Writes every batch that is full, unsynced; the one still filling waits. */
  async writeFull(): Promise<void> {
    while (this.unwritten.length > 0 && this.unwritten[0]!.length >= this.max) {
      await this.writeNext(false);
    }
  }

  /** Writes everything left, syncing the last write when asked. */
  async writeAll(options: { sync: boolean }): Promise<void> {
    while (this.unwritten.length > 0) {
      await this.writeNext(options.sync && this.unwritten.length === 1);
    }
  }

  /** Drops the batches not written (after a failed write). */
  discard(): void {
    for (const batch of this.unwritten.splice(0)) batch.discard();
  }

  private async writeNext(sync: boolean): Promise<void> {
    const batch = this.unwritten.shift()!;
    try {
      await this.kv.write(batch, { sync });
    } catch (err) {
      this.discard();
      throw err;
    }
    this.batchesWritten++;
  }
}

/** Writes into a batch and keeps any staged copy of the same key equal to what was written. */
export class WriteThroughSink implements RecordSink {
  private readonly batch: WriteBatch;
  private readonly staged: StagedWrites;

  constructor(batch: WriteBatch, staged: StagedWrites) {
    this.batch = batch;
    this.staged = staged;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.batch.put(key, value);
    if (this.staged.has(key)) this.staged.put(key, value);
  }

  del(key: Uint8Array): void {
    this.batch.del(key);
    if (this.staged.has(key)) this.staged.del(key);
  }
}
