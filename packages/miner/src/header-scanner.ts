import { hash } from "node:crypto";
import { headerMidstate } from "@starling/chain";
import { hashTopWord, prepareScan, SCAN_CONTEXT_SIZE, scanNonces } from "./sha256-unrolled.ts";

/**
 * The nonce loop of one header. Per header, the midstate (SHA-256 state after bytes 0..63) and
 * everything else nonce-independent is computed once (`prepareScan`); per nonce, the generated
 * code hashes only the header's last 16 bytes and the 32-byte digest, and stops the second hash at
 * round 61, when the top 32 bits of the result are known. Those bits decide almost every nonce;
 * the few candidates whose top bits do not exceed the target's are hashed again in full with
 * node:crypto and compared over all 256 bits, so a reported nonce always meets the target and no
 * nonce that meets it is skipped.
 */

export const HEADER_BYTES = 80;

/** A target as the 32 little-endian bytes Bitcoin compares hashes with. */
function targetBytes(target: bigint): Uint8Array {
  if (target < 0n || target >= 1n << 256n) throw new RangeError("target must fit in 256 bits");
  const out = new Uint8Array(32);
  let t = target;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(t & 0xffn);
    t >>= 8n;
  }
  return out;
}

/** hash (internal byte order) <= target, both read as little-endian 256-bit numbers. */
function meetsTarget(digest: Uint8Array, target: Uint8Array): boolean {
  for (let i = 31; i >= 0; i--) {
    if (digest[i]! !== target[i]!) return digest[i]! < target[i]!;
  }
  return true;
}

export interface ScanResult {
  /** A nonce whose header hash meets the target, or undefined when none in the range does. */
  readonly nonce: number | undefined;
  /** Nonces hashed (up to and including the one found). */
  readonly hashes: number;
}

export class HeaderScanner {
  private readonly ctx = new Int32Array(SCAN_CONTEXT_SIZE);
  private readonly header = new Uint8Array(HEADER_BYTES);
  private readonly view = new DataView(this.header.buffer);
  private target: Uint8Array = new Uint8Array(32);
  private targetTop = 0;

  constructor(header: Uint8Array, target: bigint) {
    this.setHeader(header);
    this.setTarget(target);
  }

  /** A new header (its nonce bytes are ignored): the midstate and per-header constants again. */
  setHeader(header: Uint8Array): void {
    if (header.length !== HEADER_BYTES) throw new RangeError("a block header is 80 bytes");
    this.header.set(header);
    const m = headerMidstate(this.header);
    const v = this.view;
    prepareScan(
      this.ctx,
      m[0]!,
      m[1]!,
      m[2]!,
      m[3]!,
      m[4]!,
      m[5]!,
      m[6]!,
      m[7]!,
      v.getInt32(64),
      v.getInt32(68),
      v.getInt32(72),
    );
  }

  setTarget(target: bigint): void {
    this.target = targetBytes(target);
    this.targetTop = Number(target >> 224n);
  }

  /** SHA-256d of the header with `nonce`, internal byte order (the reference path). */
  hashWithNonce(nonce: number): Uint8Array {
    this.view.setUint32(76, nonce >>> 0, true);
    return hash("sha256", hash("sha256", this.header, "buffer"), "buffer");
  }

  /** The top 32 bits of the hash for `nonce` as the fast path computes them (for tests). */
  fastTopWord(nonce: number): number {
    return hashTopWord(this.ctx, nonce);
  }

  /**
   * Scans `count` nonces from `start` (wrapping at 2^32). Returns the first one whose hash meets
   * the target, or undefined.
   */
  scan(start: number, count: number): ScanResult {
    if (!Number.isInteger(count) || count < 0 || count > 2 ** 32) {
      throw new RangeError("count must be an integer in [0, 2^32]");
    }
    let from = start >>> 0;
    let left = count;
    let hashes = 0;
    while (left > 0) {
      // scanNonces takes at most 2^31 - 1 nonces per call (its loop counter is a small integer).
      const batch = Math.min(left, 0x40000000);
      const candidate = scanNonces(this.ctx, from | 0, batch, this.targetTop);
      if (candidate === -1) {
        hashes += batch;
        left -= batch;
        from = (from + batch) >>> 0;
        continue;
      }
      const scanned = ((candidate - from) >>> 0) + 1;
      hashes += scanned;
      left -= scanned;
      from = (candidate + 1) >>> 0;
      if (meetsTarget(this.hashWithNonce(candidate), this.target)) {
        return { nonce: candidate, hashes };
      }
    }
    return { nonce: undefined, hashes };
  }
}
