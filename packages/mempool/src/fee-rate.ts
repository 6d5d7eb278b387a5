/**
 * Fee rates as Bitcoin Core's CFeeRate: base units per 1000 bytes, as bigint. Building a rate from a
 * fee and a size truncates; the fee a rate asks of a size rounds up (and is at least one base unit
 * for a positive rate), so that a transaction exactly at the rate passes and nothing pays zero.
 */

/** Core's CFeeRate(fee, size): fee * 1000 / size, truncated toward zero; 0 for size 0. */
export function feeRateOf(fee: bigint, size: number): bigint {
  if (size <= 0) return 0n;
  return (fee * 1000n) / BigInt(size);
}

/** Core's CFeeRate::GetFee(size): ceil(rate * size / 1000), never 0 for a non-zero rate and size. */
export function feeAtRate(rate: bigint, size: number): bigint {
  if (size <= 0) return 0n;
  const product = rate * BigInt(size);
  const fee = product >= 0n ? (product + 999n) / 1000n : -(-product / 1000n);
  if (fee === 0n && rate !== 0n) return rate > 0n ? 1n : -1n;
  return fee;
}

/** A fee rate as a double, for orderings (Core compares package rates as doubles too). */
export function rateAsNumber(fee: bigint, size: number): number {
  return size > 0 ? (Number(fee) * 1000) / size : 0;
}

/** The larger of two amounts or rates (Math.max does not take bigints). */
export function maxBigInt(a: bigint, b: bigint): bigint {
  if (a >= b) return a;
  return b;
}
