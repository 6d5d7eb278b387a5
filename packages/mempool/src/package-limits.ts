import type { MempoolEntry } from "./entry.ts";
import { MempoolReason, refuse } from "./errors.ts";

const NO_ANCESTORS: ReadonlySet<MempoolEntry> = new Set();

export interface PackageLimits {
  readonly ancestorCount: number;
  readonly ancestorSize: number;
  readonly descendantCount: number;
  readonly descendantSize: number;
}

/**
 * Core's CalculateAncestorsAndCheckLimits for a transaction of `size` bytes whose in-mempool
 * parents are `parents`: its ancestor set, or "too-long-mempool-chain" when it would have more
 * than the limit of ancestors (count or bytes, itself included) or give any ancestor more than
 * the limit of descendants.
 */
export function ancestorsWithinLimits(
  parents: ReadonlySet<MempoolEntry>,
  size: number,
  limits: PackageLimits,
): ReadonlySet<MempoolEntry> {
  if (parents.size === 0) return NO_ANCESTORS;
  if (parents.size + 1 > limits.ancestorCount) {
    refuse(
      MempoolReason.TOO_LONG_MEMPOOL_CHAIN,
      `too many unconfirmed parents [limit: ${limits.ancestorCount}]`,
    );
  }
  const ancestors = new Set<MempoolEntry>();
  const staged = new Set(parents);
  let totalSize = size;
  while (staged.size > 0) {
    const stage: MempoolEntry = staged.values().next().value!;
    staged.delete(stage);
    ancestors.add(stage);
    totalSize += stage.size;
    if (stage.descendantSize + size > limits.descendantSize) {
      refuse(
        MempoolReason.TOO_LONG_MEMPOOL_CHAIN,
        `exceeds descendant size limit for tx ${stage.txid} [limit: ${limits.descendantSize}]`,
      );
    }
    if (stage.descendantCount + 1 > limits.descendantCount) {
      refuse(
        MempoolReason.TOO_LONG_MEMPOOL_CHAIN,
        `too many descendants for tx ${stage.txid} [limit: ${limits.descendantCount}]`,
      );
    }
    if (totalSize > limits.ancestorSize) {
      refuse(
        MempoolReason.TOO_LONG_MEMPOOL_CHAIN,
        `exceeds ancestor size limit [limit: ${limits.ancestorSize}]`,
      );
    }
    for (const parent of stage.parents) {
      if (!ancestors.has(parent)) staged.add(parent);
      if (staged.size + ancestors.size + 1 > limits.ancestorCount) {
        refuse(
          MempoolReason.TOO_LONG_MEMPOOL_CHAIN,
          `too many unconfirmed ancestors [limit: ${limits.ancestorCount}]`,
        );
      }
    }
  }
  return ancestors;
}
