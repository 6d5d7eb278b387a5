import { fromHex, toHex } from "@starling/chain";
import { DatabaseClosedError } from "./errors.ts";
import type { KeyRange, KvStore, WriteBatch } from "./kv-store.ts";

type Op = { key: string; value: Uint8Array | null };

class MemoryBatch implements WriteBatch {
  ops: Op[] = [];
  byteLength = 0;

  put(key: Uint8Array, value: Uint8Array): void {
    this.ops.push({ key: toHex(key), value: value.slice() });
    this.byteLength += key.length + value.length;
  }

  del(key: Uint8Array): void {
    this.ops.push({ key: toHex(key), value: null });
    this.byteLength += key.length;
  }

  get length(): number {
    return this.ops.length;
  }

  discard(): void {
    this.ops = [];
    this.byteLength = 0;
  }
}

/**
 * The `KvStore` contract in memory, for pure tests of code written against storage (the chain state
 * machine). Keys are kept as lowercase hex, whose string order is the keys' byte order. Values are
 * copied in and out, so callers can never alias the stored bytes.
 */
export class MemoryStore implements KvStore {
  private readonly data = new Map<string, Uint8Array>();
  private sorted: string[] | undefined;
  closed = false;

  /** Number of keys held. */
  get size(): number {
    return this.data.size;
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.check("get");
    return this.data.get(toHex(key))?.slice();
  }

  async getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    this.check("getMany");
    return keys.map((k) => this.data.get(toHex(k))?.slice());
  }

  batch(): WriteBatch {
    this.check("batch");
    return new MemoryBatch();
  }

  async write(batch: WriteBatch): Promise<void> {
    this.check("write");
    if (!(batch instanceof MemoryBatch)) throw new TypeError("MemoryStore.write: foreign batch");
    for (const op of batch.ops) {
      if (op.value === null) {
        if (this.data.delete(op.key)) this.sorted = undefined;
      } else {
        if (!this.data.has(op.key)) this.sorted = undefined;
        this.data.set(op.key, op.value);
      }
    }
    batch.discard();
  }

  async *iterate(range: KeyRange): AsyncIterable<[Uint8Array, Uint8Array]> {
    this.check("iterate");
    this.sorted ??= [...this.data.keys()].sort();
    const keys = this.sorted;
    const gt = range.gt && toHex(range.gt);
    const gte = range.gte && toHex(range.gte);
    const lt = range.lt && toHex(range.lt);
    const lte = range.lte && toHex(range.lte);
    const inRange = (k: string): boolean =>
      (gt === undefined || k > gt) &&
      (gte === undefined || k >= gte) &&
      (lt === undefined || k < lt) &&
      (lte === undefined || k <= lte);
    const selected = keys.filter(inRange);
    if (range.reverse) selected.reverse();
    if (range.limit !== undefined) selected.length = Math.min(selected.length, range.limit);
    // Values are taken now: like a RocksDB iterator, which reads from an implicit snapshot, later
    // writes do not show through.
    const entries = selected.map((k): [Uint8Array, Uint8Array] => [
      fromHex(k),
      this.data.get(k)!.slice(),
    ]);
    yield* entries;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(operation: string): void {
    if (this.closed) throw new DatabaseClosedError(operation);
  }
}
