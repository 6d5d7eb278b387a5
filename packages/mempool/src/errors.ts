import { TxValidationError } from "@starling/chain";

/**
 * Why the mempool refuses a transaction that may be valid by consensus: Bitcoin Core's reject
 * strings, so that a reason means the same thing here and in Core and can be a metric label.
 * (Core writes a few with spaces — "insufficient fee", "mempool full" — and they are kept as is.)
 * Consensus failures keep chain's TxValidationError and its codes (bad-txns-..., score 100);
 * script failures are "mandatory-script-verify-flag-failed (ERROR)" (consensus, score 100) or
 * "non-mandatory-script-verify-flag (ERROR)" (policy).
 */
export const MempoolReason = {
  ALREADY_IN_MEMPOOL: "txn-already-in-mempool",
  ALREADY_KNOWN: "txn-already-known",
  COINBASE: "coinbase",
  VERSION: "version",
  TX_SIZE: "tx-size",
  TX_SIZE_SMALL: "tx-size-small",
  SCRIPTSIG_SIZE: "scriptsig-size",
  SCRIPTSIG_NOT_PUSHONLY: "scriptsig-not-pushonly",
  SCRIPTPUBKEY: "scriptpubkey",
  BARE_MULTISIG: "bare-multisig",
  DUST: "dust",
  MULTI_OP_RETURN: "multi-op-return",
  NON_FINAL: "non-final",
  NON_BIP68_FINAL: "non-BIP68-final",
  MISSING_INPUTS: "bad-txns-inputs-missingorspent",
  NONSTANDARD_INPUTS: "bad-txns-nonstandard-inputs",
  TOO_MANY_SIGOPS: "bad-txns-too-many-sigops",
  MEMPOOL_MIN_FEE: "mempool min fee not met",
  MIN_RELAY_FEE: "min relay fee not met",
  TOO_LONG_MEMPOOL_CHAIN: "too-long-mempool-chain",
  MEMPOOL_CONFLICT: "txn-mempool-conflict",
  SPENDS_CONFLICTING_TX: "bad-txns-spends-conflicting-tx",
  INSUFFICIENT_FEE: "insufficient fee",
  TOO_MANY_REPLACEMENTS: "too many potential replacements",
  REPLACEMENT_ADDS_UNCONFIRMED: "replacement-adds-unconfirmed",
  MEMPOOL_FULL: "mempool full",
  /** Not Core's: the chain moved under an admission 16 times in a row; submit again. */
  BUSY: "mempool-busy",
  NON_MANDATORY_SCRIPT: "non-mandatory-script-verify-flag",
  MANDATORY_SCRIPT: "mandatory-script-verify-flag-failed",
} as const;
export type MempoolReason = (typeof MempoolReason)[keyof typeof MempoolReason];

/**
 * A policy refusal: the transaction may be valid, this node just does not relay it (now). Score 0
 * and action "ignore": the sender is not punished and gossip neither relays nor rejects it.
 */
export class MempoolError extends TxValidationError {
  override readonly name: string = "MempoolError";

  constructor(code: string, detail?: string) {
    super(code, { score: 0, action: "ignore", ...(detail === undefined ? {} : { detail }) });
  }
}

export function refuse(code: string, detail?: string): never {
  throw new MempoolError(code, detail);
}
