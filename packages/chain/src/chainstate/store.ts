import type { Coin, CoinEntry, UtxoView } from "../consensus/utxo-view.ts";
import type { Block } from "../primitives/block.ts";
import type { BlockHeader } from "../primitives/block-header.ts";
import type { ChainPoint } from "./block-index.ts";

/**
 * What the chain state machine needs from storage (btcd style: the consumer declares the
 * interface). `@starling/storage` implements it over RocksDB (`KvChainStateStore`);
 * `MemoryChainStateStore` implements it in memory for pure tests.
 *
 * The contract that makes crashes harmless:
 * - `putHeaders` and `putBlock` are durable when they resolve (a received block is never lost);
 * - `commitConnect` / `commitDisconnect` move the chainstate (UTXO set, undo data, main-chain
 *   entries, indexes, tip) from one tip to the next as one unit: when one rejects, the store's
 *   state is the old tip's, unchanged. The store may keep several such commits in memory and write
 *   them later in one atomic batch, so that the disk always holds the chainstate of exactly one tip
 *   (not necessarily the latest: on restart the chain reconnects the stored blocks after it);
 * - `load` returns a consistent state: a store that can be torn (a flush split into several
 *   batches) repairs itself before answering, or refuses to open.
 */

/** An output, as `TxInput` names the one it spends. */
export interface Outpoint {
  readonly txid: string;
  readonly index: number;
}

/** One header index entry as stored. */
export interface StoredHeader {
  /** Display hex of the block hash (the hash of `header`). */
  readonly hash: string;
  readonly header: BlockHeader;
  readonly height: number;
  readonly chainWork: bigint;
  /** BlockStatus bits. */
  readonly status: number;
  /** Transactions in the block, 0 until its data is stored. */
  readonly txCount: number;
}

/** The store's state at start-up. */
export interface LoadedChainState {
  /** Every header entry, in any order. */
  readonly headers: readonly StoredHeader[];
  /** The tip the stored chainstate belongs to; undefined before the genesis block is connected. */
  readonly tip: ChainPoint | undefined;
  /** Set when the store had to repair an interrupted flush while loading (for logs). */
  readonly repaired?: { readonly from: ChainPoint | undefined; readonly to: ChainPoint };
}

/** A block joining the main chain on top of the current tip. */
export interface ConnectCommit {
  readonly block: Block;
  readonly height: number;
  /** The block's header entry with its new status (VALID_SCRIPTS, HAVE_UNDO). */
  readonly entry: StoredHeader;
  /**
   * Coins the block spends from the set (not those created earlier in the block), in spending
   * order: the deletions, and the block's undo data.
   */
  readonly spent: readonly CoinEntry[];
  /** Coins the block adds to the set. */
  readonly created: readonly CoinEntry[];
}

/** The tip leaving the main chain; its parent becomes the tip. */
export interface DisconnectCommit {
  readonly block: Block;
  readonly height: number;
  /** Coins the block had added, to delete. */
  readonly removed: readonly Outpoint[];
  /** Coins the block had spent (from its undo data), to put back. */
  readonly restored: readonly CoinEntry[];
}

export interface ChainStateStore {
  /** Every header entry and the chainstate's tip (after repairing a torn flush, if any). */
  load(): Promise<LoadedChainState>;

  /** Stores header entries (new ones, or status changes). Durable when it resolves. */
  putHeaders(entries: readonly StoredHeader[]): Promise<void>;
  /** Stores a block with its header entry. Durable when it resolves. */
  putBlock(block: Block, entry: StoredHeader): Promise<void>;
  getBlock(hash: string): Promise<Block | undefined>;
  /** The coins the block spent, in spending order; undefined when the block was never connected. */
  getUndo(hash: string): Promise<readonly Coin[] | undefined>;
  /** The main-chain block hash at `height` as the store records it. */
  getMainChainHash(height: number): Promise<string | undefined>;

  /**
   * The UTXO set as of the current tip, read synchronously: consensus checks run on it. Reliable
   * for outpoints passed to `prefetch` since the last commit; undefined means missing or spent.
   */
  readonly view: UtxoView;
  /** Makes `view` answer for these outpoints (one bulk read of those not in memory). */
  prefetch(outpoints: Iterable<Outpoint>): Promise<void>;

  /** Applies a connected block and makes `block` the tip (see the contract above). */
  commitConnect(change: ConnectCommit): Promise<void>;
  /** Undoes the tip block and makes its parent the tip (see the contract above). */
  commitDisconnect(change: DisconnectCommit): Promise<void>;

  /**
   * The UTXO set as of the current tip in canonical order: txid in internal byte order (the
   * reverse of the display hex) ascending, then index ascending.
   */
  utxos(): AsyncIterable<CoinEntry>;

  /**
   * Deletes the chainstate (UTXO set, undo data, main-chain entries, indexes, tip) in one atomic
   * step, keeping blocks and header entries: the start of a reindex.
   */
  resetChainState(): Promise<void>;

  /** Writes whatever the store holds in memory, so that the disk has the current tip. */
  flush(): Promise<void>;
  /** Flushes and releases the store. */
  close(): Promise<void>;
}
