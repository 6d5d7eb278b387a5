/**
 * The ordered key-value store every storage component is written against. Two implementations:
 * `RocksDbStore` (the node's) and `MemoryStore` (pure tests of the chain state machine). Keys and
 * values are bytes; keys sort as unsigned bytes (memcmp), so big-endian integers in keys iterate in
 * numeric order.
 */

/**
 * Somewhere to put and delete records: a write batch, or a staging area in memory. Implementations
 * copy the key and value before returning, so callers may reuse their buffers (a flush encodes
 * every coin into the same scratch buffer).
 */
export interface RecordSink {
  put(key: Uint8Array, value: Uint8Array): void;
  del(key: Uint8Array): void;
}

/** Operations collected for one `write`. Applied all together or not at all. */
export interface WriteBatch extends RecordSink {
  /** Operations added so far. */
  readonly length: number;
  /** Bytes of keys and values added so far (what the write will carry). */
  readonly byteLength: number;
  /** Releases the batch without writing it (a batch that was written is released already). */
  discard(): void;
}

/** A key range; bounds are optional, `reverse` walks from the high end. */
export interface KeyRange {
  gt?: Uint8Array;
  gte?: Uint8Array;
  lt?: Uint8Array;
  lte?: Uint8Array;
  reverse?: boolean;
  /** Stop after this many entries. */
  limit?: number;
}

export interface WriteOptions {
  /**
   * Wait until the write is on stable storage (fsync of the write-ahead log) before resolving.
   * Without it a write survives the death of the process but maybe not a power cut.
   */
  sync?: boolean;
}

export interface KvStore {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  /** One lookup for many keys, results in the order of `keys`. */
  getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]>;
  /** A new empty batch bound to this store. */
  batch(): WriteBatch;
  /** Applies the batch atomically: after a crash either every operation is visible or none. */
  write(batch: WriteBatch, options?: WriteOptions): Promise<void>;
  /** Entries in key order within `range`. Values are copies the caller may keep. */
  iterate(range: KeyRange): AsyncIterable<[key: Uint8Array, value: Uint8Array]>;
  close(): Promise<void>;
  readonly closed: boolean;
}

/** The range of every key that starts with `prefix`. */
export function prefixRange(prefix: Uint8Array): KeyRange {
  const end = prefixEnd(prefix);
  return end === undefined ? { gte: prefix } : { gte: prefix, lt: end };
}

/** The smallest key greater than every key with this prefix; undefined for an all-0xff prefix. */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  const end = prefix.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i] = end[i]! + 1;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

/** True when the store holds no key at all. */
export async function isEmpty(store: KvStore): Promise<boolean> {
  for await (const _ of store.iterate({ limit: 1 })) return false;
  return true;
}
