import type { Coin, CoinEntry, UtxoView } from "../consensus/utxo-view.ts";
import { outpointKey } from "../consensus/utxo-view.ts";
import type { Block } from "../primitives/block.ts";
import type { ChainPoint } from "./block-index.ts";
import type {
  ChainStateStore,
  ConnectCommit,
  DisconnectCommit,
  LoadedChainState,
  Outpoint,
  StoredHeader,
} from "./store.ts";
import { compareOutpoints } from "./utxo-commitment.ts";

/** Test hooks: called before a commit applies anything; a throw makes the commit fail. */
export interface MemoryStoreHooks {
  beforeCommit?(kind: "connect" | "disconnect", height: number): void;
}

/**
 * A `ChainStateStore` in memory, for pure tests of the chain state machine and tools. Every commit
 * is trivially atomic. It is strict where a real store would hide a bug: spending or removing a
 * coin that is not there throws, leaving the store unchanged.
 */
export class MemoryChainStateStore implements ChainStateStore {
  private readonly headers = new Map<string, StoredHeader>();
  private readonly blocks = new Map<string, Block>();
  private readonly undo = new Map<string, readonly Coin[]>();
  private readonly mainChain = new Map<number, string>();
  private readonly coins = new Map<string, CoinEntry>();
  private tip: ChainPoint | undefined;
  hooks: MemoryStoreHooks;
  /** Commits applied (connects and disconnects). */
  commits = 0;

  constructor(hooks: MemoryStoreHooks = {}) {
    this.hooks = hooks;
  }

  readonly view: UtxoView = {
    getCoin: (txid, index) => this.coins.get(outpointKey(txid, index))?.coin,
  };

  async load(): Promise<LoadedChainState> {
    return { headers: [...this.headers.values()], tip: this.tip };
  }

  async putHeaders(entries: readonly StoredHeader[]): Promise<void> {
    for (const entry of entries) this.headers.set(entry.hash, entry);
  }

  async putBlock(block: Block, entry: StoredHeader): Promise<void> {
    this.blocks.set(entry.hash, block);
    this.headers.set(entry.hash, entry);
  }

  async getBlock(hash: string): Promise<Block | undefined> {
    return this.blocks.get(hash);
  }

  async getUndo(hash: string): Promise<readonly Coin[] | undefined> {
    return this.undo.get(hash);
  }

  async getMainChainHash(height: number): Promise<string | undefined> {
    return this.mainChain.get(height);
  }

  /** The stored header entry of a block (for tests). */
  header(hash: string): StoredHeader | undefined {
    return this.headers.get(hash);
  }

  /** The chainstate's tip (for tests). */
  get storedTip(): ChainPoint | undefined {
    return this.tip;
  }

  async prefetch(_outpoints: Iterable<Outpoint>): Promise<void> {}

  async commitConnect(change: ConnectCommit): Promise<void> {
    const hash = change.block.hash();
    const parent = change.height === 0 ? undefined : change.block.header.prevBlock;
    if (this.tip?.hash !== parent) {
      throw new Error(`MemoryChainStateStore: ${hash} does not build on the tip`);
    }
    this.hooks.beforeCommit?.("connect", change.height);
    for (const spent of change.spent) {
      if (!this.coins.has(outpointKey(spent.txid, spent.index))) {
        throw new Error(`MemoryChainStateStore: spends missing ${spent.txid}:${spent.index}`);
      }
    }
    for (const spent of change.spent) this.coins.delete(outpointKey(spent.txid, spent.index));
    for (const created of change.created) {
      this.coins.set(outpointKey(created.txid, created.index), created);
    }
    this.undo.set(
      hash,
      change.spent.map((s) => s.coin),
    );
    this.mainChain.set(change.height, hash);
    this.headers.set(hash, change.entry);
    this.tip = { hash, height: change.height };
    this.commits++;
  }

  async commitDisconnect(change: DisconnectCommit): Promise<void> {
    const hash = change.block.hash();
    if (this.tip?.hash !== hash) {
      throw new Error(`MemoryChainStateStore: ${hash} is not the tip`);
    }
    this.hooks.beforeCommit?.("disconnect", change.height);
    for (const removed of change.removed) {
      if (!this.coins.has(outpointKey(removed.txid, removed.index))) {
        throw new Error(`MemoryChainStateStore: removes missing ${removed.txid}:${removed.index}`);
      }
    }
    for (const removed of change.removed) {
      this.coins.delete(outpointKey(removed.txid, removed.index));
    }
    for (const restored of change.restored) {
      this.coins.set(outpointKey(restored.txid, restored.index), restored);
    }
    this.mainChain.delete(change.height);
    this.tip = { hash: change.block.header.prevBlock, height: change.height - 1 };
    this.commits++;
  }

  async *utxos(): AsyncIterable<CoinEntry> {
    yield* [...this.coins.values()].sort(compareOutpoints);
  }

  /** Coins in the set (for tests). */
  get coinCount(): number {
    return this.coins.size;
  }

  async resetChainState(): Promise<void> {
    this.coins.clear();
    this.undo.clear();
    this.mainChain.clear();
    this.tip = undefined;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
