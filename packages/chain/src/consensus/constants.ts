/** Consensus constants shared by every network (DESIGN.md §2). Per-network values live in params/. */

/** One coin in base units. */
export const COIN = 100_000_000n;
/** No amount may exceed this (Bitcoin's MAX_MONEY, 21 million coins). */
export const MAX_MONEY = 21_000_000n * COIN;
/** Block size limit, counted on the legacy (stripped) serialization. */
export const MAX_BLOCK_SIZE = 2_000_000;
/** Signature operations per block (legacy count plus P2SH redeem scripts). */
export const MAX_BLOCK_SIGOPS = 40_000;
/** Coinbase scriptSig length bounds. */
export const MIN_COINBASE_SCRIPT_SIZE = 2;
export const MAX_COINBASE_SCRIPT_SIZE = 100;
/** Headers may be at most this far ahead of the node's adjusted time (seconds). */
export const MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60;
/** Blocks whose median is taken for median-time-past. */
export const MEDIAN_TIME_SPAN = 11;
/** Locktime values below this are block heights, at or above it Unix times. */
export const LOCKTIME_THRESHOLD = 500_000_000;
