import { checkBlock, checkBlockHeader } from "../consensus/check-block.ts";
import { connectBlockChecks } from "../consensus/check-inputs.ts";
import { contextualCheckBlock } from "../consensus/contextual-block.ts";
import { contextualCheckBlockHeader } from "../consensus/contextual-header.ts";
import {
  createInlineScriptJobRunner,
  type ScriptJobRunner,
} from "../consensus/script-job-runner.ts";
import type { Coin, CoinEntry } from "../consensus/utxo-view.ts";
import { BlockValidationError } from "../errors.ts";
import type { NetworkParams } from "../params/network-params.ts";
import type { Block } from "../primitives/block.ts";
import type { BlockHeader } from "../primitives/block-header.ts";
import {
  blockCreatedCoins,
  blockSpentOutpoints,
  restoredCoins,
  UndoMismatchError,
} from "./block-changes.ts";
import { type BlockEntry, BlockIndex, BlockStatus, lastCommonAncestor } from "./block-index.ts";
import { ChainStateCorruptError, NonContinuousHeadersError, UnknownParentError } from "./errors.ts";
import { ChainEventEmitter, type ChainTip } from "./events.ts";
import type { ChainStateComponents, ChainStateInit, ConnectProgress } from "./options.ts";
import { OrphanPool } from "./orphans.ts";
import type { ChainStateStore, Outpoint, StoredHeader } from "./store.ts";
import { type VerifyOptions, type VerifyReport, verifyChainState } from "./verify.ts";

/**
 * The chain state machine: Bitcoin Core's AcceptBlockHeader, AcceptBlock, ActivateBestChain,
 * ConnectTip and DisconnectTip over a `ChainStateStore`.
 *
 * - Headers enter the block index after their checks; the best header is the one with most work.
 * - Blocks are stored as soon as their header is accepted and they pass CheckBlock, whether or not
 *   they end up on the main chain; a block whose parent is unknown waits in the orphan pool.
 * - The main chain follows the most work among blocks whose data and ancestors' data are stored:
 *   a reorganisation disconnects back to the fork point (undo data restores the spent coins) and
 *   connects forward block by block. A block that fails is marked invalid with its descendants,
 *   and the chain falls back to the best valid one.
 * - Every mutation runs alone (one at a time, in call order); reads are synchronous and always see
 *   a consistent tip.
 * - No clock is read: callers pass `now` (seconds, the node's adjusted time).
 */

/** A header index entry as seen from outside. */
export interface BlockInfo {
  readonly hash: string;
  readonly height: number;
  readonly header: BlockHeader;
  readonly chainWork: bigint;
  /** BlockStatus bits. */
  readonly status: number;
  readonly txCount: number;
  readonly haveData: boolean;
  /** The block or an ancestor broke a rule. */
  readonly invalid: boolean;
  readonly onMainChain: boolean;
  readonly medianTimePast: number;
}

export interface AcceptHeaderOptions {
  /** The node's adjusted time, Unix seconds (the 2-hour future limit is judged against it). */
  readonly now: number;
}

export interface ProcessBlockOptions {
  /** The node's adjusted time, Unix seconds. */
  readonly now: number;
  /** Who sent the block (a peer id), reported back in `block:invalid`. */
  readonly source?: string;
  /** Aborts script checks and further connections; the state stays at the last committed tip. */
  readonly signal?: AbortSignal;
}

/**
 * What became of a block: `connected` (on the main chain now), `stored` (kept, not on the main
 * chain: a side chain, or an ancestor's data is still missing), `orphan` (parent unknown: held in
 * the orphan pool), `duplicate` (its data was already stored).
 */
export type ProcessBlockStatus = "connected" | "stored" | "orphan" | "duplicate";

export interface ProcessBlockResult {
  readonly hash: string;
  readonly status: ProcessBlockStatus;
  /** Height of the block, when its header is in the index. */
  readonly height: number | undefined;
  /** For an orphan: the first missing ancestor, to ask peers for. */
  readonly missingParent?: string;
  readonly tip: ChainTip;
}

export interface ReindexOptions {
  readonly onProgress?: (progress: ConnectProgress) => void;
  readonly signal?: AbortSignal;
}

interface ActivationContext {
  readonly signal?: AbortSignal | undefined;
  /** A block in hand (already checked), so that it is not read back from the store. */
  readonly inHand?: Block | undefined;
  readonly onProgress?: ((progress: ConnectProgress) => void) | undefined;
}

interface ActivationFailure {
  readonly entry: BlockEntry;
  readonly error: BlockValidationError;
}

/** Sources remembered for blocks stored but not yet connected (Core's mapBlockSource). */
const MAX_REMEMBERED_SOURCES = 1024;

export class ChainStateClosedError extends Error {
  override readonly name = "ChainStateClosedError";

  constructor() {
    super("the chain state is closed");
  }
}

export class ChainState {
  readonly params: NetworkParams;
  readonly events: ChainEventEmitter = new ChainEventEmitter();
  readonly orphans: OrphanPool;
  private readonly store: ChainStateStore;
  private readonly scriptRunner: ScriptJobRunner;
  private readonly assumeValid: string | undefined;
  private readonly index = new BlockIndex();
  /** Entries with their chain's data complete, not failed, at least as much work as the tip. */
  private readonly candidates = new Set<BlockEntry>();
  /** Stored blocks waiting for an ancestor's data, by the parent's hash (Core's mapBlocksUnlinked). */
  private readonly unlinked = new Map<string, BlockEntry[]>();
  private readonly sources = new Map<string, string>();
  private dataSequence = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(components: ChainStateComponents, init: ChainStateInit) {
    this.params = components.params;
    this.store = components.store;
    this.scriptRunner = components.scriptRunner ?? createInlineScriptJobRunner();
    this.assumeValid = init.assumeValid;
    this.orphans = new OrphanPool(init.orphans);
  }

  /**
   * Loads the block index and the tip from the store, checks that they agree (the tip is in the
   * index, its data is stored, the store's main chain names it; else ChainStateCorruptError: the
   * chain never guesses), stores and connects the genesis block on a new store, then connects the
   * stored blocks of a chain with more work than the tip: those acknowledged after the store's
   * last flush before a crash.
   */
  static async open(
    components: ChainStateComponents,
    init: ChainStateInit = {},
  ): Promise<ChainState> {
    const chain = new ChainState(components, init);
    await chain.load(init.onProgress);
    return chain;
  }

  private async load(onProgress: ((progress: ConnectProgress) => void) | undefined): Promise<void> {
    const loaded = await this.store.load();
    const headers = [...loaded.headers].sort((a, b) => a.height - b.height);
    for (const stored of headers) {
      let parent: BlockEntry | undefined;
      if (stored.height === 0) {
        if (stored.hash !== this.params.genesisHash) {
          throw new ChainStateCorruptError(
            `the store's genesis ${stored.hash} is not ${this.params.name}'s ${this.params.genesisHash}`,
          );
        }
      } else {
        parent = this.index.get(stored.header.prevBlock);
        if (parent === undefined || parent.height !== stored.height - 1) {
          throw new ChainStateCorruptError(
            `header ${stored.hash} at ${stored.height} has no parent in the index`,
          );
        }
      }
      this.index.add(stored.header, parent, {
        hash: stored.hash,
        status: stored.status,
        txCount: stored.txCount,
      });
    }

    let genesis = this.index.get(this.params.genesisHash);
    if (genesis === undefined) {
      genesis = this.index.add(this.params.genesis.header, undefined, {
        hash: this.params.genesisHash,
        status: BlockStatus.VALID_HEADER,
      });
    }
    if (!genesis.haveData) {
      genesis.status |= BlockStatus.HAVE_DATA;
      genesis.txCount = this.params.genesis.transactions.length;
      await this.store.putBlock(this.params.genesis, storedHeader(genesis));
    }

    for (const entry of [...this.index.values()].sort((a, b) => a.height - b.height)) {
      if (!entry.haveData) continue;
      if (entry.height === 0 || entry.parent!.chainData) entry.chainData = true;
      else this.addUnlinked(entry);
    }

    if (loaded.tip !== undefined) {
      const tip = this.index.get(loaded.tip.hash);
      if (tip === undefined || tip.height !== loaded.tip.height) {
        throw new ChainStateCorruptError(`the store's tip ${loaded.tip.hash} is not in the index`);
      }
      if (!tip.chainData || tip.failed) {
        throw new ChainStateCorruptError(
          `the store's tip ${tip.hash} ${tip.failed ? "is marked invalid" : "lacks block data"}`,
        );
      }
      const atTip = await this.store.getMainChainHash(tip.height);
      if (atTip !== tip.hash) {
        throw new ChainStateCorruptError(
          `the store's main chain names ${atTip ?? "nothing"} at the tip height ${tip.height}`,
        );
      }
      this.index.setTip(tip);
    }
    this.rebuildCandidates();
    await this.activateBestChain({ onProgress });
  }

  // ---- reads ------------------------------------------------------------------------------------

  /** The main chain's tip. Always set once `open` resolved (except in the middle of a reindex). */
  get tip(): ChainTip {
    const tip = this.index.tip;
    if (tip === undefined) throw new Error("ChainState: no tip (reindex in progress)");
    return tipOf(tip);
  }

  get height(): number {
    return this.index.height;
  }

  /** The valid header with the most work (the target of header sync and block download). */
  get bestHeader(): BlockInfo {
    return this.info(this.index.bestHeader!);
  }

  getBlockInfo(hash: string): BlockInfo | undefined {
    const entry = this.index.get(hash);
    return entry === undefined ? undefined : this.info(entry);
  }

  /** Main-chain block hash at `height`. */
  getHashAtHeight(height: number): string | undefined {
    return this.index.atHeight(height)?.hash;
  }

  /** Median-time-past of the main-chain block at `height` (the mempool's `medianTimePastAt`). */
  medianTimePastAt = (height: number): number => {
    const entry = this.index.atHeight(height);
    if (entry === undefined) throw new RangeError(`no main-chain block at height ${height}`);
    return entry.medianTimePast;
  };

  hasHeader(hash: string): boolean {
    return this.index.has(hash);
  }

  /** The block's data is stored (or it waits in the orphan pool): no need to download it. */
  hasBlock(hash: string): boolean {
    return this.index.get(hash)?.haveData === true || this.orphans.has(hash);
  }

  /** The block, or an ancestor, broke a consensus rule: never download or relay it again. */
  isKnownInvalid(hash: string): boolean {
    return this.index.get(hash)?.failed === true;
  }

  isOnMainChain(hash: string): boolean {
    const entry = this.index.get(hash);
    return entry !== undefined && this.index.contains(entry);
  }

  /** Core's block locator from the tip (or from another known block). */
  getLocator(from?: string): string[] {
    return this.index.locator(from === undefined ? this.index.tip : this.index.get(from));
  }

  /**
   * Main-chain headers after the last locator hash on the main chain, up to `stop` (included) or
   * `max` headers: the answer to a peer's header request.
   */
  headersAfter(
    locator: readonly string[],
    options: { stop?: string; max?: number } = {},
  ): BlockHeader[] {
    const max = options.max ?? 2000;
    const fork = this.index.findFork(locator);
    const out: BlockHeader[] = [];
    for (let h = (fork?.height ?? -1) + 1; h <= this.index.height && out.length < max; h++) {
      const entry = this.index.atHeight(h)!;
      out.push(entry.header);
      if (entry.hash === options.stop) break;
    }
    return out;
  }

  /** A stored block (main chain or not). */
  getBlock(hash: string): Promise<Block | undefined> {
    return this.store.getBlock(hash);
  }

  /** The unspent coins at these outpoints as of the tip, in order (the mempool's `getCoins`). */
  async getCoins(outpoints: readonly Outpoint[]): Promise<(Coin | undefined)[]> {
    await this.store.prefetch(outpoints);
    const coins = outpoints.map((op) => this.store.view.getCoin(op.txid, op.index));
    // A flush that evicts the cache may have completed between the read and now (this is not
    // serialised with block connection): read the ones not found once more.
    const missing = outpoints.filter((_, i) => coins[i] === undefined);
    if (missing.length === 0) return coins;
    await this.store.prefetch(missing);
    return outpoints.map((op, i) => coins[i] ?? this.store.view.getCoin(op.txid, op.index));
  }

  private info(entry: BlockEntry): BlockInfo {
    return {
      hash: entry.hash,
      height: entry.height,
      header: entry.header,
      chainWork: entry.chainWork,
      status: entry.status,
      txCount: entry.txCount,
      haveData: entry.haveData,
      invalid: entry.failed,
      onMainChain: this.index.contains(entry),
      medianTimePast: entry.medianTimePast,
    };
  }

  // ---- headers ----------------------------------------------------------------------------------

  /**
   * AcceptBlockHeader. A known header returns its entry (a known-invalid one throws `duplicate`);
   * an unknown parent throws UnknownParentError; a parent marked invalid marks this header too and
   * throws `bad-prevblk`; then CheckBlockHeader and ContextualCheckBlockHeader. A header that breaks
   * a rule is remembered as invalid, except `time-too-new` (it may become valid) and `high-hash`
   * (no proof of work: not worth remembering).
   */
  acceptHeader(header: BlockHeader, options: AcceptHeaderOptions): Promise<BlockInfo> {
    return this.exclusive(async () => {
      const [entry] = await this.addHeaders([header], options.now, undefined);
      return this.info(entry!);
    });
  }

  /**
   * Header sync: accepts a run of headers, each building on the one before (else
   * NonContinuousHeadersError before any is accepted). Stops at the first failure, after storing
   * the ones accepted before it, and throws its error. Orphan blocks waiting for one of these
   * headers are then processed.
   */
  acceptHeaders(
    headers: readonly BlockHeader[],
    options: AcceptHeaderOptions,
  ): Promise<BlockInfo[]> {
    return this.exclusive(async () => {
      for (let i = 1; i < headers.length; i++) {
        if (headers[i]!.prevBlock !== headers[i - 1]!.hash()) {
          throw new NonContinuousHeadersError(i);
        }
      }
      const accepted = (await this.addHeaders(headers, options.now, undefined)).map((e) =>
        this.info(e),
      );
      for (const info of accepted) {
        if (this.orphans.hasChildren(info.hash)) {
          await this.processOrphansOf(info.hash, { now: options.now });
        }
      }
      return accepted;
    });
  }

  /**
   * Adds headers in order (see acceptHeader), then stores the new entries and reports them, the
   * accepted ones and the invalid ones; a failure stops the run and is thrown after that.
   */
  private async addHeaders(
    headers: readonly BlockHeader[],
    now: number,
    source: string | undefined,
  ): Promise<BlockEntry[]> {
    const writes: BlockEntry[] = [];
    const failures: ActivationFailure[] = [];
    const out: BlockEntry[] = [];
    try {
      for (const header of headers) out.push(this.addHeader(header, now, writes, failures));
    } finally {
      if (writes.length > 0) await this.store.putHeaders(writes.map(storedHeader));
      for (const entry of writes) {
        if (entry.failed) continue;
        this.events.emit("header:accepted", {
          hash: entry.hash,
          height: entry.height,
          header: entry.header,
        });
      }
      for (const { entry, error } of failures) this.reportInvalid(entry, error, source);
    }
    return out;
  }

  /** Adds one header to the index; new entries go to `writes`, invalid ones to `failures` too. */
  private addHeader(
    header: BlockHeader,
    now: number,
    writes: BlockEntry[],
    failures: ActivationFailure[],
  ): BlockEntry {
    const hash = header.hash();
    const existing = this.index.get(hash);
    if (existing !== undefined) {
      if (existing.failed) {
        throw new BlockValidationError("duplicate", {
          detail: `block ${hash} is known to be invalid`,
        });
      }
      return existing;
    }
    const parent = this.index.get(header.prevBlock);
    if (parent === undefined) throw new UnknownParentError(hash, header.prevBlock);
    if (parent.failed) {
      const entry = this.index.add(header, parent, { hash, status: BlockStatus.FAILED_CHILD });
      const error = new BlockValidationError("bad-prevblk", {
        detail: `previous block ${parent.hash} is invalid`,
      });
      writes.push(entry);
      failures.push({ entry, error });
      throw error;
    }
    checkBlockHeader(header, this.params);
    try {
      contextualCheckBlockHeader(
        header,
        {
          parentHeight: parent.height,
          parentTime: parent.header.time,
          parentMedianTimePast: parent.medianTimePast,
          adjustedTime: now,
        },
        this.params,
      );
    } catch (error) {
      if (error instanceof BlockValidationError && !error.corruptionPossible) {
        const entry = this.index.add(header, parent, { hash, status: BlockStatus.FAILED });
        writes.push(entry);
        failures.push({ entry, error });
      }
      throw error;
    }
    const entry = this.index.add(header, parent, { hash, status: BlockStatus.VALID_HEADER });
    writes.push(entry);
    return entry;
  }

  // ---- blocks -----------------------------------------------------------------------------------

  /**
   * ProcessNewBlock: CheckBlock (a mutated block throws with `corruptionPossible` and is not
   * remembered), the header (see acceptHeader), storing the block, then ActivateBestChain. Orphans
   * waiting for this block are processed after it. Throws BlockValidationError when this block, or
   * an ancestor it depends on, turned out invalid (`bad-prevblk` for the latter); `block:invalid`
   * names the block that failed.
   */
  processBlock(block: Block, options: ProcessBlockOptions): Promise<ProcessBlockResult> {
    return this.exclusive(async () => {
      const result = await this.processOne(block, options, false);
      if (result.status !== "orphan" && this.orphans.hasChildren(result.hash)) {
        await this.processOrphansOf(result.hash, options);
      }
      return result;
    });
  }

  private async processOne(
    block: Block,
    options: ProcessBlockOptions,
    checked: boolean,
  ): Promise<ProcessBlockResult> {
    const hash = block.hash();
    const known = this.index.get(hash);
    if (known?.failed) {
      throw new BlockValidationError("duplicate", {
        detail: `block ${hash} is known to be invalid`,
      });
    }
    if (known === undefined && this.orphans.has(hash)) {
      return this.orphanResult(hash);
    }
    if (!checked && known?.haveData !== true) await this.checkNewBlock(block, known, options);

    const parent = this.index.get(block.header.prevBlock);
    if (known === undefined && parent === undefined) {
      this.orphans.add(block, options.source);
      return this.orphanResult(hash);
    }

    const entry = known ?? (await this.addHeaders([block.header], options.now, options.source))[0]!;
    let status: ProcessBlockStatus = "duplicate";
    if (!entry.haveData) {
      entry.status |= BlockStatus.HAVE_DATA;
      entry.txCount = block.transactions.length;
      entry.dataSequence = ++this.dataSequence;
      await this.store.putBlock(block, storedHeader(entry));
      this.rememberSource(hash, options.source);
      this.linkChainData(entry);
      status = "stored";
    }

    // A duplicate may be a mutated copy (it was not checked): connect the stored block instead.
    const failures = await this.activateBestChain({
      signal: options.signal,
      inHand: status === "stored" ? block : undefined,
    });
    for (const failure of failures) {
      if (failure.entry === entry) throw failure.error;
      if (entry.ancestor(failure.entry.height) === failure.entry) {
        throw new BlockValidationError("bad-prevblk", {
          detail: `ancestor ${failure.entry.hash} is invalid (${failure.error.code})`,
        });
      }
    }
    if (this.index.contains(entry) && status === "stored") status = "connected";
    return { hash, status, height: entry.height, tip: this.tip };
  }

  /**
   * CheckBlock on a block not stored yet. A violation that is not a mutation marks the block
   * invalid when its header can enter the index (Core's AcceptBlock), so that it is never
   * downloaded again; a mutation is not remembered (the genuine block may still come).
   */
  private async checkNewBlock(
    block: Block,
    known: BlockEntry | undefined,
    options: ProcessBlockOptions,
  ): Promise<void> {
    try {
      checkBlock(block, this.params);
    } catch (error) {
      if (!(error instanceof BlockValidationError) || error.corruptionPossible) throw error;
      if (error.code === "high-hash") throw error;
      let entry = known;
      if (entry === undefined && this.index.has(block.header.prevBlock)) {
        entry = (await this.addHeaders([block.header], options.now, options.source))[0];
      }
      if (entry !== undefined) await this.invalidBlockFound(entry, error, options.source);
      throw error;
    }
  }

  private orphanResult(hash: string): ProcessBlockResult {
    const missingParent = this.orphans.missingAncestor(hash);
    return {
      hash,
      status: "orphan",
      height: undefined,
      ...(missingParent === undefined ? {} : { missingParent }),
      tip: this.tip,
    };
  }

  /** Processes the orphans that wait for `hash`, and theirs, breadth first. */
  private async processOrphansOf(hash: string, options: ProcessBlockOptions): Promise<void> {
    const parents = [hash];
    while (parents.length > 0) {
      for (const orphan of this.orphans.takeChildren(parents.shift()!)) {
        const orphanOptions = {
          ...options,
          ...(orphan.source === undefined ? {} : { source: orphan.source }),
        };
        try {
          const result = await this.processOne(orphan.block, orphanOptions, true);
          parents.push(result.hash);
        } catch (error) {
          // An orphan's own failure is reported by `block:invalid`; the block in hand is fine.
          if (!(error instanceof BlockValidationError || error instanceof UnknownParentError)) {
            throw error;
          }
        }
      }
    }
  }

  private rememberSource(hash: string, source: string | undefined): void {
    if (source === undefined) return;
    this.sources.set(hash, source);
    if (this.sources.size > MAX_REMEMBERED_SOURCES) {
      this.sources.delete(this.sources.keys().next().value!);
    }
  }

  private addUnlinked(entry: BlockEntry): void {
    const parentHash = entry.parent!.hash;
    const waiting = this.unlinked.get(parentHash);
    if (waiting === undefined) this.unlinked.set(parentHash, [entry]);
    else waiting.push(entry);
  }

  /** A block's data arrived: it, and stored descendants waiting for it, may now be candidates. */
  private linkChainData(entry: BlockEntry): void {
    if (entry.height > 0 && !entry.parent!.chainData) {
      this.addUnlinked(entry);
      return;
    }
    const ready = [entry];
    while (ready.length > 0) {
      const next = ready.pop()!;
      next.chainData = true;
      this.considerCandidate(next);
      const waiting = this.unlinked.get(next.hash);
      if (waiting !== undefined) {
        this.unlinked.delete(next.hash);
        ready.push(...waiting);
      }
    }
  }

  private considerCandidate(entry: BlockEntry): void {
    const tip = this.index.tip;
    if (
      entry.chainData &&
      !entry.failed &&
      (tip === undefined || entry.chainWork >= tip.chainWork)
    ) {
      this.candidates.add(entry);
    }
  }

  private rebuildCandidates(): void {
    this.candidates.clear();
    for (const entry of this.index.values()) this.considerCandidate(entry);
  }

  /** The candidate with the most work (ties: the one whose data arrived first). */
  private findMostWorkChain(): BlockEntry | undefined {
    let best: BlockEntry | undefined;
    for (const entry of this.candidates) {
      if (entry.failed) {
        this.candidates.delete(entry);
        continue;
      }
      if (
        best === undefined ||
        entry.chainWork > best.chainWork ||
        (entry.chainWork === best.chainWork && entry.dataSequence < best.dataSequence)
      ) {
        best = entry;
      }
    }
    return best;
  }

  // ---- activation -------------------------------------------------------------------------------

  /**
   * ActivateBestChain: while a candidate has more work than the tip, disconnect back to the fork
   * point and connect towards the candidate; a block that fails is marked invalid and the loop
   * picks the best remaining candidate (possibly the old chain, reconnected). Returns the failures.
   * Errors other than rule violations (storage, abort) stop it at the last committed tip.
   */
  private async activateBestChain(context: ActivationContext): Promise<ActivationFailure[]> {
    const startEntry = this.index.tip;
    const failures: ActivationFailure[] = [];
    let connected = 0;
    let disconnected = 0;
    try {
      for (;;) {
        const best = this.findMostWorkChain();
        const tip = this.index.tip;
        if (best === undefined || (tip !== undefined && !moreWork(best, tip))) break;
        const fork = tip === undefined ? undefined : lastCommonAncestor(tip, best);
        while (this.index.tip !== fork) {
          context.signal?.throwIfAborted();
          await this.disconnectTip();
          disconnected++;
        }
        const path: BlockEntry[] = [];
        for (let walk: BlockEntry | undefined = best; walk !== fork; walk = walk!.parent) {
          path.push(walk!);
        }
        for (const entry of path.reverse()) {
          context.signal?.throwIfAborted();
          try {
            await this.connectTip(entry, context);
          } catch (error) {
            if (!(error instanceof BlockValidationError) || error.corruptionPossible) throw error;
            await this.invalidBlockFound(entry, error, this.sources.get(entry.hash));
            failures.push({ entry, error });
            break;
          }
          connected++;
          this.sources.delete(entry.hash);
          context.onProgress?.({
            hash: entry.hash,
            height: entry.height,
            bestHeaderHeight: this.index.bestHeader?.height ?? entry.height,
          });
        }
      }
    } finally {
      const tip = this.index.tip;
      if (tip !== undefined) {
        for (const entry of this.candidates) {
          if (entry.failed || entry.chainWork < tip.chainWork) this.candidates.delete(entry);
        }
      }
      if (tip !== startEntry && tip !== undefined) {
        this.events.emit("tip:changed", {
          tip: tipOf(tip),
          previous: startEntry === undefined ? undefined : tipOf(startEntry),
          disconnected,
          connected,
        });
      }
    }
    return failures;
  }

  /** The block's data: the one in hand, or read back and re-checked (CheckBlock without PoW). */
  private async blockFor(entry: BlockEntry, inHand: Block | undefined): Promise<Block> {
    if (inHand !== undefined && inHand.hash() === entry.hash) return inHand;
    const block = await this.store.getBlock(entry.hash);
    if (block === undefined) {
      throw new ChainStateCorruptError(`block ${entry.hash} at ${entry.height} is not stored`);
    }
    if (entry.height > 0) {
      try {
        checkBlock(block, this.params, { checkPow: false });
      } catch (error) {
        if (error instanceof BlockValidationError && error.corruptionPossible) {
          throw new ChainStateCorruptError(
            `stored block ${entry.hash} fails its merkle check (${error.code}): the disk is damaged`,
          );
        }
        throw error;
      }
    }
    return block;
  }

  /** Core's assumevalid: `entry` is an ancestor of the assumed-valid block on the best header chain. */
  private scriptsAssumedValid(entry: BlockEntry): boolean {
    if (this.assumeValid === undefined) return false;
    const assumed = this.index.get(this.assumeValid);
    const best = this.index.bestHeader;
    if (assumed === undefined || assumed.failed || best === undefined) return false;
    if (best.ancestor(assumed.height) !== assumed) return false;
    return assumed.ancestor(entry.height) === entry;
  }

  /** ConnectTip: validates `entry`'s block against the tip's UTXO set and commits it. */
  private async connectTip(entry: BlockEntry, context: ActivationContext): Promise<void> {
    const block = await this.blockFor(entry, context.inHand);
    const height = entry.height;
    if (height === 0) {
      if (entry.hash !== this.params.genesisHash) {
        throw new ChainStateCorruptError(`block ${entry.hash} at height 0 is not the genesis`);
      }
      await this.commitConnected(entry, block, [], [], 0n);
      return;
    }
    const parent = entry.parent!;
    contextualCheckBlock(block, height, parent.medianTimePast);
    await this.store.prefetch(blockSpentOutpoints(block));
    const result = connectBlockChecks(block, height, this.store.view, {
      params: this.params,
      medianTimePastAt: this.medianTimePastAt,
    });
    if (result.scriptJobs.length > 0 && !this.scriptsAssumedValid(entry)) {
      const failure = await this.scriptRunner.run(
        result.scriptJobs,
        context.signal === undefined ? {} : { signal: context.signal },
      );
      if (failure !== null) {
        throw new BlockValidationError("blk-bad-inputs", {
          detail: `mandatory-script-verify-flag-failed (${failure.error}) in ${failure.job.tx.txid()} input ${failure.job.inputIndex}`,
        });
      }
    }
    const spent = result.spent.filter((s) => !s.createdInBlock);
    await this.commitConnected(entry, block, spent, result.created, result.fees);
  }

  private async commitConnected(
    entry: BlockEntry,
    block: Block,
    spent: readonly CoinEntry[],
    created: readonly CoinEntry[],
    fees: bigint,
  ): Promise<void> {
    const status = entry.status | BlockStatus.VALID_SCRIPTS | BlockStatus.HAVE_UNDO;
    await this.store.commitConnect({
      block,
      height: entry.height,
      entry: { ...storedHeader(entry), status },
      spent,
      created,
    });
    entry.status = status;
    this.index.pushTip(entry);
    this.events.emit("block:connected", {
      block,
      hash: entry.hash,
      height: entry.height,
      spent,
      created,
      fees,
    });
  }

  /** DisconnectTip: puts back the coins the tip spent (undo data), removes those it created. */
  private async disconnectTip(): Promise<void> {
    const entry = this.index.tip;
    if (entry === undefined || entry.height === 0) {
      throw new Error("ChainState: cannot disconnect the genesis block");
    }
    const block = await this.store.getBlock(entry.hash);
    const undo = await this.store.getUndo(entry.hash);
    if (block === undefined || undo === undefined) {
      throw new ChainStateCorruptError(
        `the ${block === undefined ? "block" : "undo data"} of main-chain block ${entry.hash} is missing`,
      );
    }
    let restored: ReturnType<typeof restoredCoins>;
    try {
      restored = restoredCoins(block, undo);
    } catch (error) {
      if (error instanceof UndoMismatchError) throw new ChainStateCorruptError(error.message);
      throw error;
    }
    const removed = blockCreatedCoins(block, entry.height).map((c) => ({
      txid: c.txid,
      index: c.index,
    }));
    await this.store.prefetch([...removed, ...restored]);
    for (const op of removed) {
      if (this.store.view.getCoin(op.txid, op.index) === undefined) {
        throw new ChainStateCorruptError(
          `disconnecting ${entry.hash}: its output ${op.txid}:${op.index} is not in the UTXO set`,
        );
      }
    }
    for (const op of restored) {
      if (this.store.view.getCoin(op.txid, op.index) !== undefined) {
        throw new ChainStateCorruptError(
          `disconnecting ${entry.hash}: the coin it spent ${op.txid}:${op.index} is unspent`,
        );
      }
    }
    await this.store.commitDisconnect({ block, height: entry.height, removed, restored });
    this.index.popTip();
    this.events.emit("block:disconnected", {
      block,
      hash: entry.hash,
      height: entry.height,
      restored,
      removed,
    });
  }

  /** Marks `entry` invalid and its descendants failed-child, stores that, reports it. */
  private async invalidBlockFound(
    entry: BlockEntry,
    error: BlockValidationError,
    source: string | undefined,
  ): Promise<void> {
    entry.status |= BlockStatus.FAILED;
    const changed = [entry];
    for (const descendant of this.index.descendants(entry)) {
      if (descendant.status & BlockStatus.FAILED_CHILD) continue;
      descendant.status |= BlockStatus.FAILED_CHILD;
      changed.push(descendant);
    }
    for (const e of changed) this.candidates.delete(e);
    const best = this.index.bestHeader;
    if (best === undefined || best.failed) this.index.recomputeBestHeader();
    this.sources.delete(entry.hash);
    await this.store.putHeaders(changed.map(storedHeader));
    this.reportInvalid(entry, error, source);
  }

  private reportInvalid(
    entry: BlockEntry,
    error: BlockValidationError,
    source: string | undefined,
  ): void {
    this.events.emit("block:invalid", {
      hash: entry.hash,
      height: entry.height,
      code: error.code,
      error,
      source,
    });
  }

  // ---- maintenance ------------------------------------------------------------------------------

  /**
   * Core's gettxoutsetinfo + verifychain: the commitment of the stored UTXO set and, with
   * `level: "full"`, a replay of the main chain from genesis that must produce the same set (and
   * the same undo data and main-chain entries). Flushes the store first.
   */
  verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    return this.exclusive(() => {
      const chain: string[] = [];
      for (let h = 0; h <= this.index.height; h++) chain.push(this.index.atHeight(h)!.hash);
      return verifyChainState(this.store, chain, this.params, options);
    });
  }

  /**
   * Rebuilds the chainstate (UTXO set, undo data, main chain, indexes, tip) from the stored
   * blocks: the store drops its chainstate in one atomic step, then every block of the best chain
   * is validated and connected again from genesis. Header entries, invalid marks and blocks stay.
   * Listeners see the new chain's `block:connected` events and one `tip:changed`; the old chain is
   * not disconnected block by block (the node should clear its mempool).
   */
  reindex(options: ReindexOptions = {}): Promise<ChainTip> {
    return this.exclusive(async () => {
      await this.store.resetChainState();
      this.index.setTip(undefined);
      this.rebuildCandidates();
      await this.activateBestChain({ signal: options.signal, onProgress: options.onProgress });
      await this.store.flush();
      return this.tip;
    });
  }

  /** Writes what the store holds in memory (the node calls it periodically and at shutdown). */
  flush(): Promise<void> {
    return this.exclusive(() => this.store.flush());
  }

  /** Flushes and closes the store; later calls throw ChainStateClosedError. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      this.closed = true;
      await this.store.close();
    });
  }

  /** Runs `fn` after every earlier mutation has finished (one at a time, in call order). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.closed) throw new ChainStateClosedError();
      return fn();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * Core's block comparator, as a switch rule: more work, or equal work and data that arrived
 * earlier (so after a failed reorganisation the chain returns to the tip it had, and two chains of
 * equal work loaded from the store never trade places).
 */
function moreWork(a: BlockEntry, b: BlockEntry): boolean {
  return (
    a.chainWork > b.chainWork || (a.chainWork === b.chainWork && a.dataSequence < b.dataSequence)
  );
}

function storedHeader(entry: BlockEntry): StoredHeader {
  return {
    hash: entry.hash,
    header: entry.header,
    height: entry.height,
    chainWork: entry.chainWork,
    status: entry.status,
    txCount: entry.txCount,
  };
}

function tipOf(entry: BlockEntry): ChainTip {
  return {
    hash: entry.hash,
    height: entry.height,
    chainWork: entry.chainWork,
    time: entry.header.time,
    medianTimePast: entry.medianTimePast,
  };
}
