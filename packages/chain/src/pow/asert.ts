import { decodeCompact, targetToBits } from "./compact.ts";

/**
 * aserti3-2d (DESIGN.md §3), the absolutely scheduled exponential difficulty of Bitcoin Cash, as
 * Bitcoin Cash Node's CalculateASERT: the target moves by 2^((time ahead of schedule) / halfLife)
 * from an anchor block, with the exponent in 16.16 fixed point and 2^frac approximated by a cubic.
 *
 * All arithmetic is bigint. Where BCHN's int64 and 256-bit arithmetic do not overflow (BCHN asserts
 * that they do not, or clamps to powLimit), the results are identical; beyond that range the math
 * stays exact instead of wrapping, so heights and times far past 2^53 still work. BCHN also
 * asserts powLimit < 2^224 to keep 32 bits of headroom in its uint256; Starling's devnet and testnet
 * powLimits are above that, which bigint makes harmless (the result is what BCHN would compute with
 * wider integers).
 */

export interface AsertParams {
  /** Height of the anchor block (Starling: the genesis block, height 0). */
  anchorHeight: number | bigint;
  /** Time of the anchor's parent; for a genesis anchor, genesis time minus the target spacing. */
  anchorParentTime: number | bigint;
  /** The anchor block's bits. */
  anchorBits: number;
  /** Height of the block the next block builds on. */
  parentHeight: number | bigint;
  /** Time of that parent block. */
  parentTime: number | bigint;
  /** Target block spacing in seconds. */
  spacing: number | bigint;
  /** Seconds ahead of (behind) schedule that halve (double) the target. */
  halfLife: number | bigint;
  /** The network's easiest target, as compact bits. */
  powLimitBits: number;
}

const RADIX_BITS = 16n;
const RADIX = 1n << RADIX_BITS;
/** Past this many shifts any positive target exceeds 2^256, so every powLimit clamps it. */
const MAX_LEFT_SHIFT = 300n;

function toBigInt(value: number | bigint, name: string): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) throw new RangeError(`asert: ${name} must be a safe integer`);
  return BigInt(value);
}

function validTarget(bits: number, name: string): bigint {
  const { target, negative, overflow } = decodeCompact(bits);
  if (negative || overflow || target === 0n) {
    throw new RangeError(`asert: ${name} 0x${bits.toString(16)} is not a valid target`);
  }
  return target;
}

/**
 * 65536 * 2^(frac / 65536) for frac in [0, 65536), by BCHN's cubic (error below 0.013%):
 * 65536 + ((195766423245049 frac + 971821376 frac^2 + 5127 frac^3 + 2^47) >> 48).
 */
export function asertFactor(frac: bigint): bigint {
  if (frac < 0n || frac >= RADIX) throw new RangeError("asert: frac must be in [0, 65536)");
  const poly =
    195766423245049n * frac + 971821376n * frac * frac + 5127n * frac * frac * frac + (1n << 47n);
  return RADIX + (poly >> 48n);
}

/** The next target (not yet compact-encoded) by aserti3-2d, in [1, powLimit]. */
export function asertNextTarget(params: AsertParams): bigint {
  const anchorHeight = toBigInt(params.anchorHeight, "anchorHeight");
  const anchorParentTime = toBigInt(params.anchorParentTime, "anchorParentTime");
  const parentHeight = toBigInt(params.parentHeight, "parentHeight");
  const parentTime = toBigInt(params.parentTime, "parentTime");
  const spacing = toBigInt(params.spacing, "spacing");
  const halfLife = toBigInt(params.halfLife, "halfLife");
  if (spacing <= 0n) throw new RangeError("asert: spacing must be positive");
  if (halfLife <= 0n) throw new RangeError("asert: halfLife must be positive");
  const powLimit = validTarget(params.powLimitBits, "powLimitBits");
  const anchorTarget = validTarget(params.anchorBits, "anchorBits");
  // BCHN asserts both: a chain never has a parent below its anchor nor an anchor easier than powLimit.
  if (anchorTarget > powLimit) throw new RangeError("asert: anchor target above powLimit");
  const heightDelta = parentHeight - anchorHeight;
  if (heightDelta < 0n) throw new RangeError("asert: parent below the anchor");

  const timeDelta = parentTime - anchorParentTime;
  // bigint `/` truncates toward zero, as C++ int64 division does.
  const exponent = ((timeDelta - spacing * (heightDelta + 1n)) * RADIX) / halfLife;
  // bigint `>>` floors (arithmetic shift) and `&` reads two's complement, as BCHN's int64 >> and
  // uint16_t cast: exponent == shifts * 65536 + frac with frac in [0, 65536).
  const shifts = exponent >> RADIX_BITS;
  const frac = exponent & (RADIX - 1n);

  // anchorTarget * 2^(exponent / 65536): the factor carries 16 fraction bits, dropped by the shift.
  const scaled = anchorTarget * asertFactor(frac);
  const netShift = shifts - RADIX_BITS;
  let target: bigint;
  if (netShift <= 0n) {
    target = scaled >> -netShift;
  } else if (netShift > MAX_LEFT_SHIFT) {
    target = powLimit;
  } else {
    target = scaled << netShift;
  }
  if (target === 0n) return 1n;
  return target > powLimit ? powLimit : target;
}

/** The bits of the block after `parent` by aserti3-2d (DESIGN.md §3). */
export function asertNextBits(params: AsertParams): number {
  return targetToBits(asertNextTarget(params));
}
