import { BlockValidationError } from "../errors.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { pushNumber } from "../script/builder.ts";

/**
 * BIP34: a coinbase's scriptSig starts with its block's height, pushed exactly as Bitcoin Core's
 * `CScript() << nHeight` writes it. That makes every coinbase (so every txid) unique, which is why
 * Starling, with BIP34 from genesis, never needs BIP30's duplicate-txid check.
 */

/**
 * `CScript() << height`: OP_0 for 0, OP_1..OP_16 for 1..16, otherwise a direct push of the minimal
 * little-endian script number (a 0x00 byte appended when the top bit would read as a sign).
 */
export function heightPushScript(height: number): Uint8Array {
  if (!Number.isSafeInteger(height) || height < 0) {
    throw new RangeError(`heightPushScript: height must be a non-negative integer, got ${height}`);
  }
  return pushNumber(height);
}

/** True when `scriptSig` begins with the BIP34 push of `height` (Core compares a prefix only). */
export function hasCoinbaseHeight(scriptSig: Uint8Array, height: number): boolean {
  const expected = heightPushScript(height);
  if (scriptSig.length < expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (scriptSig[i] !== expected[i]) return false;
  return true;
}

/** ContextualCheckBlock's BIP34 rule for the block's first transaction. */
export function checkCoinbaseHeight(coinbase: Transaction, height: number): void {
  const scriptSig = coinbase.inputs[0]?.scriptSig ?? new Uint8Array(0);
  if (!hasCoinbaseHeight(scriptSig, height)) {
    throw new BlockValidationError("bad-cb-height", {
      detail: `block height mismatch in coinbase (expected a push of ${height})`,
    });
  }
}
