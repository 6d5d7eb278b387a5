/**
 * The part of `@nxtedition/rocksdb` (which ships no types) that this package uses. It follows
 * abstract-level 1: public methods encode and check each argument; the underscore methods are the
 * binding's own entry points that abstract-level calls after those checks. `RocksDbStore` calls
 * `_put`/`_del`/`_getMany` itself for the per-key hot paths (the public layer measured 5x slower
 * per batched put) and does its own state checks instead.
 */
declare module "@nxtedition/rocksdb" {
  export interface RocksOpenOptions {
    createIfMissing?: boolean;
    errorIfExists?: boolean;
    readOnly?: boolean;
    /** ZSTD on SST files (binding default true). */
    compression?: boolean;
    /** ZSTD on the write-ahead log (binding default true). */
    walCompression?: boolean;
    /** Block cache in bytes (uint32; binding default 8 MiB). */
    cacheSize?: number;
    /** "point-lookup": hash index in data blocks, ribbon filters, memtable bloom filter. */
    optimize?: "point-lookup" | "range-lookup";
    infoLogLevel?: "debug" | "info" | "warn" | "error" | "fatal" | "header";
    parallelism?: number;
  }

  export interface RocksBatchWriteOptions {
    sync?: boolean;
  }

  export interface RocksChainedBatch {
    readonly length: number;
    _put(key: Uint8Array, value: Uint8Array): void;
    _del(key: Uint8Array): void;
    write(options?: RocksBatchWriteOptions): Promise<void>;
    close(): Promise<void>;
  }

  export interface RocksIteratorOptions {
    gt?: Uint8Array;
    gte?: Uint8Array;
    lt?: Uint8Array;
    lte?: Uint8Array;
    reverse?: boolean;
    limit?: number;
    keys?: boolean;
    values?: boolean;
  }

  export interface RocksIterator {
    nextv(size: number): Promise<[Buffer, Buffer][]>;
    close(): Promise<void>;
  }

  export class RocksLevel {
    constructor(location: string, options?: { keyEncoding?: "buffer"; valueEncoding?: "buffer" });
    readonly status: "opening" | "open" | "closing" | "closed";
    readonly location: string;
    open(options?: RocksOpenOptions): Promise<void>;
    close(): Promise<void>;
    batch(): RocksChainedBatch;
    getMany(keys: readonly Uint8Array[]): Promise<(Buffer | undefined)[]>;
    _getMany(
      keys: readonly Uint8Array[],
      options: object,
      callback: (err: Error | null, values?: (Buffer | undefined)[]) => void,
    ): void;
    iterator(options?: RocksIteratorOptions): RocksIterator;
    getProperty(property: string): string;
  }
}
