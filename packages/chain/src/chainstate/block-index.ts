import { MEDIAN_TIME_SPAN } from "../consensus/constants.ts";
import { medianTimePast } from "../consensus/median-time.ts";
import { addBlockWork } from "../pow/work.ts";
import type { BlockHeader } from "../primitives/block-header.ts";

/**
 * The block tree in memory (Bitcoin Core's BlockMap of CBlockIndex plus CChain): one entry per
 * known header with its parent, height, cumulative work and status, the main chain as a
 * height-indexed array, and the best known header.
 */

/**
 * Status bits of an entry, the same values as `HeaderStatus` of @starling/storage (the storage
 * adapter's test checks they agree), so that the bits are stored as they are.
 */
export const BlockStatus = {
  /** The full block is stored. */
  HAVE_DATA: 1,
  /** Undo data is stored: the block was connected at least once. */
  HAVE_UNDO: 2,
  /** The header passed its checks (proof of work, difficulty, time). */
  VALID_HEADER: 4,
  /** The block passed every check, scripts included (it was connected). */
  VALID_SCRIPTS: 8,
  /** The block itself broke a consensus rule. */
  FAILED: 16,
  /** An ancestor broke a consensus rule. */
  FAILED_CHILD: 32,
} as const;
export type BlockStatus = (typeof BlockStatus)[keyof typeof BlockStatus];

export const BLOCK_FAILED_MASK: number = BlockStatus.FAILED | BlockStatus.FAILED_CHILD;

/** Core's GetSkipHeight: the height the skip pointer of a block at `height` points to. */
function skipHeight(height: number): number {
  if (height < 2) return 0;
  const invertLowestOne = (n: number): number => n & (n - 1);
  return height & 1 ? invertLowestOne(invertLowestOne(height - 1)) + 1 : invertLowestOne(height);
}

/** One header in the tree (Core's CBlockIndex). */
export class BlockEntry {
  readonly hash: string;
  readonly header: BlockHeader;
  readonly parent: BlockEntry | undefined;
  readonly height: number;
  /** Cumulative work of the chain ending here. */
  readonly chainWork: bigint;
  /** Order in which headers entered the index (ties of the best header go to the first). */
  readonly sequence: number;
  /** A far ancestor, so that `ancestor()` takes O(log n) steps (Core's pskip). */
  readonly skip: BlockEntry | undefined;
  /** BlockStatus bits. */
  status: number;
  /** Transactions in the block; 0 until its data arrives. */
  txCount: number;
  /**
   * Order in which block data arrived in this run (0: loaded from the store): of two chains with
   * equal work, the one whose tip arrived first is preferred (Core's nSequenceId).
   */
  dataSequence = 0;
  /** This block's data and that of every ancestor are stored (Core's nChainTx != 0). */
  chainData = false;
  #medianTimePast: number | undefined;

  constructor(
    header: BlockHeader,
    parent: BlockEntry | undefined,
    init: { hash: string; status: number; txCount: number; sequence: number; chainWork?: bigint },
  ) {
    this.hash = init.hash;
    this.header = header;
    this.parent = parent;
    this.height = parent === undefined ? 0 : parent.height + 1;
    this.chainWork = init.chainWork ?? addBlockWork(parent?.chainWork ?? 0n, header.bits);
    this.status = init.status;
    this.txCount = init.txCount;
    this.sequence = init.sequence;
    this.skip = parent?.ancestor(skipHeight(this.height));
  }

  get failed(): boolean {
    return (this.status & BLOCK_FAILED_MASK) !== 0;
  }

  get haveData(): boolean {
    return (this.status & BlockStatus.HAVE_DATA) !== 0;
  }

  /** The ancestor at `height` (this entry at its own height), undefined above it or below 0. */
  ancestor(height: number): BlockEntry | undefined {
    if (height > this.height || height < 0) return undefined;
    let walk: BlockEntry = this;
    while (walk.height > height) {
      const skip = walk.skip;
      const skipH = skip?.height ?? -1;
      const prevSkipH = skipHeight(walk.height - 1);
      // Core's rule: take the skip pointer unless the parent's skip lands closer to the target.
      if (
        skip !== undefined &&
        (skipH === height || (skipH > height && !(prevSkipH < skipH - 2 && prevSkipH >= height)))
      ) {
        walk = skip;
      } else {
        walk = walk.parent!;
      }
    }
    return walk;
  }

  /** Median of the last 11 block times ending with this block. */
  get medianTimePast(): number {
    if (this.#medianTimePast === undefined) {
      const times: number[] = [];
      let walk: BlockEntry | undefined = this;
      for (let i = 0; i < MEDIAN_TIME_SPAN && walk !== undefined; i++) {
        times.push(walk.header.time);
        walk = walk.parent;
      }
      this.#medianTimePast = medianTimePast(times.reverse());
    }
    return this.#medianTimePast;
  }

  /** Hash and height. */
  toPoint(): ChainPoint {
    return { hash: this.hash, height: this.height };
  }
}

/** A block on a chain: its hash (display hex) and height. */
export interface ChainPoint {
  readonly hash: string;
  readonly height: number;
}

/** The last common ancestor of two entries (Core's LastCommonAncestor). */
export function lastCommonAncestor(a: BlockEntry, b: BlockEntry): BlockEntry | undefined {
  let x: BlockEntry | undefined = a.height > b.height ? a.ancestor(b.height) : a;
  let y: BlockEntry | undefined = b.height > a.height ? b.ancestor(a.height) : b;
  while (x !== undefined && y !== undefined && x !== y) {
    x = x.parent;
    y = y.parent;
  }
  return x === y ? x : undefined;
}

/**
 * Every known header by hash, the main chain by height and the best header (most work, not
 * failed). Mutated only by the chain state machine.
 */
export class BlockIndex {
  private readonly entries = new Map<string, BlockEntry>();
  /** The main chain: `chain[h]` is the block at height h; the last is the tip. */
  private readonly chain: BlockEntry[] = [];
  private best: BlockEntry | undefined;
  private nextSequence = 0;

  get size(): number {
    return this.entries.size;
  }

  get(hash: string): BlockEntry | undefined {
    return this.entries.get(hash);
  }

  has(hash: string): boolean {
    return this.entries.has(hash);
  }

  values(): IterableIterator<BlockEntry> {
    return this.entries.values();
  }

  /** Adds a header whose parent is known (or the genesis, with no parent). */
  add(
    header: BlockHeader,
    parent: BlockEntry | undefined,
    init: { hash: string; status: number; txCount?: number; chainWork?: bigint },
  ): BlockEntry {
    const entry = new BlockEntry(header, parent, {
      hash: init.hash,
      status: init.status,
      txCount: init.txCount ?? 0,
      sequence: this.nextSequence++,
      ...(init.chainWork === undefined ? {} : { chainWork: init.chainWork }),
    });
    this.entries.set(entry.hash, entry);
    this.considerBestHeader(entry);
    return entry;
  }

  /** The tip of the main chain (undefined before genesis is connected). */
  get tip(): BlockEntry | undefined {
    return this.chain.at(-1);
  }

  /** Height of the tip, -1 when the main chain is empty. */
  get height(): number {
    return this.chain.length - 1;
  }

  /** The main-chain block at `height`. */
  atHeight(height: number): BlockEntry | undefined {
    return height < 0 ? undefined : this.chain[height];
  }

  /** True when `entry` is on the main chain. */
  contains(entry: BlockEntry): boolean {
    return this.chain[entry.height] === entry;
  }

  /** Appends the tip's child to the main chain. */
  pushTip(entry: BlockEntry): void {
    if (entry.parent !== this.tip) throw new Error("BlockIndex.pushTip: not a child of the tip");
    this.chain.push(entry);
  }

  /** Removes the tip from the main chain and returns it. */
  popTip(): BlockEntry {
    const tip = this.chain.pop();
    if (tip === undefined) throw new Error("BlockIndex.popTip: the main chain is empty");
    return tip;
  }

  /** Replaces the main chain by the chain ending at `tip` (or none). */
  setTip(tip: BlockEntry | undefined): void {
    this.chain.length = tip === undefined ? 0 : tip.height + 1;
    for (let walk = tip; walk !== undefined; walk = walk.parent) this.chain[walk.height] = walk;
  }

  /** The header with the most work that is not failed (Core's pindexBestHeader). */
  get bestHeader(): BlockEntry | undefined {
    return this.best;
  }

  considerBestHeader(entry: BlockEntry): void {
    if (entry.failed) return;
    if (this.best === undefined || entry.chainWork > this.best.chainWork) this.best = entry;
  }

  /** Recomputes the best header from scratch (after invalidating part of the tree). */
  recomputeBestHeader(): void {
    this.best = undefined;
    for (const entry of this.entries.values()) {
      if (entry.failed) continue;
      if (
        this.best === undefined ||
        entry.chainWork > this.best.chainWork ||
        (entry.chainWork === this.best.chainWork && entry.sequence < this.best.sequence)
      ) {
        this.best = entry;
      }
    }
  }

  /** Every entry that descends from `entry` (not itself). */
  descendants(entry: BlockEntry): BlockEntry[] {
    const out: BlockEntry[] = [];
    for (const other of this.entries.values()) {
      if (other.height > entry.height && other.ancestor(entry.height) === entry) out.push(other);
    }
    return out;
  }

  /**
   * Core's block locator: hashes of the main chain (or of the chain ending at `from`) going back
   * from the tip, one by one for 10 blocks, then doubling the step, always ending with genesis.
   */
  locator(from: BlockEntry | undefined = this.tip): string[] {
    const hashes: string[] = [];
    let step = 1;
    let walk = from;
    while (walk !== undefined) {
      hashes.push(walk.hash);
      if (walk.height === 0) break;
      const height = Math.max(walk.height - step, 0);
      walk = this.contains(walk) ? this.chain[height] : walk.ancestor(height);
      if (hashes.length > 10) step *= 2;
    }
    return hashes;
  }

  /** The last main-chain block named in a locator (Core's FindForkInGlobalIndex); else genesis. */
  findFork(locator: readonly string[]): BlockEntry | undefined {
    for (const hash of locator) {
      const entry = this.entries.get(hash);
      if (entry === undefined) continue;
      if (this.contains(entry)) return entry;
      const tip = this.tip;
      if (tip !== undefined && tip.ancestor(entry.height) === entry) return entry;
    }
    return this.chain[0];
  }
}
