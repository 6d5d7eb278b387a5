import { compactSizeLength } from "@starling/chain";
import { DUST_RELAY_FEE_RATE, P2PKH_INPUT_SIZE, P2PKH_OUTPUT_SIZE } from "./constants.ts";

/**
 * Fee arithmetic as the mempool does it (Core's CFeeRate): rates in base units per 1000 bytes, the
 * fee of a size rounded up, so a transaction paying feeAtRate(rate, size) is never below `rate`.
 */

/** ceil(rate × size / 1000); at least 1 for a positive rate and size. */
export function feeAtRate(rate: bigint, size: number): bigint {
  if (size <= 0 || rate <= 0n) return 0n;
  const fee = (rate * BigInt(size) + 999n) / 1000n;
  return fee === 0n ? 1n : fee;
}

/** Serialized size of an output with this script. */
export function outputSize(scriptPubKey: Uint8Array): number {
  return 8 + compactSizeLength(scriptPubKey.length) + scriptPubKey.length;
}

/**
 * Core's GetDustThreshold for a spendable output: below it, spending the output would cost more
 * (at the dust rate, with a 148-byte P2PKH input) than it holds, and the mempool refuses it.
 */
export function dustThreshold(scriptPubKey: Uint8Array): bigint {
  return feeAtRate(DUST_RELAY_FEE_RATE, outputSize(scriptPubKey) + P2PKH_INPUT_SIZE);
}

/** The dust threshold of a P2PKH output (546 base units at the default dust rate): the smallest change kept. */
export const P2PKH_DUST_THRESHOLD: bigint = feeAtRate(
  DUST_RELAY_FEE_RATE,
  P2PKH_OUTPUT_SIZE + P2PKH_INPUT_SIZE,
);

/** The larger of two bigints (Math.max takes numbers only). */
export function maxBigInt(a: bigint, b: bigint): bigint {
  if (a >= b) return a;
  return b;
}
