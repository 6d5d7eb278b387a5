import type { Transaction } from "@starling/chain";
import type { BlockCandidate } from "./sources.ts";

/**
 * Transaction selection by ancestor fee rate: Bitcoin Core's BlockAssembler::addPackageTxs,
 * simplified. A transaction is considered together with its not-yet-included in-mempool ancestors
 * (its package), scored by the package's fee rate, so a child paying a high fee pulls in its
 * low-fee parent (child pays for parent). When a package goes in, its members are appended parents
 * first, and every descendant's package shrinks by what was included: such "modified" entries move
 * to a heap with their new score. Packages that would break the size or sigop limit, or that hold a
 * transaction not final at the block's height and time, are skipped.
 */

export interface SelectionLimits {
  /** Bytes available for the selected transactions (the block limit minus header and coinbase). */
  readonly maxSize: number;
  /** Sigops available for them (the block limit minus the coinbase's). */
  readonly maxSigops: number;
  /** Whether a transaction may go into this block (locktime); default: every one may. */
  readonly isFinal?: (tx: Transaction) => boolean;
}

export interface Selection {
  /** Block order: every transaction after its in-mempool parents. */
  readonly transactions: readonly BlockCandidate[];
  readonly size: number;
  readonly sigops: number;
  readonly fees: bigint;
}

/** Core gives up after this many packages in a row failed while the block is nearly full. */
const MAX_CONSECUTIVE_FAILURES = 1000;
/** "Nearly full": within this many bytes of the limit. */
const NEARLY_FULL_BYTES = 4000;

interface Score {
  readonly txid: string;
  readonly fee: bigint;
  readonly size: number;
}

/** True when `a` ranks before `b`: a higher fee rate, then (Core's tie-break) the lower txid. */
function ranksBefore(a: Score, b: Score): boolean {
  const left = a.fee * BigInt(b.size);
  const right = b.fee * BigInt(a.size);
  if (left !== right) return left > right;
  return a.txid < b.txid;
}

/** A binary max-heap of scores; stale entries are skipped by the caller (lazy deletion). */
class ScoreHeap {
  private readonly items: Score[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Score | undefined {
    return this.items[0];
  }

  push(item: Score): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!ranksBefore(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Score | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < items.length && ranksBefore(items[l]!, items[best]!)) best = l;
        if (r < items.length && ranksBefore(items[r]!, items[best]!)) best = r;
        if (best === i) break;
        [items[i], items[best]] = [items[best]!, items[i]!];
        i = best;
      }
    }
    return top;
  }
}

export function selectTransactions(
  candidates: readonly BlockCandidate[],
  limits: SelectionLimits,
): Selection {
  const byId = new Map<string, BlockCandidate>();
  for (const c of candidates) byId.set(c.txid, c);
  const children = new Map<string, string[]>();
  for (const c of candidates) {
    for (const parent of c.parents) {
      const list = children.get(parent);
      if (list === undefined) children.set(parent, [c.txid]);
      else list.push(c.txid);
    }
  }

  // In-mempool ancestors of each transaction; null when one is missing from the candidates (a
  // parent the mempool did not offer cannot be mined, so neither can its descendants).
  const ancestorMemo = new Map<string, ReadonlySet<string> | null>();
  const ancestorsOf = (txid: string): ReadonlySet<string> | null => {
    const known = ancestorMemo.get(txid);
    if (known !== undefined) return known;
    const candidate = byId.get(txid);
    let result: Set<string> | null = candidate === undefined ? null : new Set();
    for (const parent of candidate?.parents ?? []) {
      const above = byId.has(parent) ? ancestorsOf(parent) : null;
      if (above === null || result === null) {
        result = null;
        break;
      }
      result.add(parent);
      for (const a of above) result.add(a);
    }
    ancestorMemo.set(txid, result);
    return result;
  };

  const included = new Set<string>();
  const failed = new Set<string>();
  /** Current package score of entries some of whose ancestors are already in the block. */
  const modified = new Map<string, Score>();
  const heap = new ScoreHeap();
  const selected: BlockCandidate[] = [];
  let size = 0;
  let sigops = 0;
  let fees = 0n;
  let consecutiveFailures = 0;

  /** The package still to include for `txid`: itself and its ancestors not yet in the block. */
  const packageOf = (txid: string): BlockCandidate[] | null => {
    const ancestors = ancestorsOf(txid);
    if (ancestors === null) return null;
    const members = [byId.get(txid)!];
    for (const a of ancestors) if (!included.has(a)) members.push(byId.get(a)!);
    return members;
  };

  const rescore = (txid: string): void => {
    const members = packageOf(txid);
    if (members === null) return;
    let fee = 0n;
    let bytes = 0;
    for (const m of members) {
      fee += m.fee;
      bytes += m.size;
    }
    const score: Score = { txid, fee, size: bytes };
    modified.set(txid, score);
    heap.push(score);
  };

  /** The next live heap entry (skipping superseded scores and decided transactions). */
  const heapTop = (): Score | undefined => {
    for (;;) {
      const top = heap.peek();
      if (top === undefined) return undefined;
      if (modified.get(top.txid) === top && !included.has(top.txid) && !failed.has(top.txid)) {
        return top;
      }
      heap.pop();
    }
  };

  let next = 0;
  for (;;) {
    // Skip array entries already decided or tracked in the heap with a newer score.
    while (next < candidates.length) {
      const c = candidates[next]!;
      if (!included.has(c.txid) && !failed.has(c.txid) && !modified.has(c.txid)) break;
      next++;
    }
    const fromArray = candidates[next];
    const arrayScore: Score | undefined =
      fromArray === undefined
        ? undefined
        : { txid: fromArray.txid, fee: fromArray.ancestorFee, size: fromArray.ancestorSize };
    const fromHeap = heapTop();
    let chosen: Score;
    if (fromHeap !== undefined && (arrayScore === undefined || ranksBefore(fromHeap, arrayScore))) {
      chosen = fromHeap;
      heap.pop();
    } else if (arrayScore !== undefined) {
      chosen = arrayScore;
      next++;
    } else {
      break;
    }

    const members = packageOf(chosen.txid);
    let fits = members !== null;
    let packageSize = 0;
    let packageSigops = 0;
    for (const m of members ?? []) {
      packageSize += m.size;
      packageSigops += m.sigops;
      if (limits.isFinal !== undefined && !limits.isFinal(m.tx)) fits = false;
    }
    if (!fits || size + packageSize > limits.maxSize || sigops + packageSigops > limits.maxSigops) {
      failed.add(chosen.txid);
      modified.delete(chosen.txid);
      consecutiveFailures++;
      if (
        consecutiveFailures > MAX_CONSECUTIVE_FAILURES &&
        size > limits.maxSize - NEARLY_FULL_BYTES
      ) {
        break;
      }
      continue;
    }
    consecutiveFailures = 0;

    // Parents first: an ancestor's ancestor set is a strict subset of its descendant's.
    members!.sort((a, b) => {
      const byDepth = ancestorsOf(a.txid)!.size - ancestorsOf(b.txid)!.size;
      return byDepth !== 0 ? byDepth : a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : 0;
    });
    const touched = new Set<string>();
    for (const m of members!) {
      included.add(m.txid);
      modified.delete(m.txid);
      selected.push(m);
      size += m.size;
      sigops += m.sigops;
      fees += m.fee;
    }
    // Every descendant's package lost these members: give it a fresh score.
    const stack = members!.flatMap((m) => children.get(m.txid) ?? []);
    while (stack.length > 0) {
      const d = stack.pop()!;
      if (touched.has(d) || included.has(d)) continue;
      touched.add(d);
      stack.push(...(children.get(d) ?? []));
    }
    for (const d of touched) if (!failed.has(d)) rescore(d);
  }

  return { transactions: selected, size, sigops, fees };
}
