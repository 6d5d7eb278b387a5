import { COIN } from "@starling/chain";

/**
 * Wallet defaults. docs/wallet.md gives the reason for each; fee rates are base units per 1000
 * bytes, as Core's CFeeRate (a pre-segwit transaction's virtual size is its size).
 */

/** BIP44's address gap limit: unused addresses watched past the last used one, per chain. */
export const GAP_LIMIT = 20;

/** BIP44 chain numbers: m/44'/<coin>'/0'/<chain>/<index>. */
export const RECEIVE_CHAIN = 0;
export const CHANGE_CHAIN = 1;
export type KeyChain = typeof RECEIVE_CHAIN | typeof CHANGE_CHAIN;

/** Confirmation target asked of the fee estimator (Core's default -txconfirmtarget). */
export const DEFAULT_CONFIRM_TARGET = 6;
/** Fee rate used when the estimator has no answer (Core's -fallbackfee, enabled). */
export const FALLBACK_FEE_RATE = 1000n;
/** The mempool's default minimum relay fee rate: no transaction pays less. */
export const MIN_RELAY_FEE_RATE = 1000n;
/** The mempool's dust relay fee rate (Core's DUST_RELAY_TX_FEE). */
export const DUST_RELAY_FEE_RATE = 3000n;
/** Largest fee one transaction may pay (Core's -maxtxfee default, 0.1 coin). */
export const MAX_TX_FEE = COIN / 10n;
/** Largest transaction the wallet builds: the mempool's standard size limit. */
export const MAX_WALLET_TX_SIZE = 100_000;

/** Serialized sizes of the P2PKH pieces a wallet transaction is made of (legacy, pre-segwit). */
export const TX_OVERHEAD_SIZE = 4 + 1 + 1 + 4; // version, input count, output count, locktime
/** Outpoint 36 + script length 1 + scriptSig (push of a 72-byte signature, push of a 33-byte key) 107 + sequence 4. */
export const P2PKH_INPUT_SIZE = 148;
/** Value 8 + script length 1 + script 25. */
export const P2PKH_OUTPUT_SIZE = 34;

/** Branch-and-bound gives up after this many steps (Core's TOTAL_TRIES). */
export const BNB_MAX_TRIES = 100_000;

/** walletpassphrase's longest unlock, in seconds (Core clamps to the same). */
export const MAX_UNLOCK_SECONDS = 100_000_000;
