import { hexToHash } from "../encoding/hex.ts";
import { bitsToTarget, decodeCompact } from "./compact.ts";

/**
 * Bitcoin Core's CheckProofOfWork: the bits must decode to a positive target no higher than the
 * network's powLimit, and the block hash, read as a 256-bit little-endian number, must not exceed it.
 */

/**
 * Core's DeriveTarget: the target of `bits`, or undefined when the bits are negative, zero,
 * overflowing or above `powLimit`.
 */
export function deriveTarget(bits: number, powLimit: bigint): bigint | undefined {
  const { target, negative, overflow } = decodeCompact(bits);
  if (negative || overflow || target === 0n || target > powLimit) return undefined;
  return target;
}

/** A 32-byte hash in internal byte order read as the little-endian 256-bit number Core compares. */
export function hashToBigInt(hash: Uint8Array): bigint {
  if (!(hash instanceof Uint8Array) || hash.length !== 32) {
    throw new TypeError("hashToBigInt: expected 32 bytes");
  }
  const view = new DataView(hash.buffer, hash.byteOffset, 32);
  return (
    (view.getBigUint64(24, true) << 192n) |
    (view.getBigUint64(16, true) << 128n) |
    (view.getBigUint64(8, true) << 64n) |
    view.getBigUint64(0, true)
  );
}

/** True when a hash (internal byte order) is at or below a target already checked by deriveTarget. */
export function hashMeetsTarget(hash: Uint8Array, target: bigint): boolean {
  return hashToBigInt(hash) <= target;
}

/**
 * CheckProofOfWork over a hash in internal byte order (as header sync has it from sha256d), with
 * the network's powLimit given as its target.
 */
export function checkProofOfWorkBytes(hash: Uint8Array, bits: number, powLimit: bigint): boolean {
  const target = deriveTarget(bits, powLimit);
  return target !== undefined && hashMeetsTarget(hash, target);
}

/**
 * CheckProofOfWork over a block hash as display hex, the network's powLimit given by its compact
 * bits. Throws DecodeError for a hash that is not 64 hex digits.
 */
export function checkProofOfWork(
  blockHashDisplayHex: string,
  bits: number,
  powLimitBits: number,
): boolean {
  return checkProofOfWorkBytes(hexToHash(blockHashDisplayHex), bits, bitsToTarget(powLimitBits));
}
