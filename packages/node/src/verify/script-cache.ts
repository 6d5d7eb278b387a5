import { createHash } from "node:crypto";
import { CONSENSUS_SCRIPT_FLAGS, STANDARD_SCRIPT_FLAGS, type Transaction } from "@starling/chain";

/**
 * Bitcoin Core's script execution cache, in spirit: the set of (transaction, flags) pairs for which
 * every input's scripts are known to pass. An entry is SHA-256(txid || flags as u32 LE); its
 * presence is the whole value. Bounded by entry count, evicting the oldest entry first (a Set keeps
 * insertion order); Core uses a CuckooCache with random eviction, which a JS Set does not need.
 *
 * Why (txid, flags) decides the verdict of every input: see docs/verification.md, "The script cache", "Soundness".
 * Feed it only from runs whose scriptPubKeys came from the UTXO set (what connectBlockChecks and
 * checkTxInputs produce): the cache trusts that a job's scriptPubKey is the one its outpoint names.
 */

export interface ScriptCacheOptions {
  /** Most entries kept; default 200,000 (about 15 MB). */
  readonly maxEntries?: number;
}

export const DEFAULT_SCRIPT_CACHE_ENTRIES = 200_000;

/** Flag sets that only add failure conditions to the consensus set (see impliedFlags). */
const CONSENSUS_PLUS_POLICY = CONSENSUS_SCRIPT_FLAGS | STANDARD_SCRIPT_FLAGS;

/**
 * The flag sets a pass under `flags` proves a pass under: `flags` itself, and the consensus set
 * when `flags` is the consensus set plus policy flags only (the mempool's STANDARD set). Each
 * policy flag (STRICTENC, LOW_S, NULLDUMMY, MINIMALDATA, DISCOURAGE_UPGRADABLE_NOPS, CLEANSTACK,
 * NULLFAIL, CONST_SCRIPTCODE) only turns some executions into errors and never changes one that
 * succeeds, given P2SH stays on (CLEANSTACK without P2SH would not be monotonic, which is why
 * Core requires P2SH with it and why the consensus set here keeps it).
 */
export function impliedFlags(flags: number): number[] {
  const isConsensusPlusPolicy =
    (flags & CONSENSUS_SCRIPT_FLAGS) === CONSENSUS_SCRIPT_FLAGS &&
    (flags & ~CONSENSUS_PLUS_POLICY) === 0;
  return isConsensusPlusPolicy && flags !== CONSENSUS_SCRIPT_FLAGS
    ? [flags, CONSENSUS_SCRIPT_FLAGS]
    : [flags];
}

export class ScriptCache {
  readonly maxEntries: number;
  private readonly entries = new Set<string>();

  constructor(options: ScriptCacheOptions = {}) {
    const max = options.maxEntries ?? DEFAULT_SCRIPT_CACHE_ENTRIES;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`ScriptCache: maxEntries must be a positive integer, got ${max}`);
    }
    this.maxEntries = max;
  }

  get size(): number {
    return this.entries.size;
  }

  /** True when every input of `tx` is known to pass under exactly `flags`. */
  has(tx: Transaction, flags: number): boolean {
    return this.entries.has(cacheKey(tx, flags));
  }

  /** Records that every input of `tx` passed under `flags`; evicts the oldest entry when full. */
  add(tx: Transaction, flags: number): void {
    const key = cacheKey(tx, flags);
    if (this.entries.has(key)) return;
    this.entries.add(key);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.values().next().value!;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

const flagBytes = new Uint8Array(4);
const flagView = new DataView(flagBytes.buffer);

function cacheKey(tx: Transaction, flags: number): string {
  flagView.setUint32(0, flags >>> 0, true);
  // A latin1 string of the 32 digest bytes: a compact Set key.
  return createHash("sha256").update(tx.txidBytes()).update(flagBytes).digest().toString("latin1");
}
