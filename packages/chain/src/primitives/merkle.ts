import { createHash } from "node:crypto";
import { hashToHex, hexToHash } from "../encoding/hex.ts";

/**
 * Bitcoin's merkle tree over txids: pairs hashed with SHA-256d, an odd level duplicating its last
 * hash. Because of that duplication a list whose tail repeats (CVE-2012-2459) has the same root as a
 * shorter one; Bitcoin Core's ComputeMerkleRoot flags it as mutated when any level has two equal
 * hashes side by side, and a mutated block is refused without being marked invalid.
 */

const ZERO_HASH = new Uint8Array(32);

function hashPair(left: Uint8Array, right: Uint8Array): Uint8Array {
  const first = createHash("sha256").update(left).update(right).digest();
  const second = createHash("sha256").update(first).digest();
  return new Uint8Array(second.buffer, second.byteOffset, 32);
}

/** Root and mutation flag over hashes in internal byte order (Core's ComputeMerkleRoot). */
export function computeMerkleRoot(hashes: readonly Uint8Array[]): {
  root: Uint8Array;
  mutated: boolean;
} {
  if (hashes.length === 0) return { root: ZERO_HASH, mutated: false };
  let level = hashes.slice();
  let mutated = false;
  while (level.length > 1) {
    for (let i = 0; i + 1 < level.length; i += 2) {
      if (equal32(level[i]!, level[i + 1]!)) mutated = true;
    }
    if (level.length % 2 === 1) level.push(level[level.length - 1]!);
    const next: Uint8Array[] = new Array(level.length / 2);
    for (let i = 0; i < next.length; i++) next[i] = hashPair(level[2 * i]!, level[2 * i + 1]!);
    level = next;
  }
  return { root: level[0]!, mutated };
}

function equal32(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Merkle root (display hex) of txids given as display hex; the root even for a mutated list. */
export function merkleRoot(txidsDisplayHex: string[]): string {
  return hashToHex(computeMerkleRoot(txidsDisplayHex.map(hexToHash)).root);
}

/** True when the list has the CVE-2012-2459 pattern: equal adjacent hashes at any level. */
export function merkleMutated(txidsDisplayHex: string[]): boolean {
  return computeMerkleRoot(txidsDisplayHex.map(hexToHash)).mutated;
}
