/**
 * @packageDocumentation
 * `@starling/miner`: block templates by ancestor fee rate, BIP22/BIP23 getblocktemplate and
 * submitblock semantics, and a proof-of-work search on worker threads with a SHA-256d specialised
 * for block headers. Imports only `@starling/chain`; the chain tip and the mempool come in through
 * the `ChainTipSource` and `TxSource` interfaces it declares.
 */

export { headerMidstate, SHA256_IV, sha256Compress } from "@starling/chain";
export {
  buildCoinbase,
  type CoinbaseInit,
  coinbaseScriptSig,
  EXTRA_NONCE_SIZE,
  MAX_EXTRA_NONCE,
} from "./coinbase.ts";
export {
  abortReason,
  BlockDecodeFailedError,
  BlockNotConnectedError,
  InvalidSolutionError,
  MinerBusyError,
  WorkerFailedError,
} from "./errors.ts";
export {
  decodeSubmittedBlock,
  type GetBlockTemplateResult,
  type GetBlockTemplateTransaction,
  type SubmitOutcome,
  submitBlock,
  submitBlockResult,
  toGetBlockTemplate,
} from "./getblocktemplate.ts";
export { HashRateMeter } from "./hash-rate.ts";
export { HEADER_BYTES, HeaderScanner, type ScanResult } from "./header-scanner.ts";
export { coinbaseMerkleBranch, merkleRootFromBranch } from "./merkle-branch.ts";
export { type MineBlockOptions, mineBlock } from "./mine-block.ts";
export { CpuMiner, createMiner, type MineOptions, type MinerInit } from "./miner.ts";
export { type MinerLogger, type MinerMetrics, SILENT_LOGGER } from "./observability.ts";
export { defaultThreads, type PowSearchRequest, PowWorkerPool } from "./pow-pool.ts";
export {
  type Selection,
  type SelectionLimits,
  selectTransactions,
} from "./select-transactions.ts";
export type { BlockCandidate, ChainTip, ChainTipSource, TxSource } from "./sources.ts";
export {
  assembleBlock,
  type BlockTemplate,
  type BuildTemplateInput,
  buildBlockTemplate,
  createBlockTemplate,
  DEFAULT_COINBASE_TAG,
  nextBitsFor,
  type TemplateNetwork,
  type TemplateOptions,
  type TemplateTransaction,
  templateCoinbase,
  templateHeader,
} from "./template.ts";
export {
  DEFAULT_FEE_RISE_THRESHOLD,
  type RefreshResult,
  type TemplateChange,
  TemplateManager,
  type TemplateManagerOptions,
} from "./template-manager.ts";
