import type { Transaction } from "@starling/chain";

/**
 * What the miner consumes, declared here rather than imported (btcd's and bcoin's habit): the node
 * hands in its mempool and chain state behind these interfaces, and tests hand in plain objects.
 */

/** A mempool transaction offered for a block, with the in-mempool ancestor totals Core keeps. */
export interface BlockCandidate {
  readonly tx: Transaction;
  /** Display hex. */
  readonly txid: string;
  /** Inputs minus outputs, base units. */
  readonly fee: bigint;
  /** Legacy serialized size in bytes. */
  readonly size: number;
  /** Legacy plus P2SH signature operations (what the block limit counts). */
  readonly sigops: number;
  /** Fee of the transaction and of all its in-mempool ancestors. */
  readonly ancestorFee: bigint;
  /** Size of the transaction and of all its in-mempool ancestors. */
  readonly ancestorSize: number;
  /** txids of its direct in-mempool parents (unconfirmed transactions it spends). */
  readonly parents: readonly string[];
}

/** The mempool as the miner sees it. */
export interface TxSource {
  /** Every transaction that could go into the next block, by ancestor fee rate, highest first. */
  getBlockCandidates(): readonly BlockCandidate[];
  /**
   * A counter that changes whenever the mempool does (Core's GetTransactionsUpdated). Optional;
   * when given, an unchanged value spares a template refresh the selection work.
   */
  transactionsUpdated?(): number;
}

/** The best block, on which the next template builds. */
export interface ChainTip {
  readonly height: number;
  /** Display hex. */
  readonly hash: string;
  readonly time: number;
  /** Median-time-past of the tip: the next block's time must exceed it. */
  readonly medianTimePast: number;
}

/** The chain as the miner sees it. */
export interface ChainTipSource {
  getTip(): ChainTip;
  /** The node's network-adjusted time, Unix seconds. */
  now(): number;
  /**
   * The bits the block after `tip` must carry. Optional: by default the miner computes them with
   * chain's `nextWorkRequired` from the network parameters (ASERT needs only the parent).
   */
  nextBits?(tip: ChainTip): number;
}
