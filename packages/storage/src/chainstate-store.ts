import {
  type Block,
  BlockHeader,
  blockCreatedCoins,
  blockSpentOutpoints,
  type ChainStateStore,
  type CoinEntry,
  type ConnectCommit,
  type DisconnectCommit,
  type LoadedChainState,
  type Outpoint,
  restoredCoins,
  type StoredHeader,
  UndoMismatchError,
  type UtxoView,
} from "@starling/chain";
import { ChainStore, type ChainStoreOptions, type TornFlush } from "./chain-store.ts";
import { InconsistentStateError } from "./errors.ts";
import type { KvStore } from "./kv-store.ts";
import { prefixRange } from "./kv-store.ts";
import { Prefix, prefixKey, tipKey } from "./layout.ts";
import type { Coin } from "./records/coin.ts";
import { type HeaderRecord, HeaderStatus, headerRecordParent } from "./records/header-record.ts";
import type { ChainPoint } from "./records/tip.ts";

/**
 * `@starling/chain`'s `ChainStateStore` over a `ChainStore`: what the chain state machine needs,
 * written the way docs/storage.md and docs/chainstate.md describe.
 *
 * - Received blocks and header entries are written at once (durable when the promise resolves).
 * - Connected and disconnected blocks change the UTXO cache and the staged records (undo data,
 *   main-chain entries, header status, indexes) in memory; the chainstate reaches the disk in one
 *   atomic batch with its tip (`ChainStore.commit`) when the flush policy says so: every
 *   `flushEveryBlocks` blocks, when the UTXO cache is over its budget (then its clean entries are
 *   evicted too), when the staged records exceed `maxStagedBytes`, on `flush()` and on `close()`.
 *   The decision is taken at the start of the next connect or disconnect, so that a failed write
 *   leaves the store at the old tip (the change is not applied) and can be retried.
 * - After a crash the disk holds the chainstate of the last committed tip; the chain reconnects
 *   the stored blocks after it. A commit split by `maxBatchOps` and torn by a crash is replayed
 *   at `open` (Bitcoin Core's ReplayBlocks) before anything reads the chainstate.
 */

export interface KvChainStateStoreOptions extends ChainStoreOptions {
  /** Commit the chainstate at least every this many connected or disconnected blocks (default 100). */
  flushEveryBlocks?: number;
  /** Commit when the staged records (undo data, indexes) exceed this many bytes (default 64 MiB). */
  maxStagedBytes?: number;
}

export const DEFAULT_FLUSH_EVERY_BLOCKS = 100;
export const DEFAULT_MAX_STAGED_BYTES = 64 * 1024 * 1024;

/** What `open` repaired: a split commit from `from` to `to` that a crash interrupted. */
export interface RepairedFlush {
  readonly from: ChainPoint | undefined;
  readonly to: ChainPoint;
}

function toRecord(entry: StoredHeader): HeaderRecord {
  return {
    header: entry.header.toBytes(),
    height: entry.height,
    chainWork: entry.chainWork,
    status: entry.status,
    txCount: entry.txCount,
  };
}

export class KvChainStateStore implements ChainStateStore {
  readonly kv: KvStore;
  readonly flushEveryBlocks: number;
  readonly maxStagedBytes: number;
  private readonly options: ChainStoreOptions;
  private store: ChainStore;
  /** The tip of the chainstate in memory (the disk's is `store.tip`, possibly older). */
  private tip: ChainPoint | undefined;
  /** Blocks connected or disconnected since the last commit. */
  private pending = 0;
  private repairedFlush: RepairedFlush | undefined;

  private constructor(kv: KvStore, options: KvChainStateStoreOptions, store: ChainStore) {
    this.kv = kv;
    this.options = options;
    this.store = store;
    this.tip = store.tip;
    this.flushEveryBlocks = options.flushEveryBlocks ?? DEFAULT_FLUSH_EVERY_BLOCKS;
    this.maxStagedBytes = options.maxStagedBytes ?? DEFAULT_MAX_STAGED_BYTES;
    if (!(this.flushEveryBlocks >= 1)) throw new RangeError("flushEveryBlocks must be at least 1");
  }

  /**
   * Opens the chain store over `kv` (its start-up checks and errors: WrongNetworkError,
   * SchemaVersionError, InconsistentStateError, ...), then replays an interrupted split commit if
   * the tip record carries the torn-state marker.
   */
  static async open(kv: KvStore, options: KvChainStateStoreOptions): Promise<KvChainStateStore> {
    const store = await ChainStore.open(kv, options);
    const adapter = new KvChainStateStore(kv, options, store);
    const torn = store.recovery;
    if (torn !== undefined) {
      await adapter.replayTornFlush(torn);
      adapter.repairedFlush = { from: torn.from, to: torn.to };
    }
    return adapter;
  }

  /** The chain store underneath (the txindex, the address index, raw reads). */
  get chainStore(): ChainStore {
    return this.store;
  }

  /** The split commit `open` replayed, if any. */
  get repaired(): RepairedFlush | undefined {
    return this.repairedFlush;
  }

  /** Connected or disconnected blocks not yet committed to the disk. */
  get pendingBlocks(): number {
    return this.pending;
  }

  get view(): UtxoView {
    return this.store.coins;
  }

  async load(): Promise<LoadedChainState> {
    const headers: StoredHeader[] = [];
    for await (const [hash, record] of this.store.headers()) {
      headers.push({
        hash,
        header: BlockHeader.fromBytes(record.header),
        height: record.height,
        chainWork: record.chainWork,
        status: record.status,
        txCount: record.txCount,
      });
    }
    return {
      headers,
      tip: this.tip,
      ...(this.repairedFlush === undefined ? {} : { repaired: this.repairedFlush }),
    };
  }

  async putHeaders(entries: readonly StoredHeader[]): Promise<void> {
    if (entries.length === 0) return;
    await this.store.write((w) => {
      for (const entry of entries) w.putHeader(toRecord(entry));
    });
  }

  async putBlock(block: Block, entry: StoredHeader): Promise<void> {
    await this.store.storeBlock(block, toRecord(entry));
  }

  getBlock(hash: string): Promise<Block | undefined> {
    return this.store.getBlock(hash);
  }

  getUndo(hash: string): Promise<readonly Coin[] | undefined> {
    return this.store.getUndo(hash);
  }

  getMainChainHash(height: number): Promise<string | undefined> {
    return this.store.getMainChainHash(height);
  }

  async prefetch(outpoints: Iterable<Outpoint>): Promise<void> {
    await this.store.coins.prefetch(outpoints);
  }

  async commitConnect(change: ConnectCommit): Promise<void> {
    const hash = change.block.hash();
    const parent = change.height === 0 ? undefined : change.block.header.prevBlock;
    if (this.tip?.hash !== parent) {
      throw new InconsistentStateError(`connecting ${hash}: it does not build on the tip`);
    }
    await this.flushIfDue();
    const coins = this.store.coins;
    await coins.prefetch(change.spent);
    for (const s of change.spent) {
      if (coins.getCoin(s.txid, s.index) === undefined) {
        throw new InconsistentStateError(`connecting ${hash}: ${s.txid}:${s.index} is not unspent`);
      }
    }
    // From here on nothing can fail: the change is applied whole.
    for (const s of change.spent) coins.spendCoin(s.txid, s.index);
    for (const c of change.created) coins.addCoin(c.txid, c.index, c.coin);
    const staged = this.store.staged;
    staged.putUndo(
      hash,
      change.spent.map((s) => s.coin),
    );
    staged.setMainChain(change.height, hash);
    staged.putHeader(toRecord(change.entry));
    this.store.indexBlock(change.block, change.height);
    this.tip = { hash, height: change.height };
    this.pending++;
  }

  async commitDisconnect(change: DisconnectCommit): Promise<void> {
    const hash = change.block.hash();
    if (this.tip?.hash !== hash || change.height === 0) {
      throw new InconsistentStateError(`disconnecting ${hash}: it is not the tip`);
    }
    await this.flushIfDue();
    const coins = this.store.coins;
    await coins.prefetch([...change.removed, ...change.restored]);
    for (const r of change.removed) {
      if (coins.getCoin(r.txid, r.index) === undefined) {
        throw new InconsistentStateError(`disconnecting ${hash}: ${r.txid}:${r.index} is missing`);
      }
    }
    for (const r of change.restored) {
      if (coins.getCoin(r.txid, r.index) !== undefined) {
        throw new InconsistentStateError(`disconnecting ${hash}: ${r.txid}:${r.index} is unspent`);
      }
    }
    for (const r of change.removed) coins.spendCoin(r.txid, r.index);
    for (const r of change.restored) coins.addCoin(r.txid, r.index, r.coin);
    // The undo data stays: a split commit replayed after a crash may need it (docs/storage.md).
    this.store.staged.unsetMainChain(change.height);
    this.store.unindexBlock(change.block);
    this.tip = { hash: change.block.header.prevBlock, height: change.height - 1 };
    this.pending++;
  }

  private async flushIfDue(): Promise<void> {
    if (
      this.pending >= this.flushEveryBlocks ||
      this.store.coins.isFull() ||
      this.store.stagedSize.bytes >= this.maxStagedBytes
    ) {
      await this.flush();
    }
  }

  /** Commits the chainstate of the current tip (UTXO cache, staged records, tip: one batch). */
  async flush(): Promise<void> {
    if (this.tip === undefined || this.pending === 0) return;
    await this.store.commit(this.tip, { evictCoins: this.store.coins.isFull() });
    this.pending = 0;
  }

  async *utxos(): AsyncIterable<CoinEntry> {
    await this.flush();
    for await (const [op, coin] of this.store.committedCoins()) {
      yield { txid: op.txid, index: op.index, coin };
    }
  }

  /**
   * Deletes the UTXO set, undo data, main-chain entries, indexes and the tip in one atomic batch
   * (blocks and header entries stay), then reopens the chain store so that its cache and staging
   * area start empty.
   */
  async resetChainState(): Promise<void> {
    await this.flush();
    const batch = this.kv.batch();
    try {
      for (const prefix of [
        Prefix.COIN,
        Prefix.UNDO,
        Prefix.MAIN_CHAIN,
        Prefix.TX_INDEX,
        Prefix.ADDRESS_INDEX,
      ]) {
        for await (const [key] of this.kv.iterate(prefixRange(prefixKey(prefix)))) batch.del(key);
      }
      batch.del(tipKey());
    } catch (error) {
      batch.discard();
      throw error;
    }
    await this.kv.write(batch, { sync: this.options.sync ?? true });
    this.store = await ChainStore.open(this.kv, this.options);
    this.tip = undefined;
    this.pending = 0;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.store.close();
  }

  /**
   * Bitcoin Core's ReplayBlocks for a commit split into several batches and interrupted: the
   * UTXO set is a mix of the states at `from` and `to`. Disconnect the blocks from `from` back to
   * the fork point with `to` (undo data of committed blocks is on disk; restoring a coin may
   * overwrite it, removing one may find it gone), then connect the blocks up to `to` (spends may
   * find their coin gone, creations may overwrite), with each block's undo data taken from the
   * store when the interrupted commit wrote it (staged records are written before any coin, so
   * when a spend reached the disk its undo data did too), else rebuilt from the coins, which are
   * then untouched. Then commit `to`. Never guesses: a missing block or undo record that the
   * replay needs raises InconsistentStateError.
   */
  private async replayTornFlush(torn: TornFlush): Promise<void> {
    const store = this.store;
    const parentOf = async (point: ChainPoint): Promise<ChainPoint> => {
      const record = await store.getHeader(point.hash);
      if (record === undefined) {
        throw new InconsistentStateError(`replay: header ${point.hash} is missing`);
      }
      return { hash: headerRecordParent(record), height: point.height - 1 };
    };
    const rollback: ChainPoint[] = [];
    const forward: ChainPoint[] = [];
    let a = torn.from;
    let b: ChainPoint | undefined = torn.to;
    if (a === undefined) {
      while (b !== undefined) {
        forward.push(b);
        b = b.height === 0 ? undefined : await parentOf(b);
      }
    } else {
      while (a.height > b.height) {
        rollback.push(a);
        a = await parentOf(a);
      }
      while (b.height > a.height) {
        forward.push(b);
        b = await parentOf(b);
      }
      while (a.hash !== b.hash) {
        if (a.height === 0) throw new InconsistentStateError("replay: the two tips share no block");
        rollback.push(a);
        forward.push(b);
        a = await parentOf(a);
        b = await parentOf(b);
      }
    }

    const coins = store.coins;
    const blockAt = async (point: ChainPoint): Promise<Block> => {
      const block = await store.getBlock(point.hash);
      if (block === undefined) {
        throw new InconsistentStateError(
          `replay: block ${point.hash} at ${point.height} is missing`,
        );
      }
      return block;
    };

    for (const point of rollback) {
      const block = await blockAt(point);
      const undo = await store.getUndo(point.hash);
      if (undo === undefined) {
        throw new InconsistentStateError(`replay: undo data of ${point.hash} is missing`);
      }
      let restored: CoinEntry[];
      try {
        restored = restoredCoins(block, undo);
      } catch (error) {
        if (error instanceof UndoMismatchError) throw new InconsistentStateError(error.message);
        throw error;
      }
      const created = blockCreatedCoins(block, point.height);
      await coins.prefetch([...created, ...restored]);
      for (const c of created) coins.spendCoin(c.txid, c.index);
      for (const r of restored) coins.addCoin(r.txid, r.index, r.coin, true);
      store.unindexBlock(block);
      if (point.height > torn.to.height) store.staged.unsetMainChain(point.height);
    }

    for (const point of forward.reverse()) {
      const block = await blockAt(point);
      const record = await store.getHeader(point.hash);
      if (record === undefined) {
        throw new InconsistentStateError(`replay: header ${point.hash} is missing`);
      }
      let undo: Coin[] = [];
      if (point.height > 0) {
        const spent = blockSpentOutpoints(block);
        const created = blockCreatedCoins(block, point.height);
        await coins.prefetch([...spent, ...created]);
        const storedUndo = await store.getUndo(point.hash);
        if (storedUndo !== undefined) {
          undo = storedUndo;
        } else {
          for (const op of spent) {
            const coin = coins.getCoin(op.txid, op.index);
            if (coin === undefined) {
              throw new InconsistentStateError(
                `replay: ${point.hash} spends ${op.txid}:${op.index}, gone, and has no undo data`,
              );
            }
            undo.push(coin);
          }
        }
        for (const op of spent) coins.spendCoin(op.txid, op.index);
        for (const c of created) coins.addCoin(c.txid, c.index, c.coin, true);
        store.indexBlock(block, point.height);
      }
      store.staged.putUndo(point.hash, undo);
      store.staged.setMainChain(point.height, point.hash);
      store.staged.putHeader({
        ...record,
        status: record.status | HeaderStatus.VALID_SCRIPTS | HeaderStatus.HAVE_UNDO,
      });
    }
    await store.commit(torn.to, { evictCoins: true });
    this.tip = torn.to;
    this.pending = 0;
  }
}
