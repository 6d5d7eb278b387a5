import type { Transaction } from "../primitives/transaction.ts";
import { SEQUENCE_FINAL } from "../primitives/transaction.ts";
import { LOCKTIME_THRESHOLD } from "./constants.ts";

/**
 * Bitcoin Core's IsFinalTx: a transaction is final when its locktime is 0, or below the block height
 * (locktime < 500,000,000) or the block time (otherwise), or when every input's sequence is final.
 * Under BIP113, in force from genesis, `blockTime` is the median-time-past of the block's parent.
 */
export function isFinalTx(tx: Transaction, blockHeight: number, blockTime: number): boolean {
  if (tx.locktime === 0) return true;
  const cutoff = tx.locktime < LOCKTIME_THRESHOLD ? blockHeight : blockTime;
  if (tx.locktime < cutoff) return true;
  return tx.inputs.every((input) => input.sequence === SEQUENCE_FINAL);
}
