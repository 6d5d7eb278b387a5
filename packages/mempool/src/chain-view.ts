import type { Coin, MedianTimePastAt, NetworkParams } from "@starling/chain";

/**
 * What the mempool needs from the node (btcd style: the consumer declares the interface). Coins
 * are fetched asynchronously so that the node can read them from its UTXO cache or database; every
 * rule then runs synchronously on the fetched coins.
 */

/** An output being spent. */
export interface Outpoint {
  readonly txid: string;
  readonly index: number;
}

/** The active chain's tip. */
export interface ChainTip {
  readonly height: number;
  /** Display hex of the tip block's hash. */
  readonly hash: string;
  /** Median-time-past of the tip: the time finality is judged by for the next block (BIP113). */
  readonly medianTimePast: number;
}

export interface MempoolChain {
  /** The network's rules the mempool applies (coinbase maturity). */
  readonly params: Pick<NetworkParams, "coinbaseMaturity">;
  /** The current tip; the mempool re-reads it after every await. */
  tip(): ChainTip;
  /**
   * The unspent coins at these outpoints as of the current tip (undefined for a missing or spent
   * one), in order. The node answers from its UTXO cache; it must reflect `tip()`.
   */
  getCoins(outpoints: readonly Outpoint[]): Promise<(Coin | undefined)[]>;
  /** Median-time-past of the block at `height` (at most the tip's) on the active chain. */
  medianTimePastAt: MedianTimePastAt;
}
