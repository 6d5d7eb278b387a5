import type { Transaction } from "@starling/chain";
import { ancestorScore, compareRates, type MempoolEntry } from "./entry.ts";

/**
 * One transaction offered to block assembly (the miner's TxSource). Fees are in base units;
 * `ancestorFee`/`ancestorSize`/`ancestorSigops` cover the transaction and all its unconfirmed
 * ancestors, which a block must include first.
 */
export interface BlockCandidate {
  readonly tx: Transaction;
  readonly txid: string;
  /** The transaction's own fee: what the coinbase may claim for it. */
  readonly fee: bigint;
  /** Fee plus prioritisation delta: what ordering uses. */
  readonly modifiedFee: bigint;
  readonly size: number;
  readonly sigops: number;
  /** Modified fees of the transaction and its in-mempool ancestors. */
  readonly ancestorFee: bigint;
  readonly ancestorSize: number;
  readonly ancestorSigops: number;
  readonly ancestorCount: number;
  /** The sort key, base units per 1000 bytes: the lower of its own and its package rate. */
  readonly ancestorScore: bigint;
  /** Txids of its in-mempool parents. */
  readonly parents: readonly string[];
}

/**
 * Entries by Core's ancestor score, highest first, ties by txid. A child that pays for its parent
 * can sort before the parent (its package rate is above the parent's own): consumers add a
 * candidate's missing ancestors (found through `parents`) before it.
 */
export function blockCandidates(entries: Iterable<MempoolEntry>): BlockCandidate[] {
  const scored = [...entries].map((e) => ({ e, score: ancestorScore(e) }));
  scored.sort((a, b) => {
    const c = compareRates(b.score, a.score);
    if (c !== 0) return c;
    return a.e.txid < b.e.txid ? -1 : a.e.txid > b.e.txid ? 1 : 0;
  });
  return scored.map(({ e, score }) => ({
    tx: e.tx,
    txid: e.txid,
    fee: e.fee,
    modifiedFee: e.modifiedFee,
    size: e.size,
    sigops: e.sigops,
    ancestorFee: e.ancestorFees,
    ancestorSize: e.ancestorSize,
    ancestorSigops: e.ancestorSigops,
    ancestorCount: e.ancestorCount,
    ancestorScore: (BigInt(Math.round(score.fee)) * 1000n) / BigInt(score.size),
    parents: [...e.parents].map((p) => p.txid),
  }));
}
