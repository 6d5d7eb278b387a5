import {
  type Coin,
  type CoinEntry,
  outpointKey,
  transactionCoins,
} from "../consensus/utxo-view.ts";
import type { Block } from "../primitives/block.ts";
import type { Outpoint } from "./store.ts";

/**
 * What a block does to the UTXO set, derived from the block alone: the outpoints it spends from
 * the set before it, and the coins it leaves in the set. Connecting applies them; disconnecting
 * reverses them with the undo data (which holds one coin per spent outpoint, in the same order).
 * The genesis block changes nothing (its coinbase never enters the set, as in Core); callers skip
 * it.
 */

/**
 * The outpoints the block's inputs take from the set as it was before the block, in spending order
 * (each non-coinbase transaction in block order, its inputs in order), leaving out outputs created
 * by an earlier transaction of the same block. The block's undo data has one coin for each.
 */
export function blockSpentOutpoints(block: Block): Outpoint[] {
  const earlier = new Set<string>();
  const out: Outpoint[] = [];
  for (const tx of block.transactions) {
    if (!tx.isCoinbase()) {
      for (const input of tx.inputs) {
        if (!earlier.has(input.prevTxid)) {
          out.push({ txid: input.prevTxid, index: input.prevIndex });
        }
      }
    }
    earlier.add(tx.txid());
  }
  return out;
}

/**
 * The coins the block at `height` adds to the set: every spendable output (not OP_RETURN, not
 * oversized) that no later transaction of the same block spends.
 */
export function blockCreatedCoins(block: Block, height: number): CoinEntry[] {
  const spentInBlock = new Set<string>();
  for (const tx of block.transactions) {
    if (tx.isCoinbase()) continue;
    for (const input of tx.inputs) spentInBlock.add(outpointKey(input.prevTxid, input.prevIndex));
  }
  const out: CoinEntry[] = [];
  for (const tx of block.transactions) {
    for (const entry of transactionCoins(tx, height)) {
      if (!spentInBlock.has(outpointKey(entry.txid, entry.index))) out.push(entry);
    }
  }
  return out;
}

/** Undo data that does not fit its block: the store is damaged. */
export class UndoMismatchError extends Error {
  override readonly name = "UndoMismatchError";
}

/**
 * Pairs the block's spent outpoints with its undo coins: the coins to put back when the block is
 * disconnected.
 */
export function restoredCoins(block: Block, undo: readonly Coin[]): CoinEntry[] {
  const outpoints = blockSpentOutpoints(block);
  if (outpoints.length !== undo.length) {
    throw new UndoMismatchError(
      `undo data of ${block.hash()} holds ${undo.length} coins, the block spends ${outpoints.length}`,
    );
  }
  return outpoints.map((op, i) => ({ txid: op.txid, index: op.index, coin: undo[i]! }));
}
