import type { Transaction } from "@starling/chain";

/**
 * One mempool transaction with its links and package statistics (Core's CTxMemPoolEntry).
 * Ancestor and descendant figures include the entry itself; fees there are modified fees (base fee
 * plus any prioritisation delta), as Core's.
 */
export class MempoolEntry {
  readonly tx: Transaction;
  readonly txid: string;
  readonly size: number;
  /** Inputs minus outputs. */
  readonly fee: bigint;
  /** Fee plus the prioritisation delta: what every ordering and fee rule uses. */
  modifiedFee: bigint;
  /** Legacy plus P2SH sigops. */
  readonly sigops: number;
  /** Entry time, seconds. */
  readonly time: number;
  /** Tip height when the entry was accepted. */
  readonly height: number;
  /** Estimated memory held, bytes. */
  readonly usage: number;
  /** The peer it came from, if any. */
  readonly peer: string | undefined;
  /**
   * Height of the confirmed coin each input spends, or -1 while the input spends a mempool parent;
   * kept so that a reorganisation can re-check BIP68 and coinbase maturity without refetching.
   */
  readonly inputHeights: number[];
  readonly inputIsCoinbase: boolean[];

  readonly parents = new Set<MempoolEntry>();
  readonly children = new Set<MempoolEntry>();

  ancestorCount = 1;
  ancestorSize: number;
  ancestorFees: bigint;
  ancestorSigops: number;
  descendantCount = 1;
  descendantSize: number;
  descendantFees: bigint;

  /** Bumped whenever descendant statistics change (stale eviction-heap items are skipped). */
  scoreVersion = 0;
  removed = false;

  constructor(init: {
    tx: Transaction;
    fee: bigint;
    modifiedFee: bigint;
    sigops: number;
    time: number;
    height: number;
    usage: number;
    peer: string | undefined;
    inputHeights: number[];
    inputIsCoinbase: boolean[];
  }) {
    this.tx = init.tx;
    this.txid = init.tx.txid();
    this.size = init.tx.size();
    this.fee = init.fee;
    this.modifiedFee = init.modifiedFee;
    this.sigops = init.sigops;
    this.time = init.time;
    this.height = init.height;
    this.usage = init.usage;
    this.peer = init.peer;
    this.inputHeights = init.inputHeights;
    this.inputIsCoinbase = init.inputIsCoinbase;
    this.ancestorSize = this.size;
    this.ancestorFees = this.modifiedFee;
    this.ancestorSigops = this.sigops;
    this.descendantSize = this.size;
    this.descendantFees = this.modifiedFee;
  }
}

/** A fee and size pair; the rate fee/size is compared by cross-multiplying doubles, as Core does. */
export interface FeeAndSize {
  readonly fee: number;
  readonly size: number;
}

/**
 * Core's descendant score (CompareTxMemPoolEntryByDescendantScore): the higher of the entry's own
 * rate and its rate with descendants. Eviction removes the lowest first.
 */
export function descendantScore(e: MempoolEntry): FeeAndSize {
  const own = Number(e.modifiedFee) * e.descendantSize;
  const withDescendants = Number(e.descendantFees) * e.size;
  return withDescendants > own
    ? { fee: Number(e.descendantFees), size: e.descendantSize }
    : { fee: Number(e.modifiedFee), size: e.size };
}

/**
 * Core's ancestor score (CompareTxMemPoolEntryByAncestorFee): the lower of the entry's own rate and
 * its rate with ancestors. Block assembly takes the highest first.
 */
export function ancestorScore(e: MempoolEntry): FeeAndSize {
  const own = Number(e.modifiedFee) * e.ancestorSize;
  const withAncestors = Number(e.ancestorFees) * e.size;
  return own > withAncestors
    ? { fee: Number(e.ancestorFees), size: e.ancestorSize }
    : { fee: Number(e.modifiedFee), size: e.size };
}

/** Negative when a's rate is lower than b's, 0 when equal. */
export function compareRates(a: FeeAndSize, b: FeeAndSize): number {
  return a.fee * b.size - b.fee * a.size;
}

/**
 * Estimated memory an entry holds, bytes: the received serialization, the decoded transaction
 * (measured on Node 24: about 1,350 bytes plus 1,060 per input — txid strings, script views — and
 * 180 per output) and the entry with its index slots (about 550 bytes plus ~40 per input). The
 * size limit bounds the sum of these, as Core's bounds its own estimate (DynamicMemoryUsage).
 */
export function estimateEntryUsage(tx: Transaction): number {
  return 1900 + tx.size() + 1100 * tx.inputs.length + 200 * tx.outputs.length;
}
