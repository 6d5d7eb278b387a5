import {
  type Block,
  CONSENSUS_SCRIPT_FLAGS,
  type Coin,
  type ScriptJobRunner,
  STANDARD_SCRIPT_FLAGS,
  scriptJobsForTx,
  type Transaction,
  TxValidationError,
} from "@starling/chain";
import {
  type ChainCoin,
  decide,
  type Inspection,
  inspect,
  NOT_FETCHED,
  type PoolView,
  preChecks,
  signalsReplaceability,
} from "./admission-checks.ts";
import type {
  AcceptResult,
  AdmissionPlan,
  AdmitContext,
  SubmitOptions,
} from "./admission-types.ts";
import { type BlockCandidate, blockCandidates } from "./block-candidates.ts";
import type { MempoolChain } from "./chain-view.ts";
import { estimateEntryUsage, MempoolEntry } from "./entry.ts";
import { MempoolError, MempoolReason, refuse } from "./errors.ts";
import {
  MempoolEventEmitter,
  type MempoolEvents,
  type MempoolListener,
  type RemovalReason,
} from "./events.ts";
import { FeeEstimator } from "./fee-estimator.ts";
import { feeRateOf, maxBigInt } from "./fee-rate.ts";
import { entryInfo, type MempoolEntryInfo, type MempoolInfo } from "./info.ts";
import {
  type MempoolComponents,
  type MempoolInit,
  type MempoolOptions,
  resolveOptions,
} from "./options.ts";
import { type Orphan, OrphanPool } from "./orphan-pool.ts";
import type { PackageLimits } from "./package-limits.ts";
import { decodeSnapshot, encodeSnapshot, type SavedTransaction } from "./persistence.ts";
import { readFileIfExists, writeFileAtomic } from "./persistence-file.ts";
import type { StandardTxPolicy } from "./policy/standard-tx.ts";
import {
  applyRefreshedCoins,
  coinsToRefresh,
  DisconnectedTransactions,
  invalidAtTip,
  overAncestorLimits,
  refreshOutpoints,
  spendersOf,
} from "./reorg.ts";
import { RollingMinimumFee } from "./rolling-fee.ts";
import { SliceScheduler } from "./slice-scheduler.ts";
import { TxGraph } from "./tx-graph.ts";

/** What loading a saved mempool did. */
export interface LoadResult {
  readonly accepted: number;
  /** Refused on re-validation (e.g. an input spent meanwhile). */
  readonly failed: number;
  /** Older than the expiry, not submitted. */
  readonly expired: number;
  readonly alreadyPresent: number;
}

/** What re-admitting a reorganisation's transactions did. */
export interface ReorgResult {
  readonly readded: readonly string[];
  readonly dropped: readonly string[];
  /** Mempool transactions removed because the new chain made them invalid. */
  readonly removed: readonly string[];
}

type Step =
  | { readonly kind: "done"; readonly result: AcceptResult }
  | { readonly kind: "ok"; readonly plan: AdmissionPlan; readonly scripts: Promise<void> }
  | { readonly kind: "fetch"; readonly inputs: number[] }
  | { readonly kind: "missing"; readonly parents: string[] }
  | { readonly kind: "again" };

/** Rounds of fetch-and-check an admission may take while the chain keeps moving under it. */
const MAX_ADMISSION_ROUNDS = 16;

/**
 * The memory pool: transactions that are valid on the current tip and pass Bitcoin Core 28's relay
 * policy, ordered by fee rate for mining and eviction. See README.md and docs/mempool.md.
 *
 * Admission of each transaction runs as synchronous segments (checks; insertion) around the
 * awaited coin fetch and script checks, on a scheduler that yields the event loop between slices,
 * so many admissions can be in flight at once. The state is only changed inside segments; an
 * admission re-checks everything after its scripts pass when anything changed meanwhile.
 */
export class Mempool {
  readonly options: MempoolOptions;
  private readonly chain: MempoolChain;
  private readonly runner: ScriptJobRunner;
  private readonly now: () => number;
  private readonly graph = new TxGraph();
  private readonly orphans: OrphanPool;
  private readonly feeEstimator: FeeEstimator;
  private readonly rollingFee: RollingMinimumFee;
  private readonly scheduler: SliceScheduler;
  private readonly events = new MempoolEventEmitter();
  private readonly policy: StandardTxPolicy;
  private readonly limits: PackageLimits;
  /** Prioritisation deltas by txid (Core's mapDeltas), for transactions in the pool or not. */
  private readonly deltas = new Map<string, bigint>();
  private readonly inflight = new Map<string, Promise<AcceptResult>>();
  private readonly background = new Set<Promise<unknown>>();
  /** Orphans being retried → whether another parent arrived meanwhile. */
  private readonly orphanRetries = new Map<string, boolean>();
  /** Transactions of disconnected blocks, until updateForReorg. */
  private readonly disconnected = new DisconnectedTransactions();
  private reorgChain: Promise<unknown> = Promise.resolve();
  /** Bumped on every change of the pool's contents. */
  private version = 0;
  /** What the admission checks read. */
  private readonly pool: PoolView;

  constructor(components: MempoolComponents, init: MempoolInit = {}) {
    this.options = resolveOptions(init);
    this.chain = components.chain;
    this.runner = components.runner;
    this.now = components.now;
    const o = this.options;
    this.orphans = new OrphanPool({
      maxCount: o.maxOrphans,
      maxBytes: o.maxOrphanBytes,
      peerShare: o.orphanPeerShare,
      expirySeconds: o.orphanExpirySeconds,
    });
    this.feeEstimator = new FeeEstimator(o.feeHistoryBlocks);
    this.rollingFee = new RollingMinimumFee(o.incrementalRelayFeeRate, this.now());
    this.scheduler = new SliceScheduler(o.sliceBudgetMs, () => this.events.flush());
    this.policy = {
      dustRelayFeeRate: o.dustRelayFeeRate,
      maxDatacarrierBytes: o.maxDatacarrierBytes,
      permitBareMultisig: o.permitBareMultisig,
    };
    this.limits = {
      ancestorCount: o.ancestorLimit,
      ancestorSize: o.ancestorSizeLimit,
      descendantCount: o.descendantLimit,
      descendantSize: o.descendantSizeLimit,
    };
    this.pool = {
      graph: this.graph,
      chain: this.chain,
      orphans: this.orphans,
      policy: this.policy,
      limits: this.limits,
      deltas: this.deltas,
      fullRbf: o.fullRbf,
      minRelayFeeRate: o.minRelayFeeRate,
      incrementalRelayFeeRate: o.incrementalRelayFeeRate,
      rollingMinFee: () => this.currentRollingFee(),
      version: () => this.version,
    };
  }

  // ---- events -------------------------------------------------------------------------------

  on<K extends keyof MempoolEvents>(type: K, listener: MempoolListener<K>): () => void {
    return this.events.on(type, listener);
  }

  off<K extends keyof MempoolEvents>(type: K, listener: MempoolListener<K>): void {
    this.events.off(type, listener);
  }

  // ---- queries --------------------------------------------------------------------------------

  get count(): number {
    return this.graph.count;
  }

  /** Serialized bytes of all transactions. */
  get bytes(): number {
    return this.graph.bytes;
  }

  /** Estimated memory held, bytes (what maxUsage limits). */
  get usage(): number {
    return this.graph.usage;
  }

  get orphanCount(): number {
    return this.orphans.count;
  }

  has(txid: string): boolean {
    return this.graph.get(txid) !== undefined;
  }

  hasOrphan(txid: string): boolean {
    return this.orphans.has(txid);
  }

  get(txid: string): Transaction | undefined {
    return this.graph.get(txid)?.tx;
  }

  txids(): string[] {
    return [...this.graph.entries.keys()];
  }

  /** Core's getmempoolentry. */
  getEntry(txid: string): MempoolEntryInfo | undefined {
    const entry = this.graph.get(txid);
    if (entry === undefined) return undefined;
    // Core's IsRBFOptIn: the transaction or any unconfirmed ancestor signals.
    let replaceable = signalsReplaceability(entry.tx);
    for (const a of this.graph.ancestorsOf(entry)) replaceable ||= signalsReplaceability(a.tx);
    return entryInfo(entry, replaceable);
  }

  /** The rate a new transaction must pay now: the rolling minimum, at least the relay minimum. */
  minFeeRate(): bigint {
    const rolling = this.currentRollingFee();
    return maxBigInt(rolling, this.options.minRelayFeeRate);
  }

  /** Core's getmempoolinfo. */
  info(): MempoolInfo {
    return {
      size: this.graph.count,
      bytes: this.graph.bytes,
      usage: this.graph.usage,
      total_fee: this.graph.totalFee,
      maxmempool: this.options.maxUsage,
      mempoolminfee: this.minFeeRate(),
      minrelaytxfee: this.options.minRelayFeeRate,
      incrementalrelayfee: this.options.incrementalRelayFeeRate,
      fullrbf: this.options.fullRbf,
      orphans: this.orphans.count,
    };
  }

  /**
   * Transactions by ancestor score, highest first (Core's CompareTxMemPoolEntryByAncestorFee):
   * what a block template takes, each with its in-mempool parents so that it can add them first.
   */
  getBlockCandidates(): BlockCandidate[] {
    return blockCandidates(this.graph.entries.values());
  }

  /**
   * A fee rate (base units per 1000 bytes) likely to confirm within `targetBlocks`, or undefined
   * without data. Method: docs/mempool.md, "Fee estimation".
   */
  estimateFee(targetBlocks: number): bigint | undefined {
    const queue = this.getBlockCandidates().map((c) => ({
      feeRate: c.ancestorScore,
      size: c.size,
    }));
    return this.feeEstimator.estimate(targetBlocks, {
      queue,
      blockBytes: this.options.blockBytes,
      floor: this.minFeeRate(),
    });
  }

  /** Core's CTxMemPool::check: throws when any link or statistic is inconsistent. */
  check(): void {
    this.graph.check();
  }

  /** Resolves when no admission, orphan retry or reorganisation update is running. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0 || this.background.size > 0) {
      await Promise.allSettled([...this.inflight.values(), ...this.background]);
    }
  }

  // ---- admission --------------------------------------------------------------------------------

  /**
   * Validates a transaction against the tip plus the mempool and admits it. Resolves "accepted" or
   * (from a peer, parents unknown) "orphan"; rejects with TxValidationError — a MempoolError for a
   * policy refusal — carrying the reason as `code`.
   */
  submit(tx: Transaction, options: SubmitOptions = {}): Promise<AcceptResult> {
    return this.submitInternal(tx, {
      peer: options.peer,
      time: undefined,
      bypassLimits: false,
      orphan: undefined,
      signal: options.signal,
    });
  }

  private submitInternal(tx: Transaction, ctx: AdmitContext): Promise<AcceptResult> {
    const txid = tx.txid();
    const running = this.inflight.get(txid);
    if (running !== undefined) {
      return running.then((first) => {
        if (first.status === "accepted") refuse(MempoolReason.ALREADY_IN_MEMPOOL);
        return first;
      });
    }
    const admission = this.admit(tx, ctx);
    this.inflight.set(txid, admission);
    const done = () => {
      if (this.inflight.get(txid) === admission) this.inflight.delete(txid);
    };
    admission.then(done, done);
    return admission;
  }

  private async admit(tx: Transaction, ctx: AdmitContext): Promise<AcceptResult> {
    const first = await this.segment(
      () => preChecks(this.pool, tx, ctx.orphan !== undefined),
      false,
    );
    if (first.kind === "orphan") return first.result;
    const inputs = tx.inputs;
    const chainCoins: ChainCoin[] = new Array<ChainCoin>(inputs.length).fill(NOT_FETCHED);
    let fetchedAt: string | undefined;
    let pending: readonly number[] = first.fetch;
    let inspection: Inspection | undefined;
    let checkedPlan: AdmissionPlan | undefined;
    for (let round = 0; round < MAX_ADMISSION_ROUNDS; round++) {
      if (pending.length > 0) {
        const tipHash = this.chain.tip().hash;
        if (fetchedAt !== tipHash) {
          chainCoins.fill(NOT_FETCHED);
          fetchedAt = tipHash;
        }
        const coins = await this.chain.getCoins(
          pending.map((i) => ({ txid: inputs[i]!.prevTxid, index: inputs[i]!.prevIndex })),
        );
        if (this.chain.tip().hash !== tipHash) {
          fetchedAt = undefined;
        } else {
          for (let k = 0; k < pending.length; k++) chainCoins[pending[k]!] = coins[k];
        }
        pending = [];
      }
      const plan = checkedPlan;
      const step = await this.segment((): Step => {
        const tip = this.chain.tip();
        if (plan !== undefined && plan.version === this.version && plan.tipHash === tip.hash) {
          return { kind: "done", result: this.insert(tx, plan, ctx) };
        }
        if (inspection === undefined || inspection.tipHash !== tip.hash) {
          const inspected = inspect(this.pool, tx, tip, chainCoins, fetchedAt);
          if (inspected.kind !== "inspected") return inspected;
          inspection = inspected.inspection;
        }
        const decision = decide(this.pool, tx, inspection, ctx.bypassLimits);
        if (decision === undefined) {
          inspection = undefined;
          return { kind: "again" };
        }
        if (plan !== undefined) return { kind: "done", result: this.insert(tx, decision, ctx) };
        return {
          kind: "ok",
          plan: decision,
          scripts: this.startScripts(tx, decision.coins, ctx.signal),
        };
      });
      switch (step.kind) {
        case "done":
          return step.result;
        case "fetch":
          pending = step.inputs;
          break;
        case "missing":
          return await this.handleMissing(tx, step.parents, ctx);
        case "ok":
          await step.scripts;
          checkedPlan = step.plan;
          break;
        case "again":
          break;
      }
    }
    throw new MempoolError(MempoolReason.BUSY, "the chain kept changing during admission");
  }

  /**
   * Runs a synchronous piece of work on the scheduler (`continuation`: part of an admission under
   * way, ahead of new ones); events are delivered after it.
   */
  private segment<T>(work: () => T, continuation = true): Promise<T> {
    return this.scheduler.run(work, continuation);
  }

  /**
   * Starts the script checks under the standard flags (inside a segment: an inline runner does the
   * work right there). A failure is re-run under the consensus flags alone to tell a non-standard
   * spend from an invalid one (Core's CheckInputScripts).
   */
  private startScripts(
    tx: Transaction,
    coins: readonly Coin[],
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const options = signal === undefined ? {} : { signal };
    const run = this.runner.run(scriptJobsForTx(tx, coins, STANDARD_SCRIPT_FLAGS), options);
    const checked = run.then(async (failure) => {
      if (failure === null) return;
      const detail = `input ${failure.job.inputIndex}`;
      const consensusJob = { ...failure.job, flags: CONSENSUS_SCRIPT_FLAGS };
      const consensusFailure = await this.segment(() => this.runner.run([consensusJob], options));
      if (consensusFailure === null) {
        throw new MempoolError(`${MempoolReason.NON_MANDATORY_SCRIPT} (${failure.error})`, detail);
      }
      throw new TxValidationError(`${MempoolReason.MANDATORY_SCRIPT} (${failure.error})`, {
        detail,
      });
    });
    // Awaited by the admission right after its segment; never reported as unhandled meanwhile.
    checked.catch(() => undefined);
    return checked;
  }

  /** Puts a checked transaction in, evicting what it replaces, then enforces the size limit. */
  private insert(tx: Transaction, plan: AdmissionPlan, ctx: AdmitContext): AcceptResult {
    const txid = tx.txid();
    const now = this.now();
    const replaced = [...plan.evicted].map((e) => e.txid);
    if (plan.evicted.size > 0) this.removeEntries(plan.evicted, "replaced", txid);
    const entry = new MempoolEntry({
      tx,
      fee: plan.fee,
      modifiedFee: plan.modifiedFee,
      sigops: plan.sigops,
      time: ctx.time ?? now,
      height: this.chain.tip().height,
      usage: estimateEntryUsage(tx),
      peer: ctx.peer,
      inputHeights: plan.inputHeights,
      inputIsCoinbase: plan.inputIsCoinbase,
    });
    this.graph.add(entry, plan.parents);
    this.version++;
    this.events.queue("tx-added", {
      txid,
      tx,
      fee: plan.fee,
      size: plan.size,
      peer: ctx.peer,
      replaced,
    });
    if (ctx.orphan !== undefined) this.orphans.remove(txid);
    if (!ctx.bypassLimits) {
      this.limitSizeAt(now);
      if (entry.removed) refuse(MempoolReason.MEMPOOL_FULL);
    }
    this.retryOrphansOf(txid);
    return { status: "accepted", txid, fee: plan.fee, size: plan.size, replaced };
  }

  /** Inputs missing: "txn-already-known" when the transaction is confirmed, else an orphan. */
  private async handleMissing(
    tx: Transaction,
    missingParents: readonly string[],
    ctx: AdmitContext,
  ): Promise<AcceptResult> {
    const txid = tx.txid();
    if (ctx.orphan !== undefined) {
      return { status: "orphan", txid, missingParents: ctx.orphan.missingParents };
    }
    const tipHash = this.chain.tip().hash;
    const own = await this.chain.getCoins(tx.outputs.map((_, index) => ({ txid, index })));
    if (own.some((coin) => coin !== undefined)) refuse(MempoolReason.ALREADY_KNOWN);
    const peer = ctx.peer;
    if (peer === undefined) {
      refuse(MempoolReason.MISSING_INPUTS, `missing parents ${missingParents.join(", ")}`);
    }
    return await this.segment(() => {
      const existing = this.orphans.get(txid);
      if (existing !== undefined) {
        return { status: "orphan", txid, missingParents: existing.missingParents } as const;
      }
      this.orphans.add(
        { tx, txid, size: tx.size(), peer, time: this.now(), missingParents },
        this.now(),
      );
      // A parent may have arrived (in the pool or a block) while this one was being checked.
      if (
        this.chain.tip().hash !== tipHash ||
        missingParents.some((p) => this.graph.get(p) !== undefined)
      ) {
        this.retryOrphan(txid);
      }
      return { status: "orphan", txid, missingParents } as const;
    });
  }

  private retryOrphansOf(parentTxid: string): void {
    this.orphans.expire(this.now());
    for (const orphan of this.orphans.waitingFor(parentTxid)) this.retryOrphan(orphan.txid);
  }

  /**
   * Retries an orphan in the background; a parent arriving while a retry runs makes it run again,
   * so an orphan is never left waiting for a parent that came during its own check.
   */
  private retryOrphan(txid: string): void {
    if (this.orphanRetries.has(txid)) {
      this.orphanRetries.set(txid, true);
      return;
    }
    this.orphanRetries.set(txid, false);
    this.track(
      (async () => {
        try {
          for (;;) {
            // Not joined to an admission of the same transaction under way (possibly the one
            // that is about to make it an orphan): wait for it, then try afresh.
            const running = this.inflight.get(txid);
            if (running !== undefined) {
              await running.catch(() => undefined);
              continue;
            }
            const orphan = this.orphans.get(txid);
            if (orphan === undefined) return;
            this.orphanRetries.set(txid, false);
            let result: AcceptResult;
            try {
              result = await this.submitInternal(orphan.tx, {
                peer: orphan.peer,
                time: undefined,
                bypassLimits: false,
                orphan,
                signal: undefined,
              });
            } catch {
              this.orphans.remove(txid);
              return;
            }
            if (result.status !== "orphan") {
              this.orphans.remove(txid);
              return;
            }
            if (this.orphanRetries.get(txid) !== true) return;
          }
        } finally {
          this.orphanRetries.delete(txid);
        }
      })(),
    );
  }

  private track(task: Promise<unknown>): void {
    this.background.add(task);
    const done = () => {
      this.background.delete(task);
    };
    task.then(done, done);
  }

  // ---- removal, limits ------------------------------------------------------------------------

  private removeEntries(
    set: ReadonlySet<MempoolEntry>,
    reason: RemovalReason,
    replacedBy?: string,
  ): void {
    if (set.size === 0) return;
    this.graph.remove(set);
    this.version++;
    for (const e of set) {
      this.events.queue("tx-removed", {
        txid: e.txid,
        tx: e.tx,
        reason,
        ...(replacedBy === undefined ? {} : { replacedBy }),
      });
    }
  }

  private currentRollingFee(): bigint {
    return this.rollingFee.current(this.now(), this.graph.usage, this.options.maxUsage);
  }

  /**
   * Core's LimitMempoolSize: expires transactions older than the expiry (with descendants), then
   * evicts the lowest descendant scores until usage fits, raising the rolling minimum fee.
   */
  limitSize(): void {
    this.limitSizeAt(this.now());
    this.events.flush();
  }

  private limitSizeAt(now: number): void {
    const cutoff = now - this.options.expirySeconds;
    for (;;) {
      const oldest = this.graph.oldest();
      if (oldest === undefined || oldest.time >= cutoff) break;
      this.removeEntries(this.graph.withDescendants([oldest]), "expired");
    }
    while (this.graph.usage > this.options.maxUsage) {
      const worst = this.graph.lowestDescendantScore();
      if (worst === undefined) break;
      const removedRate =
        feeRateOf(worst.descendantFees, worst.descendantSize) +
        this.options.incrementalRelayFeeRate;
      this.rollingFee.packageRemoved(removedRate);
      this.removeEntries(this.graph.withDescendants([worst]), "evicted");
    }
  }

  // ---- prioritisation --------------------------------------------------------------------------

  /** Core's prioritisetransaction: adds `feeDelta` to the fee every rule sees for `txid`. */
  prioritise(txid: string, feeDelta: bigint): void {
    const total = (this.deltas.get(txid) ?? 0n) + feeDelta;
    if (total === 0n) this.deltas.delete(txid);
    else this.deltas.set(txid, total);
    const entry = this.graph.get(txid);
    if (entry !== undefined) this.graph.setModifiedFee(entry, entry.fee + total);
    this.version++;
  }

  /** The prioritisation delta of a transaction (0 when none). */
  feeDelta(txid: string): bigint {
    return this.deltas.get(txid) ?? 0n;
  }

  // ---- blocks ----------------------------------------------------------------------------------

  /**
   * A block was connected at `height` (call after the node's tip and UTXO view include it):
   * records its fee rates, removes its transactions and those conflicting with them, and retries
   * orphans waiting for its transactions.
   */
  blockConnected(block: Block, height: number): void {
    const now = this.now();
    const transactions = block.transactions;
    const samples = [];
    for (const tx of transactions.slice(1)) {
      const entry = this.graph.get(tx.txid());
      if (entry !== undefined)
        samples.push({ feeRate: feeRateOf(entry.fee, entry.size), size: entry.size });
    }
    this.feeEstimator.recordBlock(height, samples);
    for (const tx of transactions) {
      const txid = tx.txid();
      const entry = this.graph.get(txid);
      if (entry !== undefined) {
        for (const child of entry.children) {
          child.tx.inputs.forEach((input, i) => {
            if (input.prevTxid === txid) child.inputHeights[i] = height;
          });
        }
        this.removeEntries(new Set([entry]), "block");
      }
      if (!tx.isCoinbase()) {
        for (const input of tx.inputs) {
          const spender = this.graph.spender(input.prevTxid, input.prevIndex);
          if (spender !== undefined) {
            this.removeEntries(this.graph.withDescendants([spender]), "conflict");
          }
        }
      }
      this.deltas.delete(txid);
    }
    this.orphans.removeForBlock(transactions);
    this.disconnected.dropFor(transactions);
    this.rollingFee.blockConnected(now);
    this.version++;
    for (const tx of transactions) this.retryOrphansOf(tx.txid());
    this.events.flush();
  }

  /**
   * A block at `height` was disconnected: its transactions wait until updateForReorg() (called
   * once the reorganisation is complete) puts back those still valid.
   */
  blockDisconnected(block: Block, height: number): void {
    this.disconnected.add(block, height);
    this.feeEstimator.forgetFrom(height);
  }

  /**
   * Core's MaybeUpdateMempoolForReorg, once a reorganisation is complete: re-admits the
   * disconnected blocks' transactions (oldest block first, parents before children, without fee
   * floors), drops the mempool descendants of those that fail, then removes mempool transactions
   * the new tip makes non-final, non-BIP68-final or immature, and those now over the ancestor
   * limits, and finally enforces the size limit.
   */
  updateForReorg(): Promise<ReorgResult> {
    const run = this.reorgChain.then(() => this.runReorgUpdate());
    this.reorgChain = run.catch(() => undefined);
    this.track(run);
    return run;
  }

  private async runReorgUpdate(): Promise<ReorgResult> {
    const { transactions, forkHeight } = this.disconnected.take();
    const readded: string[] = [];
    const dropped: string[] = [];
    const removed: string[] = [];
    const stop = this.events.on("tx-removed", (event) => {
      if (event.reason === "reorg") removed.push(event.txid);
    });
    try {
      for (const tx of transactions) {
        try {
          await this.submitInternal(tx, {
            peer: undefined,
            time: undefined,
            bypassLimits: true,
            orphan: undefined,
            signal: undefined,
          });
          readded.push(tx.txid());
        } catch (error) {
          if (
            error instanceof TxValidationError &&
            error.code === MempoolReason.ALREADY_IN_MEMPOOL
          ) {
            continue;
          }
          dropped.push(tx.txid());
          await this.segment(() => this.removeEntries(spendersOf(this.graph, tx), "reorg"));
        }
      }
      if (forkHeight !== undefined) {
        const targets = coinsToRefresh(this.graph, forkHeight);
        if (targets.length > 0) {
          const coins = await this.chain.getCoins(refreshOutpoints(targets));
          await this.segment(() =>
            this.removeEntries(applyRefreshedCoins(this.graph, targets, coins), "reorg"),
          );
        }
      }
      await this.segment(() => {
        this.removeEntries(invalidAtTip(this.graph, this.chain, this.chain.tip()), "reorg");
        this.removeEntries(overAncestorLimits(this.graph, this.limits), "reorg");
        this.limitSizeAt(this.now());
      });
      return { readded, dropped, removed };
    } finally {
      stop();
    }
  }

  // ---- persistence -----------------------------------------------------------------------------

  /** The mempool as bytes (format: docs/mempool.md, "Persistence"). */
  save(): Uint8Array {
    const entries = [...this.graph.entries.values()].sort(
      (a, b) => a.ancestorCount - b.ancestorCount || a.time - b.time,
    );
    const transactions: SavedTransaction[] = entries.map((e) => ({
      tx: e.tx,
      time: e.time,
      feeDelta: this.deltas.get(e.txid) ?? 0n,
    }));
    const deltas = new Map<string, bigint>();
    for (const [txid, delta] of this.deltas) {
      if (this.graph.get(txid) === undefined) deltas.set(txid, delta);
    }
    return encodeSnapshot({ transactions, deltas });
  }

  /**
   * Loads saved bytes: every transaction is validated again, in the saved order, keeping its
   * entry time; those past the expiry are skipped. Throws DecodeError for bad bytes.
   */
  async load(bytes: Uint8Array): Promise<LoadResult> {
    const snapshot = decodeSnapshot(bytes);
    const now = this.now();
    let accepted = 0;
    let failed = 0;
    let expired = 0;
    let alreadyPresent = 0;
    for (const [txid, delta] of snapshot.deltas) this.prioritise(txid, delta);
    for (const saved of snapshot.transactions) {
      if (saved.time <= now - this.options.expirySeconds) {
        expired++;
        continue;
      }
      const txid = saved.tx.txid();
      if (saved.feeDelta !== 0n) this.prioritise(txid, saved.feeDelta);
      try {
        await this.submitInternal(saved.tx, {
          peer: undefined,
          time: saved.time,
          bypassLimits: false,
          orphan: undefined,
          signal: undefined,
        });
        accepted++;
      } catch (error) {
        if (error instanceof TxValidationError && error.code === MempoolReason.ALREADY_IN_MEMPOOL) {
          alreadyPresent++;
        } else {
          failed++;
        }
      }
    }
    return { accepted, failed, expired, alreadyPresent };
  }

  /** save() written atomically to `path` (temporary file, fsync, rename). */
  async saveToFile(path: string): Promise<void> {
    await writeFileAtomic(path, this.save());
  }

  /** load() from `path`; an absent file loads nothing. */
  async loadFromFile(path: string): Promise<LoadResult> {
    const bytes = await readFileIfExists(path);
    if (bytes === undefined) return { accepted: 0, failed: 0, expired: 0, alreadyPresent: 0 };
    return await this.load(bytes);
  }
}

export type { Orphan };
