import { sha256d } from "@starling/chain";

/**
 * The coinbase's merkle branch: the sibling hash at each level of the tree on the way from leaf 0
 * to the root. Only the coinbase changes when the extra-nonce rolls, so the new root costs one
 * SHA-256d per level instead of a whole tree. (Stratum pools hand miners the same branch.)
 */

function hashPair(left: Uint8Array, right: Uint8Array): Uint8Array {
  const pair = new Uint8Array(64);
  pair.set(left, 0);
  pair.set(right, 32);
  return sha256d(pair);
}

/**
 * The branch for leaf 0 given the other leaves (internal byte order, block order without the
 * coinbase). Odd levels duplicate their last hash, as Bitcoin's tree does.
 */
export function coinbaseMerkleBranch(otherLeaves: readonly Uint8Array[]): Uint8Array[] {
  const branch: Uint8Array[] = [];
  // Level 0 with a placeholder for the coinbase: only hashes not depending on it are computed.
  let level: (Uint8Array | undefined)[] = [undefined, ...otherLeaves];
  while (level.length > 1) {
    if (level.length % 2 === 1) level.push(level[level.length - 1]);
    branch.push(level[1]!);
    const next: (Uint8Array | undefined)[] = [undefined];
    for (let i = 2; i < level.length; i += 2) next.push(hashPair(level[i]!, level[i + 1]!));
    level = next;
  }
  return branch;
}

/** The merkle root (internal byte order) of a tree whose leaf 0 is `coinbaseHash`. */
export function merkleRootFromBranch(
  coinbaseHash: Uint8Array,
  branch: readonly Uint8Array[],
): Uint8Array {
  let hash = coinbaseHash;
  for (const sibling of branch) hash = hashPair(hash, sibling);
  return hash;
}
