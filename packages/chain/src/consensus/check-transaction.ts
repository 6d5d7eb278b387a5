import { TxValidationError } from "../errors.ts";
import type { Transaction } from "../primitives/transaction.ts";
import {
  MAX_BLOCK_SIZE,
  MAX_COINBASE_SCRIPT_SIZE,
  MAX_MONEY,
  MIN_COINBASE_SCRIPT_SIZE,
} from "./constants.ts";

function fail(code: string, detail?: string): never {
  throw new TxValidationError(code, detail === undefined ? {} : { detail });
}

/**
 * Bitcoin Core's CheckTransaction: the checks that need nothing but the transaction itself.
 * Throws TxValidationError with Core's reject reason.
 */
export function checkTransaction(tx: Transaction): void {
  if (tx.inputs.length === 0) fail("bad-txns-vin-empty");
  if (tx.outputs.length === 0) fail("bad-txns-vout-empty");
  if (tx.hasWitness())
    fail("unexpected-witness", "witness data is not part of Starling's consensus");
  if (tx.size() > MAX_BLOCK_SIZE) fail("bad-txns-oversize");

  let total = 0n;
  for (const output of tx.outputs) {
    if (output.value < 0n) fail("bad-txns-vout-negative");
    if (output.value > MAX_MONEY) fail("bad-txns-vout-toolarge");
    total += output.value;
    if (total > MAX_MONEY) fail("bad-txns-txouttotal-toolarge");
  }

  const seen = new Set<string>();
  for (const input of tx.inputs) {
    const key = `${input.prevTxid}:${input.prevIndex}`;
    if (seen.has(key)) fail("bad-txns-inputs-duplicate");
    seen.add(key);
  }

  if (tx.isCoinbase()) {
    const length = tx.inputs[0]!.scriptSig.length;
    if (length < MIN_COINBASE_SCRIPT_SIZE || length > MAX_COINBASE_SCRIPT_SIZE)
      fail("bad-cb-length");
  } else {
    for (const input of tx.inputs) {
      if (input.prevIndex === 0xffffffff && input.prevTxid === "0".repeat(64))
        fail("bad-txns-prevout-null");
    }
  }
}
