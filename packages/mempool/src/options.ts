import type { ScriptJobRunner } from "@starling/chain";
import type { MempoolChain } from "./chain-view.ts";
import {
  DEFAULT_ANCESTOR_LIMIT,
  DEFAULT_ANCESTOR_SIZE_LIMIT,
  DEFAULT_BLOCK_BYTES,
  DEFAULT_DESCENDANT_LIMIT,
  DEFAULT_DESCENDANT_SIZE_LIMIT,
  DEFAULT_FEE_HISTORY_BLOCKS,
  DEFAULT_INCREMENTAL_RELAY_FEE_RATE,
  DEFAULT_MAX_MEMPOOL_USAGE,
  DEFAULT_MAX_ORPHAN_BYTES,
  DEFAULT_MAX_ORPHANS,
  DEFAULT_MEMPOOL_EXPIRY_SECONDS,
  DEFAULT_MIN_RELAY_FEE_RATE,
  DEFAULT_ORPHAN_PEER_SHARE,
  DEFAULT_SLICE_BUDGET_MS,
  DUST_RELAY_FEE_RATE,
  MAX_OP_RETURN_RELAY,
  ORPHAN_EXPIRY_SECONDS,
} from "./constants.ts";

/** What the mempool is built from: the node's chain view and script runner, and policy options. */
export interface MempoolComponents {
  readonly chain: MempoolChain;
  /** Runs script checks: the node's worker pool; tests and tools use createInlineScriptJobRunner(). */
  readonly runner: ScriptJobRunner;
  /** Current time in seconds (Unix): the package reads no clock of its own. */
  readonly now: () => number;
}

/** Policy options; every one has Bitcoin Core 28's default (fee rates in base units per 1000 bytes). */
export interface MempoolInit {
  /** Memory the mempool may use, bytes (estimated; Core's -maxmempool). Default 300 MB. */
  readonly maxUsage?: number;
  /** Seconds a transaction may stay (Core's -mempoolexpiry). Default 2 weeks. */
  readonly expirySeconds?: number;
  readonly minRelayFeeRate?: bigint;
  readonly incrementalRelayFeeRate?: bigint;
  readonly dustRelayFeeRate?: bigint;
  /** Largest OP_RETURN script relayed (Core's -datacarriersize); null relays none. Default 83. */
  readonly maxDatacarrierBytes?: number | null;
  readonly permitBareMultisig?: boolean;
  /** Replace any conflicting transaction (Core 28's default), or only those signalling BIP125. */
  readonly fullRbf?: boolean;
  readonly ancestorLimit?: number;
  readonly ancestorSizeLimit?: number;
  readonly descendantLimit?: number;
  readonly descendantSizeLimit?: number;
  readonly maxOrphans?: number;
  readonly maxOrphanBytes?: number;
  /** Share (0..1] of the orphan pool's count and bytes one peer may fill. */
  readonly orphanPeerShare?: number;
  readonly orphanExpirySeconds?: number;
  /** Blocks of included fee rates remembered for fee estimation. */
  readonly feeHistoryBlocks?: number;
  /** Block space per block assumed by fee estimation, bytes. */
  readonly blockBytes?: number;
  /** Milliseconds of synchronous work per event-loop turn before yielding. */
  readonly sliceBudgetMs?: number;
}

export type MempoolOptions = Required<MempoolInit>;

export const DEFAULT_MEMPOOL_OPTIONS: MempoolOptions = Object.freeze({
  maxUsage: DEFAULT_MAX_MEMPOOL_USAGE,
  expirySeconds: DEFAULT_MEMPOOL_EXPIRY_SECONDS,
  minRelayFeeRate: DEFAULT_MIN_RELAY_FEE_RATE,
  incrementalRelayFeeRate: DEFAULT_INCREMENTAL_RELAY_FEE_RATE,
  dustRelayFeeRate: DUST_RELAY_FEE_RATE,
  maxDatacarrierBytes: MAX_OP_RETURN_RELAY,
  permitBareMultisig: true,
  fullRbf: true,
  ancestorLimit: DEFAULT_ANCESTOR_LIMIT,
  ancestorSizeLimit: DEFAULT_ANCESTOR_SIZE_LIMIT,
  descendantLimit: DEFAULT_DESCENDANT_LIMIT,
  descendantSizeLimit: DEFAULT_DESCENDANT_SIZE_LIMIT,
  maxOrphans: DEFAULT_MAX_ORPHANS,
  maxOrphanBytes: DEFAULT_MAX_ORPHAN_BYTES,
  orphanPeerShare: DEFAULT_ORPHAN_PEER_SHARE,
  orphanExpirySeconds: ORPHAN_EXPIRY_SECONDS,
  feeHistoryBlocks: DEFAULT_FEE_HISTORY_BLOCKS,
  blockBytes: DEFAULT_BLOCK_BYTES,
  sliceBudgetMs: DEFAULT_SLICE_BUDGET_MS,
});

export function resolveOptions(init: MempoolInit): MempoolOptions {
  const options: MempoolOptions = { ...DEFAULT_MEMPOOL_OPTIONS };
  for (const [key, value] of Object.entries(init)) {
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  if (!(options.orphanPeerShare > 0 && options.orphanPeerShare <= 1)) {
    throw new RangeError("orphanPeerShare must be in (0, 1]");
  }
  return Object.freeze(options);
}
