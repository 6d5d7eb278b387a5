import type { KvStore, RecordSink, WriteBatch } from "./kv-store.ts";
import type { StagedWrites } from "./staged-writes.ts";

/** Fills write batches of at most `max` operations each, in order. */
export class ChunkedSink implements RecordSink {
  readonly batches: WriteBatch[] = [];
  operations = 0;
  private readonly kv: KvStore;
  private readonly max: number;

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
    let batch = this.batches.at(-1);
    if (batch === undefined || batch.length >= this.max) {
      batch = this.kv.batch();
      this.batches.push(batch);
    }
    this.operations++;
    return batch;
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
