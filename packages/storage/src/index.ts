/**
 * @packageDocumentation
 * `@starling/storage`: Starling's chainstate on RocksDB. Raw blocks, the header index, the main
 * chain by height, the UTXO set behind an in-memory cache, undo data, optional tx and address
 * indexes, and the chain tip, committed together in atomic write batches. The key layout is in
 * layout.ts and docs/storage.md.
 */

export {
  ChainStore,
  type ChainStoreOptions,
  type CommitResult,
  type IndexedTransaction,
  NODE_MAX_BATCH_OPS,
  type TornFlush,
} from "./chain-store.ts";
export { ChainWriter } from "./chain-writer.ts";
export {
  CorruptRecordError,
  DatabaseClosedError,
  DatabaseLockedError,
  DatabaseOpenError,
  DiskFullError,
  InconsistentStateError,
  type NetworkIdentity,
  OpenFailure,
  SchemaVersionError,
  StorageError,
  WriteFailedError,
  WrongNetworkError,
} from "./errors.ts";
export {
  isEmpty,
  type KeyRange,
  type KvStore,
  prefixEnd,
  prefixRange,
  type RecordSink,
  type WriteBatch,
  type WriteOptions,
} from "./kv-store.ts";
export {
  addressKey,
  addressPrefix,
  blockKey,
  coinKey,
  headerKey,
  mainChainKey,
  type Outpoint,
  outpointFromKey,
  PREFIX_NAMES,
  Prefix,
  RETIRED_PREFIXES,
  SCHEMA_VERSION,
  scriptHash,
  txIndexKey,
  undoKey,
} from "./layout.ts";
export { MemoryStore } from "./memory-store.ts";
export {
  type AddressOutput,
  decodeAddressOutput,
  encodeAddressOutput,
} from "./records/address-output.ts";
export { decodeBlockHash, encodeBlockHash } from "./records/block-hash.ts";
export { type Coin, decodeCoin, encodeCoin, MAX_COIN_HEIGHT } from "./records/coin.ts";
export {
  decodeHeaderRecord,
  encodeHeaderRecord,
  FAILED_MASK,
  type HeaderRecord,
  HeaderStatus,
  headerRecordHash,
  headerRecordParent,
} from "./records/header-record.ts";
export {
  decodeNetworkMarker,
  encodeNetworkMarker,
  type NetworkMarker,
} from "./records/network-marker.ts";
export { decodeSchemaVersion, encodeSchemaVersion } from "./records/schema-version.ts";
export { type ChainPoint, decodeTip, encodeTip, type TipRecord } from "./records/tip.ts";
export { decodeTxLocation, encodeTxLocation, type TxLocation } from "./records/tx-location.ts";
export { decodeUndo, encodeUndo } from "./records/undo.ts";
export {
  DEFAULT_BLOCK_CACHE_BYTES,
  RocksDbStore,
  type RocksDbStoreOptions,
  rocksDbOpenOptions,
} from "./rocksdb-store.ts";
export {
  DEFAULT_UTXO_CACHE_BYTES,
  ENTRY_OVERHEAD_BYTES,
  type PendingFlush,
  UtxoCache,
  type UtxoCacheOptions,
  type UtxoCacheStats,
} from "./utxo-cache.ts";

// the chain state machine's store (@starling/chain's ChainStateStore)

export {
  DEFAULT_FLUSH_EVERY_BLOCKS,
  DEFAULT_MAX_STAGED_BYTES,
  KvChainStateStore,
  type KvChainStateStoreOptions,
  type RepairedFlush,
} from "./chainstate-store.ts";
