/**
 * @packageDocumentation
 * `@starling/mempool`: the memory pool of a Starling node — Bitcoin Core 28's relay policy over
 * Starling's (pre-segwit Bitcoin) consensus: standardness, fee floors, package limits, full
 * replace-by-fee, orphans, a size limit with a rolling minimum fee, expiry, reorganisation
 * handling, persistence, fee estimation, and ancestor-score ordering for block templates.
 * Imports only @starling/chain; the node supplies a MempoolChain and a ScriptJobRunner.
 */
import { Mempool } from "./mempool.ts";
import type { MempoolComponents, MempoolInit } from "./options.ts";

export type { AcceptResult, SubmitOptions } from "./admission-types.ts";
export type { BlockCandidate } from "./block-candidates.ts";
export type { ChainTip, MempoolChain, Outpoint } from "./chain-view.ts";
export * from "./constants.ts";
export { MempoolError, MempoolReason } from "./errors.ts";
export type {
  MempoolEvents,
  MempoolListener,
  RemovalReason,
  TxAddedEvent,
  TxRemovedEvent,
} from "./events.ts";
export { targetPercentile, weightedPercentile } from "./fee-estimator.ts";
export { feeAtRate, feeRateOf } from "./fee-rate.ts";
export type { MempoolEntryInfo, MempoolInfo } from "./info.ts";
export { type LoadResult, Mempool, type ReorgResult } from "./mempool.ts";
export {
  DEFAULT_MEMPOOL_OPTIONS,
  type MempoolComponents,
  type MempoolInit,
  type MempoolOptions,
} from "./options.ts";
export type { Orphan } from "./orphan-pool.ts";
export {
  decodeSnapshot,
  encodeSnapshot,
  MEMPOOL_FILE_MAGIC,
  MEMPOOL_FILE_VERSION,
  type MempoolSnapshot,
  type SavedTransaction,
} from "./persistence.ts";
export { type OutputType, solveOutput } from "./policy/solver.ts";
export {
  areInputsStandard,
  checkStandardTx,
  dustThreshold,
  isDust,
  type StandardTxPolicy,
} from "./policy/standard-tx.ts";

/** A mempool over the node's chain view and script runner (js-libp2p style factory). */
export function createMempool(components: MempoolComponents, init: MempoolInit = {}): Mempool {
  return new Mempool(components, init);
}
