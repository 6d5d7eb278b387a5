import { BlockValidationError } from "../errors.ts";
import type { Block } from "../primitives/block.ts";
import { checkCoinbaseHeight } from "./bip34.ts";
import { isFinalTx } from "./finality.ts";

/**
 * Bitcoin Core's ContextualCheckBlock for a block at `height` whose parent has median-time-past
 * `parentMedianTimePast`, with every soft fork in force from genesis:
 * - BIP113: each transaction final by its locktime against the parent's median-time-past;
 * - BIP34: the coinbase scriptSig starts with the height push;
 * - no witness data (mutated, as in CheckBlock: the hash does not commit to it).
 * Call after checkBlock, which guarantees a coinbase first.
 */
export function contextualCheckBlock(
  block: Block,
  height: number,
  parentMedianTimePast: number,
): void {
  for (const tx of block.transactions) {
    if (!isFinalTx(tx, height, parentMedianTimePast)) {
      throw new BlockValidationError("bad-txns-nonfinal", {
        detail: `non-final transaction ${tx.txid()}`,
      });
    }
  }
  const coinbase = block.transactions[0];
  if (coinbase === undefined) throw new BlockValidationError("bad-cb-missing");
  checkCoinbaseHeight(coinbase, height);
  for (const tx of block.transactions) {
    if (tx.hasWitness()) {
      throw new BlockValidationError("unexpected-witness", {
        score: 0,
        corruptionPossible: true,
        detail: `witness data in ${tx.txid()}`,
      });
    }
  }
}
