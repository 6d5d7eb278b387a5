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
  const target = targetBytesFor(bits, powLimit);
  if (target === null) return false;
  // Compare as 256-bit little-endian numbers, most significant byte first.
  for (let i = 31; i >= 0; i--) {
    const d = hash[i]! - target[i]!;
    if (d !== 0) return d < 0;
  }
  return true;
}

/**
 * Header sync checks thousands of headers with the same bits: the derived target is kept as
 * little-endian bytes per (bits, powLimit), so the check is a byte compare, not BigInt work.
 */
const targetCache = new Map<string, Uint8Array | null>();
const TARGET_CACHE_LIMIT = 1024;

function targetBytesFor(bits: number, powLimit: bigint): Uint8Array | null {
  const key = `${bits}:${powLimit}`;
  let cached = targetCache.get(key);
  if (cached === undefined) {
    const target = deriveTarget(bits, powLimit);
    if (target === undefined) {
      cached = null;
    } else {
      cached = new Uint8Array(32);
      let t = target;
      for (let i = 0; i < 32; i++) {
        cached[i] = Number(t & 0xffn);
        t >>= 8n;
      }
    }
    if (targetCache.size >= TARGET_CACHE_LIMIT) targetCache.clear();
    targetCache.set(key, cached);
  }
  return cached;
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
