import { compareRates, descendantScore, type FeeAndSize, type MempoolEntry } from "./entry.ts";
import { Heap } from "./heap.ts";

const NONE: ReadonlySet<MempoolEntry> = new Set();

interface EvictionItem {
  readonly entry: MempoolEntry;
  readonly version: number;
  readonly score: FeeAndSize;
}

/**
 * The mempool's transactions as a graph: entries by txid, the outpoint each spends (Core's
 * mapNextTx), parent/child links, and the ancestor/descendant statistics kept exact on every
 * insertion and removal. Two lazily-pruned heaps index eviction order (lowest descendant score,
 * newest first on ties) and age.
 */
export class TxGraph {
  readonly entries = new Map<string, MempoolEntry>();
  /** Spent txid → output index → the mempool entry spending it (keyed by the txid string, whose hash V8 caches). */
  private readonly spentBy = new Map<string, Map<number, MempoolEntry>>();
  private spentCount = 0;
  bytes = 0;
  usage = 0;
  totalFee = 0n;
  private readonly evictionHeap = new Heap<EvictionItem>((a, b) => {
    const c = compareRates(a.score, b.score);
    return c !== 0 ? c < 0 : a.entry.time > b.entry.time;
  });
  private readonly ageHeap = new Heap<MempoolEntry>((a, b) => a.time < b.time);

  get count(): number {
    return this.entries.size;
  }

  get(txid: string): MempoolEntry | undefined {
    return this.entries.get(txid);
  }

  /** The mempool entry spending an outpoint, if any. */
  spender(txid: string, index: number): MempoolEntry | undefined {
    return this.spentBy.get(txid)?.get(index);
  }

  private setSpender(txid: string, index: number, entry: MempoolEntry): void {
    let outputs = this.spentBy.get(txid);
    if (outputs === undefined) {
      outputs = new Map();
      this.spentBy.set(txid, outputs);
    }
    if (!outputs.has(index)) this.spentCount++;
    outputs.set(index, entry);
  }

  private clearSpender(txid: string, index: number, entry: MempoolEntry): void {
    const outputs = this.spentBy.get(txid);
    if (outputs === undefined || outputs.get(index) !== entry) return;
    outputs.delete(index);
    this.spentCount--;
    if (outputs.size === 0) this.spentBy.delete(txid);
  }

  /** In-mempool ancestors, not including the entry. */
  ancestorsOf(entry: MempoolEntry): ReadonlySet<MempoolEntry> {
    return entry.parents.size === 0 ? NONE : walk(entry.parents, (e) => e.parents);
  }

  /** In-mempool descendants, not including the entry. */
  descendantsOf(entry: MempoolEntry): ReadonlySet<MempoolEntry> {
    return entry.children.size === 0 ? NONE : walk(entry.children, (e) => e.children);
  }

  /** The entries plus all their descendants (Core's CalculateDescendants). */
  withDescendants(entries: Iterable<MempoolEntry>): Set<MempoolEntry> {
    const out = new Set<MempoolEntry>();
    const stack = [...entries];
    while (stack.length > 0) {
      const e = stack.pop()!;
      if (out.has(e)) continue;
      out.add(e);
      for (const c of e.children) stack.push(c);
    }
    return out;
  }

  /**
   * Inserts an entry whose in-mempool parents are `parents` (all present). Children already in the
   * mempool (a transaction put back by a reorganisation) are linked too, and the statistics of
   * everything around it recomputed.
   */
  add(entry: MempoolEntry, parents: Iterable<MempoolEntry>): void {
    this.entries.set(entry.txid, entry);
    for (const p of parents) {
      entry.parents.add(p);
      p.children.add(entry);
    }
    for (const input of entry.tx.inputs) this.setSpender(input.prevTxid, input.prevIndex, entry);
    const spenders = this.spentBy.get(entry.txid);
    if (spenders !== undefined) {
      for (const child of spenders.values()) {
        child.parents.add(entry);
        entry.children.add(child);
      }
    }
    this.bytes += entry.size;
    this.usage += entry.usage;
    this.totalFee += entry.fee;
    this.ageHeap.push(entry);

    const ancestors = this.ancestorsOf(entry);
    if (entry.children.size === 0) {
      for (const a of ancestors) {
        entry.ancestorCount++;
        entry.ancestorSize += a.size;
        entry.ancestorFees += a.modifiedFee;
        entry.ancestorSigops += a.sigops;
        a.descendantCount++;
        a.descendantSize += entry.size;
        a.descendantFees += entry.modifiedFee;
        this.scoreChanged(a);
      }
      this.scoreChanged(entry);
    } else {
      this.recomputeAround(entry, ancestors);
    }
  }

  /** Recomputes the statistics that a new link through `entry` changes. */
  private recomputeAround(entry: MempoolEntry, ancestors: ReadonlySet<MempoolEntry>): void {
    for (const d of [entry, ...this.descendantsOf(entry)]) this.recomputeAncestorStats(d);
    for (const a of [entry, ...ancestors]) this.recomputeDescendantStats(a);
  }

  private recomputeAncestorStats(e: MempoolEntry): void {
    e.ancestorCount = 1;
    e.ancestorSize = e.size;
    e.ancestorFees = e.modifiedFee;
    e.ancestorSigops = e.sigops;
    for (const a of this.ancestorsOf(e)) {
      e.ancestorCount++;
      e.ancestorSize += a.size;
      e.ancestorFees += a.modifiedFee;
      e.ancestorSigops += a.sigops;
    }
  }

  private recomputeDescendantStats(e: MempoolEntry): void {
    e.descendantCount = 1;
    e.descendantSize = e.size;
    e.descendantFees = e.modifiedFee;
    for (const d of this.descendantsOf(e)) {
      e.descendantCount++;
      e.descendantSize += d.size;
      e.descendantFees += d.modifiedFee;
    }
    this.scoreChanged(e);
  }

  /** Recomputes every entry's statistics from the links (after bulk changes). */
  recomputeAll(): void {
    for (const e of this.entries.values()) {
      this.recomputeAncestorStats(e);
      this.recomputeDescendantStats(e);
    }
  }

  /** Changes an entry's modified fee (prioritisation) and the package sums that include it. */
  setModifiedFee(entry: MempoolEntry, modifiedFee: bigint): void {
    const delta = modifiedFee - entry.modifiedFee;
    if (delta === 0n) return;
    entry.modifiedFee = modifiedFee;
    entry.ancestorFees += delta;
    entry.descendantFees += delta;
    this.scoreChanged(entry);
    for (const a of this.ancestorsOf(entry)) {
      a.descendantFees += delta;
      this.scoreChanged(a);
    }
    for (const d of this.descendantsOf(entry)) d.ancestorFees += delta;
  }

  /**
   * Removes a set of entries. Entries outside the set that stay keep exact statistics: ancestors
   * lose the removed descendants, descendants (a confirmed parent's children) lose the removed
   * ancestors.
   */
  remove(set: ReadonlySet<MempoolEntry>): void {
    for (const e of set) {
      for (const a of this.ancestorsOf(e)) {
        if (set.has(a)) continue;
        a.descendantCount--;
        a.descendantSize -= e.size;
        a.descendantFees -= e.modifiedFee;
        this.scoreChanged(a);
      }
      for (const d of this.descendantsOf(e)) {
        if (set.has(d)) continue;
        d.ancestorCount--;
        d.ancestorSize -= e.size;
        d.ancestorFees -= e.modifiedFee;
        d.ancestorSigops -= e.sigops;
      }
    }
    for (const e of set) {
      for (const p of e.parents) p.children.delete(e);
      for (const c of e.children) c.parents.delete(e);
      e.parents.clear();
      e.children.clear();
      for (const input of e.tx.inputs) this.clearSpender(input.prevTxid, input.prevIndex, e);
      this.entries.delete(e.txid);
      e.removed = true;
      this.bytes -= e.size;
      this.usage -= e.usage;
      this.totalFee -= e.fee;
    }
    this.pruneHeaps();
  }

  /** The entry with the lowest descendant score (the next to evict), if any. */
  lowestDescendantScore(): MempoolEntry | undefined {
    for (;;) {
      const top = this.evictionHeap.peek();
      if (top === undefined) return undefined;
      if (!top.entry.removed && top.version === top.entry.scoreVersion) return top.entry;
      this.evictionHeap.pop();
    }
  }

  /** The oldest entry, if any. */
  oldest(): MempoolEntry | undefined {
    for (;;) {
      const top = this.ageHeap.peek();
      if (top === undefined || !top.removed) return top;
      this.ageHeap.pop();
    }
  }

  private scoreChanged(e: MempoolEntry): void {
    e.scoreVersion++;
    this.evictionHeap.push({ entry: e, version: e.scoreVersion, score: descendantScore(e) });
  }

  /** Rebuilds the heaps when stale items outnumber live ones, so they stay O(mempool size). */
  private pruneHeaps(): void {
    const live = this.entries.size;
    if (this.evictionHeap.size > 4 * live + 1024) {
      this.evictionHeap.filter((i) => !i.entry.removed && i.version === i.entry.scoreVersion);
    }
    if (this.ageHeap.size > 2 * live + 1024) this.ageHeap.filter((e) => !e.removed);
  }

  /**
   * Core's CTxMemPool::check: recomputes every link and statistic from scratch and throws on any
   * difference. For tests and debugging; O(n * package size).
   */
  check(): void {
    let bytes = 0;
    let usage = 0;
    let totalFee = 0n;
    let spent = 0;
    for (const e of this.entries.values()) {
      bytes += e.size;
      usage += e.usage;
      totalFee += e.fee;
      const parents = new Set<MempoolEntry>();
      for (const input of e.tx.inputs) {
        spent++;
        if (this.spender(input.prevTxid, input.prevIndex) !== e) {
          throw new Error(`check: ${e.txid} input not indexed`);
        }
        const parent = this.entries.get(input.prevTxid);
        if (parent !== undefined) parents.add(parent);
      }
      if (!sameSet(parents, e.parents)) throw new Error(`check: ${e.txid} parents differ`);
      for (const p of e.parents) {
        if (!p.children.has(e)) throw new Error(`check: ${e.txid} not a child of its parent`);
      }
      for (const c of e.children) {
        if (!c.parents.has(e)) throw new Error(`check: ${e.txid} not a parent of its child`);
      }
      const ancestors = this.ancestorsOf(e);
      const descendants = this.descendantsOf(e);
      const expect = (what: string, actual: number | bigint, wanted: number | bigint) => {
        if (actual !== wanted) throw new Error(`check: ${e.txid} ${what} ${actual} != ${wanted}`);
      };
      expect("ancestorCount", e.ancestorCount, ancestors.size + 1);
      expect("ancestorSize", e.ancestorSize, sum(ancestors, (a) => a.size) + e.size);
      expect("ancestorFees", e.ancestorFees, sumFees(ancestors) + e.modifiedFee);
      expect("ancestorSigops", e.ancestorSigops, sum(ancestors, (a) => a.sigops) + e.sigops);
      expect("descendantCount", e.descendantCount, descendants.size + 1);
      expect("descendantSize", e.descendantSize, sum(descendants, (d) => d.size) + e.size);
      expect("descendantFees", e.descendantFees, sumFees(descendants) + e.modifiedFee);
    }
    if (spent !== this.spentCount) throw new Error("check: stale outpoints in spentBy");
    if (bytes !== this.bytes || usage !== this.usage || totalFee !== this.totalFee) {
      throw new Error("check: totals differ");
    }
  }
}

function walk(
  start: Iterable<MempoolEntry>,
  next: (e: MempoolEntry) => Iterable<MempoolEntry>,
): Set<MempoolEntry> {
  const out = new Set<MempoolEntry>();
  const stack = [...start];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (out.has(e)) continue;
    out.add(e);
    for (const n of next(e)) if (!out.has(n)) stack.push(n);
  }
  return out;
}

function sameSet<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

function sum(set: Iterable<MempoolEntry>, f: (e: MempoolEntry) => number): number {
  let total = 0;
  for (const e of set) total += f(e);
  return total;
}

function sumFees(set: Iterable<MempoolEntry>): bigint {
  let total = 0n;
  for (const e of set) total += e.modifiedFee;
  return total;
}
