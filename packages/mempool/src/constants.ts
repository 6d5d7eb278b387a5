import { MAX_BLOCK_SIGOPS, MAX_BLOCK_SIZE } from "@starling/chain";

/**
 * Relay policy defaults: Bitcoin Core 28's (policy/policy.h, kernel/mempool_limits.h,
 * policy/rbf.h, txorphanage.h), with sizes in bytes where Core counts weight or virtual bytes (a
 * pre-segwit transaction's virtual size is its size). docs/mempool.md lists each with its reason.
 */

/** Largest standard transaction (Core's MAX_STANDARD_TX_WEIGHT 400,000 / 4). */
export const MAX_STANDARD_TX_SIZE = 100_000;
/** Smallest standard transaction (Core's MIN_STANDARD_TX_NONWITNESS_SIZE): no 64-byte look-alikes of merkle nodes. */
export const MIN_STANDARD_TX_SIZE = 65;
/** Highest standard transaction version (Core 28 allows 3 for TRUC, which Starling does not have). */
export const MAX_STANDARD_TX_VERSION = 2;
/** Largest standard scriptSig: a 15-of-15 P2SH multisig spend, rounded up (Core's 1650). */
export const MAX_STANDARD_SCRIPTSIG_SIZE = 1650;
/** Bare multisig outputs are standard up to this many keys. */
export const MAX_STANDARD_MULTISIG_KEYS = 3;
/** Largest standard OP_RETURN output script: OP_RETURN, a push opcode, 80 data bytes (MAX_OP_RETURN_RELAY). */
export const MAX_OP_RETURN_RELAY = 83;
/** Sigops (legacy + P2SH) a standard transaction may carry: a fifth of the block limit, as Core. */
export const MAX_STANDARD_TX_SIGOPS = MAX_BLOCK_SIGOPS / 5;
/** Sigops a standard P2SH redeem script may carry. */
export const MAX_P2SH_SIGOPS = 15;

/** Base units per 1000 bytes below which an output costs more to spend than it is worth. */
export const DUST_RELAY_FEE_RATE = 3000n;
/** Default minimum relay fee rate, base units per 1000 bytes. */
export const DEFAULT_MIN_RELAY_FEE_RATE = 1000n;
/** Default incremental relay fee rate (replacements, rolling minimum), base units per 1000 bytes. */
export const DEFAULT_INCREMENTAL_RELAY_FEE_RATE = 1000n;

export const DEFAULT_ANCESTOR_LIMIT = 25;
export const DEFAULT_ANCESTOR_SIZE_LIMIT = 101_000;
export const DEFAULT_DESCENDANT_LIMIT = 25;
export const DEFAULT_DESCENDANT_SIZE_LIMIT = 101_000;

/** Transactions (direct conflicts with their descendants) a replacement may evict. */
export const MAX_REPLACEMENT_CANDIDATES = 100;

export const DEFAULT_MAX_MEMPOOL_USAGE = 300_000_000;
export const DEFAULT_MEMPOOL_EXPIRY_SECONDS = 14 * 24 * 60 * 60;
/** Half-life of the rolling minimum fee after an eviction (Core's ROLLING_FEE_HALFLIFE). */
export const ROLLING_FEE_HALF_LIFE_SECONDS = 12 * 60 * 60;

export const DEFAULT_MAX_ORPHANS = 100;
export const DEFAULT_MAX_ORPHAN_BYTES = 5_000_000;
/** One peer may hold at most this share of the orphan pool (count and bytes). */
export const DEFAULT_ORPHAN_PEER_SHARE = 0.25;
export const ORPHAN_EXPIRY_SECONDS = 20 * 60;

/** Blocks of included fee rates the estimator remembers. */
export const DEFAULT_FEE_HISTORY_BLOCKS = 50;
/** Block space the fee estimator assumes per block (bytes). */
export const DEFAULT_BLOCK_BYTES = MAX_BLOCK_SIZE;

/** How long the mempool may hold the event loop before yielding (milliseconds). */
export const DEFAULT_SLICE_BUDGET_MS = 5;

/** Height Core gives coins created by mempool transactions. */
export const MEMPOOL_HEIGHT = 0x7fffffff;
