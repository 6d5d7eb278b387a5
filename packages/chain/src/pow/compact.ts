/**
 * Bitcoin's "compact" target encoding (the header's `bits`), as Bitcoin Core's arith_uint256
 * SetCompact / GetCompact: one exponent byte (size in bytes), then a 23-bit mantissa and a sign bit
 * (0x00800000). Target = mantissa * 256^(size - 3), computed in 256-bit arithmetic.
 */

const MANTISSA_MASK = 0x007fffff;
const SIGN_BIT = 0x00800000;
const UINT256_MASK = (1n << 256n) - 1n;

export interface DecodedCompact {
  /** The value SetCompact stores: the mantissa's magnitude, shifted, truncated to 256 bits. */
  target: bigint;
  /** SetCompact's pfNegative: the sign bit is set and the mantissa is not zero. */
  negative: boolean;
  /** SetCompact's pfOverflow: the value does not fit in 256 bits. */
  overflow: boolean;
}

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > 0xffffffff) {
    throw new RangeError(`compact bits must be a uint32, got ${bits}`);
  }
}

/** SetCompact with its pfNegative and pfOverflow outputs. */
export function decodeCompact(bits: number): DecodedCompact {
  checkBits(bits);
  const size = bits >>> 24;
  let word = bits & MANTISSA_MASK;
  let target: bigint;
  if (size <= 3) {
    word >>>= 8 * (3 - size);
    target = BigInt(word);
  } else {
    target = (BigInt(word) << BigInt(8 * (size - 3))) & UINT256_MASK;
  }
  const negative = word !== 0 && (bits & SIGN_BIT) !== 0;
  const overflow =
    word !== 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
  return { target, negative, overflow };
}

/**
 * The target encoded by `bits`, exactly the number Core's SetCompact stores: for a negative
 * encoding that is the magnitude (the sign is dropped), for an overflowing one the value truncated
 * to 256 bits. Neither is a usable target: consensus code must call `decodeCompact` (or
 * `deriveTarget`) and refuse negative, zero, overflowing and above-powLimit targets, as Core's
 * CheckProofOfWork does.
 */
export function bitsToTarget(bits: number): bigint {
  return decodeCompact(bits).target;
}

/**
 * GetCompact: the shortest compact encoding of a 256-bit target (precision is lost below the
 * 3 most significant bytes, rounding toward zero). With `negative`, the sign bit is set unless the
 * mantissa is zero.
 */
export function targetToBits(target: bigint, negative = false): number {
  if (typeof target !== "bigint" || target < 0n || target > UINT256_MASK) {
    throw new RangeError("targetToBits: target must be a bigint in [0, 2^256)");
  }
  let size = byteLength(target);
  let compact =
    size <= 3 ? Number(target << BigInt(8 * (3 - size))) : Number(target >> BigInt(8 * (size - 3)));
  // The mantissa's top bit is the sign: when the value would set it, spend one more byte instead.
  if (compact & SIGN_BIT) {
    compact >>>= 8;
    size++;
  }
  compact |= size << 24;
  if (negative && (compact & MANTISSA_MASK) !== 0) compact |= SIGN_BIT;
  return compact >>> 0;
}

function byteLength(value: bigint): number {
  let n = 0;
  while (value > 0n) {
    value >>= 8n;
    n++;
  }
  return n;
}
