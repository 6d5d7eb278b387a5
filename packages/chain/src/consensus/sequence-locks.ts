import type { Transaction } from "../primitives/transaction.ts";

/**
 * BIP68 relative lock-times, as Bitcoin Core's CalculateSequenceLocks and EvaluateSequenceLocks, in
 * force from genesis for transactions of version >= 2 (read as unsigned, as Core does). An input's
 * sequence, unless bit 31 disables it, asks for a number of blocks (low 16 bits) or, with bit 22, a
 * number of 512-second units since the median-time-past of the block before the spent coin's block.
 */

export const SEQUENCE_LOCKTIME_DISABLE_FLAG = 0x80000000;
export const SEQUENCE_LOCKTIME_TYPE_FLAG = 0x00400000;
export const SEQUENCE_LOCKTIME_MASK = 0x0000ffff;
export const SEQUENCE_LOCKTIME_GRANULARITY = 9;

/**
 * The last height and median-time-past at which the transaction is still locked: it may be in a
 * block of height > minHeight whose parent's median-time-past is > minTime. −1 means no lock.
 */
export interface SequenceLock {
  readonly minHeight: number;
  readonly minTime: number;
}

/**
 * Median-time-past of the block at `height` on the chain being extended (an ancestor of, or the
 * parent of, the block the transaction is checked for).
 */
export type MedianTimePastAt = (height: number) => number;

/**
 * CalculateSequenceLocks.
 * @param prevHeights height of the coin each input spends (the new block's height for a coin
 *   created earlier in the same block, or the next block's height for one in the mempool).
 */
export function calculateSequenceLocks(
  tx: Transaction,
  prevHeights: readonly number[],
  medianTimePastAt: MedianTimePastAt,
): SequenceLock {
  if (prevHeights.length !== tx.inputs.length) {
    throw new RangeError("calculateSequenceLocks: one prevHeight per input");
  }
  let minHeight = -1;
  let minTime = -1;
  if (tx.version >>> 0 < 2) return { minHeight, minTime };
  tx.inputs.forEach((input, i) => {
    const sequence = input.sequence >>> 0;
    if (sequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) return;
    const coinHeight = prevHeights[i]!;
    const amount = sequence & SEQUENCE_LOCKTIME_MASK;
    if (sequence & SEQUENCE_LOCKTIME_TYPE_FLAG) {
      const coinTime = medianTimePastAt(Math.max(coinHeight - 1, 0));
      minTime = Math.max(minTime, coinTime + amount * 2 ** SEQUENCE_LOCKTIME_GRANULARITY - 1);
    } else {
      minHeight = Math.max(minHeight, coinHeight + amount - 1);
    }
  });
  return { minHeight, minTime };
}

/**
 * EvaluateSequenceLocks: true when a block at `blockHeight`, whose parent has median-time-past
 * `parentMedianTimePast`, satisfies the lock.
 */
export function evaluateSequenceLocks(
  blockHeight: number,
  parentMedianTimePast: number,
  lock: SequenceLock,
): boolean {
  return lock.minHeight < blockHeight && lock.minTime < parentMedianTimePast;
}

/** Core's SequenceLocks: calculate, then evaluate for a block at `blockHeight`. */
export function sequenceLocksSatisfied(
  tx: Transaction,
  prevHeights: readonly number[],
  blockHeight: number,
  medianTimePastAt: MedianTimePastAt,
): boolean {
  const lock = calculateSequenceLocks(tx, prevHeights, medianTimePastAt);
  return evaluateSequenceLocks(blockHeight, medianTimePastAt(blockHeight - 1), lock);
}
