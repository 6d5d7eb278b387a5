import { Block, compactSizeLength, DecodeError, Transaction } from "@starling/chain";
import { ChainWriter } from "./chain-writer.ts";
import {
  CorruptRecordError,
  DatabaseOpenError,
  InconsistentStateError,
  OpenFailure,
  SchemaVersionError,
  WrongNetworkError,
} from "./errors.ts";
import { isEmpty, type KvStore, prefixRange } from "./kv-store.ts";
import {
  addressPrefix,
  blockKey,
  coinKey,
  hashFromKey,
  headerKey,
  mainChainKey,
  networkKey,
  type Outpoint,
  outpointFromKey,
  Prefix,
  prefixKey,
  recordName,
  SCHEMA_VERSION,
  schemaVersionKey,
  tipKey,
  txIndexKey,
  undoKey,
} from "./layout.ts";
import { type AddressOutput, decodeAddressOutput } from "./records/address-output.ts";
import { decodeBlockHash } from "./records/block-hash.ts";
import { type Coin, decodeCoin } from "./records/coin.ts";
import { decodeHeaderRecord, type HeaderRecord } from "./records/header-record.ts";
import { decodeNetworkMarker, encodeNetworkMarker } from "./records/network-marker.ts";
import { decodeSchemaVersion, encodeSchemaVersion } from "./records/schema-version.ts";
import { type ChainPoint, decodeTip, encodeTip, type TipRecord } from "./records/tip.ts";
import { decodeTxLocation, type TxLocation } from "./records/tx-location.ts";
import { decodeUndo } from "./records/undo.ts";
import { ChunkedSink, WriteThroughSink } from "./sinks.ts";
import { StagedWrites } from "./staged-writes.ts";
import { UtxoCache } from "./utxo-cache.ts";

export interface ChainStoreOptions {
  /** Network name; with the genesis hash, checked against the datadir's marker at every open. */
  network: string;
  /** Genesis block hash, display hex. */
  genesisHash: string;
  /** Budget of the UTXO cache in bytes (default 450 MiB). */
  utxoCacheBytes?: number;
  /** Keep txid -> block location entries (`indexBlock` stages them). */
  txIndex?: boolean;
  /** Keep script hash -> outputs entries (`indexBlock` stages them). */
  addressIndex?: boolean;
  /** Initialise an empty store (default true); false refuses a store without data. */
  create?: boolean;
  /** fsync every write before acknowledging it (default true). */
  sync?: boolean;
  /**
   * Largest write batch a commit may use (default unlimited: every commit is one atomic batch). A
   * larger commit is split into batches of this many operations, bracketed by the torn-state marker
   * in the tip record, so that no single write blocks the event loop for long. A crash in between
   * leaves `recovery` set at the next open, and the chain layer must replay (see docs/storage.md).
   */
  maxBatchOps?: number;
}

/**
 * The node's `maxBatchOps`: issue 8 asks that no single write blocks the event loop for more than
 * 50 ms, and the binding's write of a batch runs on the main thread at roughly 3-5 µs per coin here
 * (utxo-write bench, `maxEventLoopBlockMs`), so batches stay well under 10k operations.
 */
export const NODE_MAX_BATCH_OPS = 6000;

/** A split commit gives the event loop a turn after about this much work. */
const COMMIT_YIELD_AFTER_MS = 20;

/** What the start-up check found that the chain layer must repair before using the chainstate. */
export interface TornFlush {
  kind: "torn-flush";
  /** The tip before the interrupted commit (undefined: the store had none). */
  from: ChainPoint | undefined;
  /** The tip the interrupted commit was writing. */
  to: ChainPoint;
}

export interface CommitResult {
  /** Write batches used (1 unless split by `maxBatchOps`, then chunks + the marker). */
  batches: number;
  /** Operations written. */
  operations: number;
  /** UTXO entries among them. */
  coins: number;
}

/** A transaction found through the txindex. */
export interface IndexedTransaction {
  tx: Transaction;
  location: TxLocation;
}

function decodeRecord<T>(key: Uint8Array, bytes: Uint8Array, decode: (b: Uint8Array) => T): T {
  try {
    return decode(bytes);
  } catch (err) {
    if (err instanceof DecodeError) {
      throw new CorruptRecordError(recordName(key), key, err.message, { cause: err });
    }
    throw err;
  }
}

/**
 * Typed access to a Starling chainstate over a `KvStore`: raw blocks, the header index, the main
 * chain by height, the UTXO set (through its cache), undo data, the optional indexes and the tip.
 *
 * Two ways to write:
 * - `write(fn)`: an immediate atomic write, for what must be durable on its own (a received block
 *   and its header entry, a header's status).
 * - `staged` + `commit(tip)`: chain-state changes of connected/disconnected blocks (undo data,
 *   main-chain entries, index entries) accumulate in memory, readable at once, and reach the disk
 *   with the UTXO cache's dirty coins and the new tip in one atomic batch. The disk therefore always
 *   holds the chainstate of exactly one tip.
 */
export class ChainStore {
  readonly kv: KvStore;
  readonly coins: UtxoCache;
  /** Writes staged until the next `commit`. */
  readonly staged: ChainWriter;
  readonly network: string;
  readonly genesisHash: string;
  readonly txIndex: boolean;
  readonly addressIndex: boolean;
  private readonly stagedWrites = new StagedWrites();
  private readonly sync: boolean;
  private readonly maxBatchOps: number;
  private tipRecord: TipRecord;
  private committing = false;

  private constructor(kv: KvStore, options: ChainStoreOptions, tip: TipRecord) {
    this.kv = kv;
    this.network = options.network;
    this.genesisHash = options.genesisHash;
    this.txIndex = options.txIndex ?? false;
    this.addressIndex = options.addressIndex ?? false;
    this.sync = options.sync ?? true;
    this.maxBatchOps = options.maxBatchOps ?? Number.POSITIVE_INFINITY;
    this.coins = new UtxoCache(
      kv,
      options.utxoCacheBytes === undefined ? {} : { maxBytes: options.utxoCacheBytes },
    );
    this.staged = new ChainWriter(this.stagedWrites);
    this.tipRecord = tip;
  }

  /**
   * Opens the chainstate in `kv` after the start-up check: an empty store is initialised (schema
   * version and network marker, one batch); otherwise the schema version must match
   * (SchemaVersionError), the network marker must match (WrongNetworkError) and, unless a torn
   * flush is reported in `recovery`, the tip's header and main-chain entry must exist
   * (InconsistentStateError). Nothing is written to a store that fails a check.
   */
  static async open(kv: KvStore, options: ChainStoreOptions): Promise<ChainStore> {
    // The marker and the tip need a batch each at least.
    if (options.maxBatchOps !== undefined && !(options.maxBatchOps >= 2)) {
      throw new RangeError("ChainStore: maxBatchOps must be at least 2");
    }
    const versionBytes = await kv.get(schemaVersionKey());
    if (versionBytes === undefined) {
      if (!(await isEmpty(kv))) throw new SchemaVersionError(SCHEMA_VERSION, undefined);
      if (options.create === false) {
        throw new DatabaseOpenError(OpenFailure.NOT_FOUND, "(chain store)", "store is empty");
      }
      const batch = kv.batch();
      batch.put(schemaVersionKey(), encodeSchemaVersion(SCHEMA_VERSION));
      batch.put(
        networkKey(),
        encodeNetworkMarker({ network: options.network, genesisHash: options.genesisHash }),
      );
      await kv.write(batch, { sync: options.sync ?? true });
      return new ChainStore(kv, options, {});
    }
    const version = decodeRecord(schemaVersionKey(), versionBytes, decodeSchemaVersion);
    if (version !== SCHEMA_VERSION) throw new SchemaVersionError(SCHEMA_VERSION, version);

    const markerBytes = await kv.get(networkKey());
    if (markerBytes === undefined) {
      throw new CorruptRecordError("network", networkKey(), "missing network marker");
    }
    const marker = decodeRecord(networkKey(), markerBytes, decodeNetworkMarker);
    if (marker.network !== options.network || marker.genesisHash !== options.genesisHash) {
      throw new WrongNetworkError(
        { network: options.network, genesisHash: options.genesisHash },
        marker,
      );
    }

    const tipBytes = await kv.get(tipKey());
    const tip = tipBytes === undefined ? {} : decodeRecord(tipKey(), tipBytes, decodeTip);
    const store = new ChainStore(kv, options, tip);
    if (tip.best !== undefined && tip.flushingTo === undefined) await store.checkTip(tip.best);
    return store;
  }

  private async checkTip(best: ChainPoint): Promise<void> {
    const header = await this.getHeader(best.hash);
    if (header === undefined) {
      throw new InconsistentStateError(`tip ${best.hash} has no header index entry`);
    }
    if (header.height !== best.height) {
      throw new InconsistentStateError(
        `tip ${best.hash} at height ${best.height}, its header entry says ${header.height}`,
      );
    }
    const atHeight = await this.getMainChainHash(best.height);
    if (atHeight !== best.hash) {
      throw new InconsistentStateError(
        `main chain at height ${best.height} is ${atHeight ?? "missing"}, the tip is ${best.hash}`,
      );
    }
  }

  /** The tip of the chainstate on disk (undefined before the first commit). */
  get tip(): ChainPoint | undefined {
    return this.tipRecord.best;
  }

  /** Set when the start-up check found an interrupted split commit (see `maxBatchOps`). */
  get recovery(): TornFlush | undefined {
    const to = this.tipRecord.flushingTo;
    return to === undefined ? undefined : { kind: "torn-flush", from: this.tipRecord.best, to };
  }

  /** Staged operations and their bytes (to decide, with the UTXO cache's usage, when to commit). */
  get stagedSize(): { operations: number; bytes: number } {
    return { operations: this.stagedWrites.size, bytes: this.stagedWrites.byteLength };
  }

  // ---- reads (staged writes first, then the store) ----

  private async read(key: Uint8Array): Promise<Uint8Array | undefined> {
    const staged = this.stagedWrites.lookup(key);
    if (staged !== undefined) return staged ?? undefined;
    return this.kv.get(key);
  }

  private async readMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    const out: (Uint8Array | undefined)[] = new Array(keys.length);
    const missing: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const staged = this.stagedWrites.lookup(keys[i]!);
      if (staged === undefined) missing.push(i);
      else out[i] = staged ?? undefined;
    }
    if (missing.length > 0) {
      const values = await this.kv.getMany(missing.map((i) => keys[i]!));
      for (let j = 0; j < missing.length; j++) out[missing[j]!] = values[j];
    }
    return out;
  }

  /**
   * Entries under `prefix` in key order: the store's, overlaid with staged writes (a staged delete
   * hides an entry, a staged put adds or replaces one).
   */
  private async *scan(prefix: Uint8Array): AsyncIterable<[Uint8Array, Uint8Array]> {
    const staged = this.stagedWrites.withPrefix(prefix);
    let s = 0;
    const cmp = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);
    for await (const [key, value] of this.kv.iterate(prefixRange(prefix))) {
      while (s < staged.length && cmp(staged[s]!.key, key) < 0) {
        const op = staged[s++]!;
        if (op.value !== null) yield [op.key, op.value];
      }
      if (s < staged.length && cmp(staged[s]!.key, key) === 0) {
        const op = staged[s++]!;
        if (op.value !== null) yield [op.key, op.value];
        continue;
      }
      yield [key, value];
    }
    for (; s < staged.length; s++) {
      const op = staged[s]!;
      if (op.value !== null) yield [op.key, op.value];
    }
  }

  async getBlockBytes(hash: string): Promise<Uint8Array | undefined> {
    return this.read(blockKey(hash));
  }

  async hasBlock(hash: string): Promise<boolean> {
    return (await this.getBlockBytes(hash)) !== undefined;
  }

  async getBlock(hash: string): Promise<Block | undefined> {
    const key = blockKey(hash);
    const bytes = await this.read(key);
    if (bytes === undefined) return undefined;
    const block = decodeRecord(key, bytes, Block.fromBytes);
    if (block.hash() !== hash) {
      throw new CorruptRecordError("block", key, `stored block hashes to ${block.hash()}`);
    }
    return block;
  }

  async getHeader(hash: string): Promise<HeaderRecord | undefined> {
    const key = headerKey(hash);
    const bytes = await this.read(key);
    return bytes === undefined ? undefined : decodeRecord(key, bytes, decodeHeaderRecord);
  }

  /** Many header entries with one store read, in the order of `hashes`. */
  async getHeaders(hashes: readonly string[]): Promise<(HeaderRecord | undefined)[]> {
    const keys = hashes.map(headerKey);
    const values = await this.readMany(keys);
    return values.map((v, i) =>
      v === undefined ? undefined : decodeRecord(keys[i]!, v, decodeHeaderRecord),
    );
  }

  /** Every header index entry (to load the block tree at start-up), in hash-key order. */
  async *headers(): AsyncIterable<[hash: string, record: HeaderRecord]> {
    for await (const [key, value] of this.scan(prefixKey(Prefix.HEADER))) {
      yield [hashFromKey(key), decodeRecord(key, value, decodeHeaderRecord)];
    }
  }

  async getMainChainHash(height: number): Promise<string | undefined> {
    const key = mainChainKey(height);
    const bytes = await this.read(key);
    return bytes === undefined ? undefined : decodeRecord(key, bytes, decodeBlockHash);
  }

  async getUndo(hash: string): Promise<Coin[] | undefined> {
    const key = undoKey(hash);
    const bytes = await this.read(key);
    return bytes === undefined ? undefined : decodeRecord(key, bytes, decodeUndo);
  }

  async getTxLocation(txid: string): Promise<TxLocation | undefined> {
    const key = txIndexKey(txid);
    const bytes = await this.read(key);
    return bytes === undefined ? undefined : decodeRecord(key, bytes, decodeTxLocation);
  }

  /** A transaction through the txindex (undefined when not indexed). */
  async getTransaction(txid: string): Promise<IndexedTransaction | undefined> {
    const location = await this.getTxLocation(txid);
    if (location === undefined) return undefined;
    const key = blockKey(location.blockHash);
    const block = await this.read(key);
    if (block === undefined) {
      throw new InconsistentStateError(
        `txindex points ${txid} at missing block ${location.blockHash}`,
      );
    }
    const end = location.offset + location.length;
    if (end > block.length) {
      throw new CorruptRecordError(
        "tx-index",
        txIndexKey(txid),
        "location past the end of the block",
      );
    }
    const tx = decodeRecord(key, block.subarray(location.offset, end), Transaction.fromBytes);
    if (tx.txid() !== txid) {
      throw new CorruptRecordError("tx-index", txIndexKey(txid), `location holds ${tx.txid()}`);
    }
    return { tx, location };
  }

  /** Address-index entries of a script: every main-chain output paying to it. */
  async addressOutputs(scriptPubKey: Uint8Array): Promise<(AddressOutput & Outpoint)[]> {
    const out: (AddressOutput & Outpoint)[] = [];
    for await (const [key, value] of this.scan(addressPrefix(scriptPubKey))) {
      out.push({ ...outpointFromKey(key), ...decodeRecord(key, value, decodeAddressOutput) });
    }
    return out;
  }

  /**
   * The UTXO set as committed to the store, in outpoint order (txid internal bytes, then index):
   * for a commitment over the set (`verify`). Coins changed in the cache since the last commit are
   * not seen: commit first.
   */
  async *committedCoins(): AsyncIterable<[Outpoint, Coin]> {
    for await (const [key, value] of this.kv.iterate(prefixRange(prefixKey(Prefix.COIN)))) {
      yield [outpointFromKey(key), decodeRecord(key, value, decodeCoin)];
    }
  }

  /** A committed coin read straight from the store, bypassing the cache (for checks and tests). */
  async committedCoin(outpoint: Outpoint): Promise<Coin | undefined> {
    const key = coinKey(outpoint);
    const bytes = await this.kv.get(key);
    return bytes === undefined ? undefined : decodeRecord(key, bytes, decodeCoin);
  }

  // ---- writes ----

  /** One immediate atomic write of the records `fill` puts (blocks, header entries). */
  async write(fill: (writer: ChainWriter) => void): Promise<void> {
    const batch = this.kv.batch();
    try {
      fill(new ChainWriter(new WriteThroughSink(batch, this.stagedWrites)));
    } catch (err) {
      batch.discard();
      throw err;
    }
    await this.kv.write(batch, { sync: this.sync });
  }

  /** Stores a received block and its header entry together (one atomic write). */
  async storeBlock(block: Block, record: HeaderRecord): Promise<void> {
    await this.write((w) => {
      w.putBlock(block);
      w.putHeader(record);
    });
  }

  /**
   * Stages the enabled indexes' entries for a block joining the main chain at `height`: txindex
   * (txid -> offset and length inside the block) and address index (script hash -> outputs).
   */
  indexBlock(block: Block, height: number): void {
    this.forEachIndexed(block, (txid, tx, location) => {
      if (this.txIndex) this.staged.putTxLocation(txid, location);
      if (this.addressIndex) {
        for (const [index, out] of tx.outputs.entries()) {
          this.staged.putAddressOutput(
            out.scriptPubKey,
            { txid, index },
            { height, value: out.value },
          );
        }
      }
    });
  }

  /** Stages the removal of what `indexBlock` added, for a block leaving the main chain. */
  unindexBlock(block: Block): void {
    this.forEachIndexed(block, (txid, tx) => {
      if (this.txIndex) this.staged.delTxLocation(txid);
      if (this.addressIndex) {
        for (const [index, out] of tx.outputs.entries()) {
          this.staged.delAddressOutput(out.scriptPubKey, { txid, index });
        }
      }
    });
  }

  private forEachIndexed(
    block: Block,
    visit: (txid: string, tx: Transaction, location: TxLocation) => void,
  ): void {
    if (!this.txIndex && !this.addressIndex) return;
    const blockHash = block.hash();
    let offset = 80 + compactSizeLength(block.transactions.length);
    for (const tx of block.transactions) {
      const length = tx.toBytes().length;
      visit(tx.txid(), tx, { blockHash, offset, length });
      offset += length;
    }
  }

  /**
   * Makes the chainstate of `tip` durable: the staged writes, the UTXO cache's dirty coins and the
   * tip record in one atomic batch (or, above `maxBatchOps`, in chunks bracketed by the torn-state
   * marker). On success the staging area is empty and the cache clean; on failure both are kept and
   * the commit can be retried. `evictCoins` also drops the cache's clean entries afterwards.
   */
  async commit(tip: ChainPoint, options: { evictCoins?: boolean } = {}): Promise<CommitResult> {
    if (this.committing) throw new Error("ChainStore.commit: a commit is already in progress");
    this.committing = true;
    try {
      return await this.commitNow(tip, options);
    } finally {
      this.committing = false;
    }
  }

  private async commitNow(
    tip: ChainPoint,
    options: { evictCoins?: boolean },
  ): Promise<CommitResult> {
    const operations = this.stagedWrites.size + this.coins.dirtyCount + 1;
    let result: CommitResult;
    let pending: ReturnType<UtxoCache["flush"]>;
    if (operations <= this.maxBatchOps) {
      const batch = this.kv.batch();
      this.stagedWrites.writeTo(batch);
      pending = this.coins.flush(batch);
      batch.put(tipKey(), encodeTip({ best: tip }));
      await this.kv.write(batch, { sync: this.sync });
      result = { batches: 1, operations: batch.length, coins: pending.writes };
    } else {
      const marker = this.kv.batch();
      const from = this.tipRecord.best;
      marker.put(
        tipKey(),
        encodeTip(from === undefined ? { flushingTo: tip } : { best: from, flushingTo: tip }),
      );
      await this.kv.write(marker, { sync: this.sync });
      this.tipRecord = { ...this.tipRecord, flushingTo: tip };
      const sink = new ChunkedSink(this.kv, this.maxBatchOps);
      try {
        this.stagedWrites.writeTo(sink);
        await sink.writeFull();
        // Slices smaller than a batch, and a turn of the event loop once about 20 ms of work has
        // piled up: every turn also runs whatever the loop holds (timers, V8's GC tasks), which
        // in the utxo-write bench cost more than the commit itself when taken after every slice.
        const slice = Math.max(1, Math.floor(this.maxBatchOps / 3));
        let sinceYield = performance.now();
        pending = await this.coins.flushInSlices(sink, slice, async () => {
          await sink.writeFull();
          if (performance.now() - sinceYield >= COMMIT_YIELD_AFTER_MS) {
            await new Promise<void>((resolve) => setImmediate(resolve));
            sinceYield = performance.now();
          }
        });
        sink.put(tipKey(), encodeTip({ best: tip }));
        await sink.writeAll({ sync: this.sync });
      } catch (err) {
        sink.discard();
        throw err;
      }
      result = {
        batches: sink.batchesWritten + 1,
        operations: sink.operations + 1,
        coins: pending.writes,
      };
    }
    pending.complete(options.evictCoins ? { evict: true } : {});
    this.stagedWrites.clear();
    this.tipRecord = { best: tip };
    return result;
  }

  /** Closes the store. Staged writes and dirty coins not committed are dropped, by design. */
  async close(): Promise<void> {
    await this.kv.close();
  }
}
