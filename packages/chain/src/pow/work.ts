import { decodeCompact } from "./compact.ts";

/**
 * Chain work, as Bitcoin Core's GetBlockProof and nChainWork: the expected number of hashes needed
 * to find a block at a target is 2^256 / (target + 1). Fork choice follows the most cumulative work.
 */

const TWO_256 = 1n << 256n;

/**
 * Work of one block with these bits: 2^256 / (target + 1), or 0 when the bits are negative,
 * overflowing or zero (Core computes the same as ~target / (target + 1) + 1 in 256 bits).
 */
export function blockWork(bits: number): bigint {
  const { target, negative, overflow } = decodeCompact(bits);
  if (negative || overflow || target === 0n) return 0n;
  return TWO_256 / (target + 1n);
}

/** Cumulative work of a block: its parent's chain work plus its own. */
export function addBlockWork(parentChainWork: bigint, bits: number): bigint {
  return parentChainWork + blockWork(bits);
}

/** Total work of a run of headers given by their bits. */
export function chainWork(bitsList: Iterable<number>): bigint {
  let total = 0n;
  for (const bits of bitsList) total += blockWork(bits);
  return total;
}

/** Chain work as Core's RPCs show it (`chainwork`): 64 lowercase hex digits. */
export function chainWorkToHex(work: bigint): string {
  if (work < 0n || work >= TWO_256) throw new RangeError("chain work must be in [0, 2^256)");
  return work.toString(16).padStart(64, "0");
}
