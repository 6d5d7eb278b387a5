import {
  type Block,
  type Coin,
  calculateSequenceLocks,
  evaluateSequenceLocks,
  isFinalTx,
  outpointKey,
  type Transaction,
} from "@starling/chain";
import type { ChainTip, MempoolChain, Outpoint } from "./chain-view.ts";
import type { MempoolEntry } from "./entry.ts";
import type { PackageLimits } from "./package-limits.ts";
import type { TxGraph } from "./tx-graph.ts";

/**
 * The pieces of Core's MaybeUpdateMempoolForReorg: the disconnected blocks' transactions waiting
 * to be put back (Core's DisconnectedBlockTransactions), and the re-checks of the pool against the
 * new tip. The Mempool sequences them (mempool.ts, updateForReorg).
 */

/** Transactions of disconnected blocks, until the reorganisation is complete. */
export class DisconnectedTransactions {
  private blocks: { height: number; transactions: Transaction[] }[] = [];
  private lowest: number | undefined;

  get size(): number {
    return this.blocks.length;
  }

  add(block: Block, height: number): void {
    this.blocks.push({ height, transactions: block.transactions.slice(1) });
    this.lowest = Math.min(this.lowest ?? height, height);
  }

  /** Forgets those a connected block includes or conflicts with. */
  dropFor(transactions: readonly Transaction[]): void {
    if (this.blocks.length === 0) return;
    const included = new Set<string>();
    const spent = new Set<string>();
    for (const tx of transactions) {
      included.add(tx.txid());
      for (const input of tx.inputs) spent.add(outpointKey(input.prevTxid, input.prevIndex));
    }
    for (const block of this.blocks) {
      block.transactions = block.transactions.filter(
        (tx) =>
          !included.has(tx.txid()) &&
          !tx.inputs.some((i) => spent.has(outpointKey(i.prevTxid, i.prevIndex))),
      );
    }
  }

  /**
   * Takes everything: the transactions oldest block first (so parents come before children), and
   * the fork height (the highest height the reorganisation left untouched), if any block came off.
   */
  take(): { transactions: Transaction[]; forkHeight: number | undefined } {
    const transactions = this.blocks.reverse().flatMap((b) => b.transactions);
    const forkHeight = this.lowest === undefined ? undefined : this.lowest - 1;
    this.blocks = [];
    this.lowest = undefined;
    return { transactions, forkHeight };
  }
}

/** Mempool transactions spending outputs of `tx`, with their descendants. */
export function spendersOf(graph: TxGraph, tx: Transaction): Set<MempoolEntry> {
  const spenders = new Set<MempoolEntry>();
  tx.outputs.forEach((_, index) => {
    const spender = graph.spender(tx.txid(), index);
    if (spender !== undefined) spenders.add(spender);
  });
  return graph.withDescendants(spenders);
}

export interface CoinRefresh {
  readonly entry: MempoolEntry;
  readonly input: number;
}

/** Inputs spending confirmed coins created above the fork point: their height moved, or they went. */
export function coinsToRefresh(graph: TxGraph, forkHeight: number): CoinRefresh[] {
  const targets: CoinRefresh[] = [];
  for (const entry of graph.entries.values()) {
    entry.tx.inputs.forEach((input, index) => {
      if (graph.get(input.prevTxid) !== undefined) return;
      const height = entry.inputHeights[index]!;
      if (height < 0 || height > forkHeight) targets.push({ entry, input: index });
    });
  }
  return targets;
}

export function refreshOutpoints(targets: readonly CoinRefresh[]): Outpoint[] {
  return targets.map(({ entry, input }) => {
    const i = entry.tx.inputs[input]!;
    return { txid: i.prevTxid, index: i.prevIndex };
  });
}

/** Records the refetched coins; returns the entries whose coin is gone, with descendants. */
export function applyRefreshedCoins(
  graph: TxGraph,
  targets: readonly CoinRefresh[],
  coins: readonly (Coin | undefined)[],
): Set<MempoolEntry> {
  const gone = new Set<MempoolEntry>();
  targets.forEach(({ entry, input }, i) => {
    if (entry.removed) return;
    if (graph.get(entry.tx.inputs[input]!.prevTxid) !== undefined) return;
    const coin = coins[i];
    if (coin === undefined) {
      gone.add(entry);
      return;
    }
    entry.inputHeights[input] = coin.height;
    entry.inputIsCoinbase[input] = coin.isCoinbase;
  });
  return graph.withDescendants(gone);
}

/**
 * Core's removeForReorg: entries no longer final, BIP68-final or mature at the tip (mempool
 * parents count as the next block), with their descendants.
 */
export function invalidAtTip(
  graph: TxGraph,
  chain: MempoolChain,
  tip: ChainTip,
): Set<MempoolEntry> {
  const failing = new Set<MempoolEntry>();
  for (const entry of graph.entries.values()) {
    if (!validAtTip(graph, chain, entry, tip)) failing.add(entry);
  }
  return graph.withDescendants(failing);
}

function validAtTip(
  graph: TxGraph,
  chain: MempoolChain,
  entry: MempoolEntry,
  tip: ChainTip,
): boolean {
  const spendHeight = tip.height + 1;
  if (!isFinalTx(entry.tx, spendHeight, tip.medianTimePast)) return false;
  const prevHeights: number[] = [];
  const inputs = entry.tx.inputs;
  for (let i = 0; i < inputs.length; i++) {
    if (graph.get(inputs[i]!.prevTxid) !== undefined) {
      prevHeights.push(spendHeight);
      continue;
    }
    const height = entry.inputHeights[i]!;
    if (height < 0) return false;
    if (entry.inputIsCoinbase[i] && spendHeight - height < chain.params.coinbaseMaturity) {
      return false;
    }
    prevHeights.push(height);
  }
  const lock = calculateSequenceLocks(entry.tx, prevHeights, chain.medianTimePastAt);
  return evaluateSequenceLocks(spendHeight, tip.medianTimePast, lock);
}

/**
 * Entries a put-back parent took over the ancestor limits, with their descendants (Core's
 * UpdateTransactionsFromBlock removes those).
 */
export function overAncestorLimits(graph: TxGraph, limits: PackageLimits): Set<MempoolEntry> {
  const over = new Set<MempoolEntry>();
  for (const entry of graph.entries.values()) {
    if (entry.ancestorCount > limits.ancestorCount || entry.ancestorSize > limits.ancestorSize) {
      over.add(entry);
    }
  }
  return graph.withDescendants(over);
}
