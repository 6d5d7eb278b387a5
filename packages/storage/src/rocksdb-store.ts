import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { type RocksChainedBatch, RocksLevel, type RocksOpenOptions } from "@nxtedition/rocksdb";
import {
  DatabaseClosedError,
  DatabaseLockedError,
  DatabaseOpenError,
  DiskFullError,
  OpenFailure,
  StorageError,
  WriteFailedError,
} from "./errors.ts";
import type { KeyRange, KvStore, WriteBatch, WriteOptions } from "./kv-store.ts";

export interface RocksDbStoreOptions {
  /**
   * RocksDB block cache in bytes (default 256 MiB, at most 4 GiB - 1). Point lookups of UTXOs read
   * through it; the default of the binding (8 MiB) halves read speed on a large set.
   */
  cacheSize?: number;
  /** Create the directory and database when missing (default true); its parent must exist. */
  create?: boolean;
  /** Open without write access (no lock taken on writes; writes throw). */
  readOnly?: boolean;
}

export const DEFAULT_BLOCK_CACHE_BYTES = 256 * 1024 * 1024;
const MAX_BLOCK_CACHE_BYTES = 0xffffffff;
/** Entries fetched per native call while iterating. */
const ITERATOR_CHUNK = 1000;

/**
 * The RocksDB options every store is opened with: tuned for point lookups of small values (the
 * binding's defaults, ZSTD everywhere and an 8 MiB cache, halve read speed on a UTXO set).
 */
export function rocksDbOpenOptions(
  cacheSize: number = DEFAULT_BLOCK_CACHE_BYTES,
): RocksOpenOptions {
  return {
    compression: false,
    walCompression: false,
    cacheSize,
    optimize: "point-lookup",
  };
}

/**
 * For the iterator's bounds, which go through abstract-level's buffer encoding. The binding's own
 * calls take any Uint8Array as it is (N-API's napi_is_buffer accepts typed arrays on Node 24), so
 * the per-key paths pass keys and values without wrapping them.
 */
const asBuffer = (u8: Uint8Array): Buffer =>
  Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

class RocksBatch implements WriteBatch {
  native: RocksChainedBatch | undefined;
  byteLength = 0;
  private count = 0;

  constructor(native: RocksChainedBatch) {
    this.native = native;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.open()._put(key, value);
    this.byteLength += key.length + value.length;
    this.count++;
  }

  del(key: Uint8Array): void {
    this.open()._del(key);
    this.byteLength += key.length;
    this.count++;
  }

  get length(): number {
    return this.count;
  }

  discard(): void {
    const native = this.native;
    this.native = undefined;
    void native?.close();
  }

  private open(): RocksChainedBatch {
    if (this.native === undefined)
      throw new StorageError("write batch already written or discarded");
    return this.native;
  }
}

/**
 * `KvStore` on RocksDB through `@nxtedition/rocksdb`, opened for point lookups: no compression
 * (UTXO values are small and random; compression costs CPU on every read), a large block cache,
 * hash-indexed data blocks and ribbon filters. Opening checks the directory first so that a missing
 * parent, a file in the way, a read-only directory or a held lock each give their own typed error.
 */
export class RocksDbStore implements KvStore {
  readonly path: string;
  readonly readOnly: boolean;
  private readonly db: RocksLevel;
  closed = false;

  private constructor(path: string, db: RocksLevel, readOnly: boolean) {
    this.path = path;
    this.db = db;
    this.readOnly = readOnly;
  }

  static async open(path: string, options: RocksDbStoreOptions = {}): Promise<RocksDbStore> {
    const location = resolve(path);
    const create = options.create ?? true;
    const readOnly = options.readOnly ?? false;
    const cacheSize = options.cacheSize ?? DEFAULT_BLOCK_CACHE_BYTES;
    if (!Number.isInteger(cacheSize) || cacheSize < 0 || cacheSize > MAX_BLOCK_CACHE_BYTES) {
      throw new RangeError(
        `RocksDbStore: cacheSize must be an integer in 0..${MAX_BLOCK_CACHE_BYTES}`,
      );
    }
    await checkDirectory(location, create && !readOnly, readOnly);
    const db = new RocksLevel(location, { keyEncoding: "buffer", valueEncoding: "buffer" });
    try {
      await db.open({
        ...rocksDbOpenOptions(cacheSize),
        createIfMissing: create && !readOnly,
        readOnly,
      });
    } catch (err) {
      throw openError(err, location);
    }
    return new RocksDbStore(location, db, readOnly);
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return (await this.getMany([key]))[0];
  }

  getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    this.check("getMany");
    if (keys.length === 0) return Promise.resolve([]);
    // MultiGet on the binding's thread pool: one native call and one buffer for all keys.
    return new Promise((resolve, reject) => {
      this.db._getMany(keys, {}, (err, values) => {
        if (err) reject(new StorageError(`getMany failed: ${err.message}`, { cause: err }));
        else resolve(values ?? []);
      });
    });
  }

  batch(): WriteBatch {
    this.check("batch");
    return new RocksBatch(this.db.batch());
  }

  async write(batch: WriteBatch, options: WriteOptions = {}): Promise<void> {
    this.check("write");
    if (this.readOnly) {
      batch.discard();
      throw new WriteFailedError(`${this.path} is open read-only`);
    }
    if (!(batch instanceof RocksBatch)) throw new TypeError("RocksDbStore.write: foreign batch");
    const native = batch.native;
    if (native === undefined) throw new StorageError("write batch already written or discarded");
    batch.native = undefined;
    if (native.length === 0) {
      await native.close();
      return;
    }
    try {
      await native.write({ sync: options.sync ?? false });
    } catch (err) {
      throw writeError(err);
    }
  }

  async *iterate(range: KeyRange): AsyncIterable<[Uint8Array, Uint8Array]> {
    this.check("iterate");
    const options: Parameters<RocksLevel["iterator"]>[0] = { keys: true, values: true };
    if (range.gt) options.gt = asBuffer(range.gt);
    if (range.gte) options.gte = asBuffer(range.gte);
    if (range.lt) options.lt = asBuffer(range.lt);
    if (range.lte) options.lte = asBuffer(range.lte);
    if (range.reverse) options.reverse = true;
    if (range.limit !== undefined) options.limit = range.limit;
    const it = this.db.iterator(options);
    try {
      for (;;) {
        const entries = await it.nextv(ITERATOR_CHUNK);
        if (entries.length === 0) return;
        for (const entry of entries) yield entry;
      }
    } finally {
      await it.close();
    }
  }

  /** The binding's database object, for benchmarks that need the raw calls as their reference. */
  get native(): RocksLevel {
    return this.db;
  }

  /** A RocksDB property, e.g. `rocksdb.estimate-num-keys` or `rocksdb.stats`. */
  property(name: string): string {
    this.check("property");
    return this.db.getProperty(name);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }

  private check(operation: string): void {
    if (this.closed) throw new DatabaseClosedError(operation);
  }
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

async function checkDirectory(location: string, create: boolean, readOnly: boolean): Promise<void> {
  const parent = dirname(location);
  try {
    const parentStat = await stat(parent);
    if (!parentStat.isDirectory()) {
      throw new DatabaseOpenError(
        OpenFailure.NOT_A_DIRECTORY,
        location,
        `${parent} is not a directory`,
      );
    }
  } catch (err) {
    if (err instanceof StorageError) throw err;
    if (errno(err) === "ENOENT" || errno(err) === "ENOTDIR") {
      throw new DatabaseOpenError(
        OpenFailure.MISSING_PARENT,
        location,
        `${parent} does not exist`,
        {
          cause: err,
        },
      );
    }
    throw new DatabaseOpenError(OpenFailure.IO, location, String(err), { cause: err });
  }
  let exists = true;
  try {
    const s = await stat(location);
    if (!s.isDirectory()) throw new DatabaseOpenError(OpenFailure.NOT_A_DIRECTORY, location);
  } catch (err) {
    if (err instanceof StorageError) throw err;
    if (errno(err) !== "ENOENT") {
      throw new DatabaseOpenError(OpenFailure.IO, location, String(err), { cause: err });
    }
    exists = false;
  }
  if (!exists && !create) throw new DatabaseOpenError(OpenFailure.NOT_FOUND, location);
  const target = exists ? location : parent;
  try {
    await access(
      target,
      readOnly ? constants.R_OK | constants.X_OK : constants.W_OK | constants.X_OK,
    );
  } catch (err) {
    throw new DatabaseOpenError(
      OpenFailure.READ_ONLY,
      location,
      `${target}: ${errno(err) ?? String(err)}`,
      { cause: err },
    );
  }
}

/** The binding wraps RocksDB's status in abstract-level's LEVEL_DATABASE_NOT_OPEN; look inside. */
function openError(err: unknown, location: string): StorageError {
  const inner = (err as { cause?: unknown }).cause ?? err;
  const code = (inner as { code?: string }).code;
  const message = inner instanceof Error ? inner.message : String(inner);
  const options = { cause: err };
  if (code === "LEVEL_LOCKED" || /\block\b/i.test(message)) {
    return new DatabaseLockedError(location, options);
  }
  if (/Permission denied|Read-only file system|EACCES|EROFS/i.test(message)) {
    return new DatabaseOpenError(OpenFailure.READ_ONLY, location, message, options);
  }
  if (/does not exist|create_if_missing/i.test(message)) {
    return new DatabaseOpenError(OpenFailure.NOT_FOUND, location, message, options);
  }
  if (/corrupt/i.test(message)) {
    return new DatabaseOpenError(OpenFailure.CORRUPT, location, message, options);
  }
  return new DatabaseOpenError(OpenFailure.IO, location, message, options);
}

function writeError(err: unknown): StorageError {
  const message = err instanceof Error ? err.message : String(err);
  if (/No space left|ENOSPC/i.test(message)) {
    return new DiskFullError(`write failed, disk full: ${message}`, { cause: err });
  }
  return new WriteFailedError(`write failed: ${message}`, { cause: err });
}
