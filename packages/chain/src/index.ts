/**
 * @packageDocumentation
 * `@starling/chain`: Starling's consensus, pure (no file, socket or clock access; time is passed in).
 * Bitcoin's pre-segwit formats and rules byte for byte, with ASERT difficulty every block.
 */

export { checkCoinbaseHeight, hasCoinbaseHeight, heightPushScript } from "./consensus/bip34.ts";
export { type CheckBlockOptions, checkBlock, checkBlockHeader } from "./consensus/check-block.ts";
export {
  type ConnectBlockContext,
  type ConnectBlockResult,
  checkTxInputs,
  checkTxScripts,
  connectBlockChecks,
  runScriptJob,
  runScriptJobs,
  type ScriptJob,
  scriptJobsForTx,
  type TxInputsResult,
} from "./consensus/check-inputs.ts";
export { checkTransaction } from "./consensus/check-transaction.ts";
export * from "./consensus/constants.ts";
export { contextualCheckBlock } from "./consensus/contextual-block.ts";
export {
  contextualCheckBlockHeader,
  type HeaderContext,
  MIN_BLOCK_VERSION,
  nextWorkRequired,
} from "./consensus/contextual-header.ts";
export { isFinalTx } from "./consensus/finality.ts";
export { medianTimePast } from "./consensus/median-time.ts";
export {
  CONSENSUS_SCRIPT_FLAG_NAMES,
  STANDARD_NOT_MANDATORY_FLAGS,
  STANDARD_SCRIPT_FLAG_NAMES,
  STANDARD_SCRIPT_FLAGS,
} from "./consensus/script-flags.ts";
export {
  createInlineScriptJobRunner,
  type ScriptJobFailure,
  type ScriptJobRunner,
} from "./consensus/script-job-runner.ts";
export {
  calculateSequenceLocks,
  evaluateSequenceLocks,
  type MedianTimePastAt,
  SEQUENCE_LOCKTIME_DISABLE_FLAG,
  SEQUENCE_LOCKTIME_GRANULARITY,
  SEQUENCE_LOCKTIME_MASK,
  SEQUENCE_LOCKTIME_TYPE_FLAG,
  type SequenceLock,
  sequenceLocksSatisfied,
} from "./consensus/sequence-locks.ts";
export {
  legacySigOpCount,
  p2shRedeemSigOpCount,
  p2shSigOpCount,
  scriptSigOpCount,
} from "./consensus/sigops.ts";
export { getBlockSubsidy, type SubsidySchedule, totalSubsidy } from "./consensus/subsidy.ts";
export {
  type Coin,
  type CoinEntry,
  isUnspendable,
  outpointKey,
  type SpentCoinEntry,
  transactionCoins,
  UtxoOverlay,
  type UtxoView,
} from "./consensus/utxo-view.ts";
export {
  isHighS,
  type LaxSignature,
  normalizeLowS,
  parseDerLax,
  SECP256K1_N,
} from "./crypto/der.ts";
export { hash160, sha256, sha256d } from "./crypto/hash.ts";
export {
  headerMidstate,
  SHA256_IV,
  sha256Compress,
  sha256dHeader,
} from "./crypto/sha256-compress.ts";
export type { SignatureVerifier } from "./crypto/signature-verifier.ts";
export {
  createNativeVerifier,
  createNobleVerifier,
  createVerifier,
  defaultVerifier,
  type VerifierKind,
} from "./crypto/verifier.ts";
export { compareBytes, concatBytes, equalBytes } from "./encoding/bytes.ts";
export { compactSizeLength, MAX_COMPACT_SIZE } from "./encoding/compact-size.ts";
export { fromHex, hashToHex, hexToHash, toHex } from "./encoding/hex.ts";
export { ByteReader } from "./encoding/reader.ts";
export { ByteWriter } from "./encoding/writer.ts";
export {
  BlockValidationError,
  DecodeError,
  DecodeReason,
  TxValidationError,
  type ValidationAction,
  ValidationError,
} from "./errors.ts";
export {
  type AddressType,
  addressToScript,
  type DecodedAddress,
  decodeAddress,
  encodeAddress,
  isValidAddress,
  publicKeyToAddress,
  redeemScriptToAddress,
  scriptToAddress,
  scriptToDecodedAddress,
} from "./keys/address.ts";
export {
  decodeBase58,
  decodeBase58Check,
  encodeBase58,
  encodeBase58Check,
} from "./keys/base58check.ts";
export {
  assertPrivateKey,
  generatePrivateKey,
  isValidPrivateKey,
  PRIVATE_KEY_SIZE,
  publicKeyFromPrivate,
} from "./keys/private-key.ts";
export {
  COMPRESSED_PUBLIC_KEY_SIZE,
  compressPublicKey,
  decompressPublicKey,
  isCompressedPublicKey,
  isValidPublicKey,
  publicKeyHash,
  toSec1PublicKey,
  UNCOMPRESSED_PUBLIC_KEY_SIZE,
} from "./keys/public-key.ts";
export { p2pkhScriptSig, signHash, signInput } from "./keys/sign.ts";
export { type DecodedWif, decodeWif, encodeWif } from "./keys/wif.ts";
export {
  buildGenesisBlock,
  GENESIS_VERSION,
  type GenesisSpec,
  type GenesisTemplate,
  genesisCoinbase,
  mineGenesis,
} from "./params/genesis.ts";
export {
  devnet,
  getNetwork,
  isNetworkName,
  NETWORK_NAMES,
  NETWORKS,
  regtest,
  testnet,
} from "./params/index.ts";
export {
  type NetworkDefinition,
  NetworkDefinitionError,
  networkDefinitionToJson,
  networkFromDefinition,
  parseNetworkDefinition,
} from "./params/network-definition.ts";
export {
  type AsertSchedule,
  defineNetwork,
  dhtProtocol,
  gossipTopic,
  gossipTopicPrefix,
  type NetworkInit,
  type NetworkName,
  type NetworkParams,
  type NetworkPorts,
  withGenesis,
} from "./params/network-params.ts";
export type { AddressPrefixes } from "./params/prefixes.ts";
export { type AsertParams, asertFactor, asertNextBits, asertNextTarget } from "./pow/asert.ts";
export {
  checkProofOfWork,
  checkProofOfWorkBytes,
  deriveTarget,
  hashMeetsTarget,
  hashToBigInt,
} from "./pow/check-pow.ts";
export { bitsToTarget, type DecodedCompact, decodeCompact, targetToBits } from "./pow/compact.ts";
export { addBlockWork, blockWork, chainWork, chainWorkToHex } from "./pow/work.ts";
export { Block } from "./primitives/block.ts";
export { BlockHeader, type BlockHeaderInit, HEADER_SIZE } from "./primitives/block-header.ts";
export { computeMerkleRoot, merkleMutated, merkleRoot } from "./primitives/merkle.ts";
export {
  MAX_DECODE_SIZE,
  NULL_HASH_HEX,
  NULL_INDEX,
  SEQUENCE_FINAL,
  Transaction,
  type TransactionInit,
  type TxInput,
  type TxOutput,
} from "./primitives/transaction.ts";
export { scriptFromAsm, scriptToAsm } from "./script/asm.ts";
export {
  buildScript,
  multisigScript,
  nullDataScript,
  p2pkhScript,
  p2pkScript,
  p2shScript,
  pushData,
  pushDataLiteral,
  pushNumber,
} from "./script/builder.ts";
export { type SignatureChecker, TransactionSignatureChecker } from "./script/checker.ts";
export { findAndDelete } from "./script/find-and-delete.ts";
export {
  CONSENSUS_SCRIPT_FLAGS,
  checkFlagCombination,
  LEGACY_SCRIPT_FLAGS,
  parseScriptFlags,
  ScriptFlag,
  type ScriptFlagName,
  scriptFlagBits,
  scriptFlagNames,
  WITNESS_ERA_FLAGS,
} from "./script/flags.ts";
export {
  evalScript,
  isPayToScriptHash,
  isPushOnlyScript,
  verifyScript,
  verifyScriptDetailed,
} from "./script/interpreter.ts";
export {
  MAX_OPS_PER_SCRIPT,
  MAX_SCRIPT_ELEMENT_SIZE,
  MAX_SCRIPT_SIZE,
  MAX_STACK_SIZE,
} from "./script/interpreter-eval.ts";
export { MAX_PUBKEYS_PER_MULTISIG } from "./script/interpreter-ops-signature.ts";
export { OP_NAMES, Op, type OpName } from "./script/opcodes.ts";
export { parseScript, readOp, type ScriptOp } from "./script/parse.ts";
export { ScriptError, type ScriptErrorCode } from "./script/script-error.ts";
export { castToBool, decodeScriptNum, encodeScriptNum } from "./script/script-num.ts";
export { legacySighash, SighashType } from "./script/sighash.ts";
export {
  hasLowS,
  isCompressedOrUncompressedPubKey,
  isDefinedHashType,
  isValidSignatureEncoding,
} from "./script/signature-encoding.ts";

// chainstate

export {
  blockCreatedCoins,
  blockSpentOutpoints,
  restoredCoins,
  UndoMismatchError,
} from "./chainstate/block-changes.ts";
export {
  BLOCK_FAILED_MASK,
  BlockEntry,
  BlockIndex,
  BlockStatus,
  type ChainPoint,
  lastCommonAncestor,
} from "./chainstate/block-index.ts";
export {
  type AcceptHeaderOptions,
  type BlockInfo,
  ChainState,
  ChainStateClosedError,
  type ProcessBlockOptions,
  type ProcessBlockResult,
  type ProcessBlockStatus,
  type ReindexOptions,
} from "./chainstate/chain-state.ts";
export {
  ChainStateCorruptError,
  NonContinuousHeadersError,
  UnknownParentError,
} from "./chainstate/errors.ts";
export {
  type BlockConnectedEvent,
  type BlockDisconnectedEvent,
  type BlockInvalidEvent,
  ChainEventEmitter,
  type ChainEventName,
  type ChainEvents,
  type ChainListener,
  type ChainTip,
  type HeaderAcceptedEvent,
  type TipChangedEvent,
} from "./chainstate/events.ts";
export { MemoryChainStateStore, type MemoryStoreHooks } from "./chainstate/memory-store.ts";
export type {
  ChainStateComponents,
  ChainStateInit,
  ConnectProgress,
} from "./chainstate/options.ts";
export {
  DEFAULT_MAX_ORPHAN_BYTES,
  DEFAULT_MAX_ORPHANS,
  OrphanPool,
  type OrphanPoolOptions,
} from "./chainstate/orphans.ts";
export type {
  ChainStateStore,
  ConnectCommit,
  DisconnectCommit,
  LoadedChainState,
  Outpoint,
  StoredHeader,
} from "./chainstate/store.ts";
export {
  compareOutpoints,
  UnsortedUtxoError,
  type UtxoCommitment,
  UtxoCommitmentBuilder,
  utxoCommitment,
  utxoCommitmentOf,
} from "./chainstate/utxo-commitment.ts";
export {
  type VerifyLevel,
  type VerifyOptions,
  type VerifyReport,
  verifyChainState,
} from "./chainstate/verify.ts";
