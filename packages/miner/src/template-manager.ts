import type { ChainTipSource, TxSource } from "./sources.ts";
import {
  type BlockTemplate,
  buildBlockTemplate,
  nextBitsFor,
  type TemplateNetwork,
  type TemplateOptions,
} from "./template.ts";

/**
 * Keeps the current block template and decides when to rebuild it: on a new tip always; otherwise
 * when the mempool changed and a fresh selection would collect more than `feeRiseThreshold` in
 * additional fees (rebuilding for every new transaction would restart the search, and external
 * miners' work, for nothing). Driven by calls (`refresh`, `current`); the only timer is the
 * optional interval of `start`.
 */

/** Why a template was built ("on-demand": for mineOne/generate, outside the manager). */
export type TemplateChange = "first" | "new-tip" | "fees" | "forced" | "on-demand";

export interface TemplateManagerOptions {
  readonly chain: ChainTipSource;
  readonly txSource: TxSource;
  readonly network: TemplateNetwork;
  readonly payoutScript: Uint8Array;
  readonly template?: TemplateOptions;
  /**
   * Rebuild when a fresh template's fees exceed the current one's by more than this (base units;
   * default 10,000 = 0.0001 coin).
   */
  readonly feeRiseThreshold?: bigint;
  /** Called after every rebuild with its reason. */
  readonly onTemplate?: (template: BlockTemplate, reason: TemplateChange) => void;
}

export interface RefreshResult {
  readonly template: BlockTemplate;
  /** Why it was rebuilt, or null when the current one was kept. */
  readonly changed: TemplateChange | null;
}

export const DEFAULT_FEE_RISE_THRESHOLD = 10_000n;

export class TemplateManager {
  private readonly options: TemplateManagerOptions;
  private payoutScript: Uint8Array;
  private template: BlockTemplate | undefined;
  private mempoolRevision: number | undefined;
  private stale = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: TemplateManagerOptions) {
    this.options = options;
    this.payoutScript = options.payoutScript;
  }

  /** The current template, rebuilt first when `refresh` would rebuild it. */
  current(): BlockTemplate {
    return this.refresh().template;
  }

  /** The template as last built, without looking at the chain or mempool. */
  peek(): BlockTemplate | undefined {
    return this.template;
  }

  /** Rebuild on the next call whatever happened (e.g. the payout address changed). */
  invalidate(): void {
    this.stale = true;
  }

  setPayoutScript(script: Uint8Array): void {
    this.payoutScript = script;
    this.invalidate();
  }

  /** Looks at the tip and the mempool and rebuilds the template when the policy says so. */
  refresh(): RefreshResult {
    const { chain, txSource } = this.options;
    const tip = chain.getTip();
    const old = this.template;
    let reason: TemplateChange | null = null;
    if (old === undefined) reason = "first";
    else if (old.prevBlock !== tip.hash) reason = "new-tip";
    else if (this.stale) reason = "forced";
    if (reason !== null) return this.install(this.build(), reason);

    const revision = txSource.transactionsUpdated?.();
    if (revision !== undefined && revision === this.mempoolRevision) {
      return { template: old!, changed: null };
    }
    const fresh = this.build();
    const threshold = this.options.feeRiseThreshold ?? DEFAULT_FEE_RISE_THRESHOLD;
    if (fresh.template.fees - old!.fees > threshold) return this.install(fresh, "fees");
    // Same tip and not enough new fees: keep the old template, and skip this mempool state next time.
    this.mempoolRevision = fresh.revision;
    return { template: old!, changed: null };
  }

  /** Refreshes every `intervalMs` (the timer does not keep the process alive). */
  start(intervalMs: number): void {
    if (!(intervalMs > 0)) throw new RangeError("the interval must be positive");
    this.stop();
    this.timer = setInterval(() => this.refresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private build(): { template: BlockTemplate; revision: number | undefined } {
    const { chain, txSource, network } = this.options;
    const tip = chain.getTip();
    const revision = txSource.transactionsUpdated?.();
    const template = buildBlockTemplate({
      tip,
      bits: nextBitsFor(chain, tip, network),
      now: chain.now(),
      candidates: txSource.getBlockCandidates(),
      payoutScript: this.payoutScript,
      network,
      ...(this.options.template === undefined ? {} : { options: this.options.template }),
      ...(revision === undefined ? {} : { mempoolRevision: revision }),
    });
    return { template, revision };
  }

  private install(
    built: { template: BlockTemplate; revision: number | undefined },
    reason: TemplateChange,
  ): RefreshResult {
    const { template } = built;
    this.template = template;
    this.mempoolRevision = built.revision;
    this.stale = false;
    this.options.onTemplate?.(template, reason);
    return { template, changed: reason };
  }
}
