import type { SignatureVerifier } from "../../src/crypto/signature-verifier.ts";
import { createNativeVerifier, createNobleVerifier } from "../../src/crypto/verifier.ts";
import {
  NULL_HASH_HEX,
  NULL_INDEX,
  SEQUENCE_FINAL,
  Transaction,
} from "../../src/primitives/transaction.ts";
import { pushNumber } from "../../src/script/builder.ts";

/**
 * Bitcoin Core's script_tests.cpp BuildCreditingTransaction: a coinbase-like transaction whose one
 * output (of `value`) is locked by `scriptPubKey`.
 */
export function buildCreditingTransaction(scriptPubKey: Uint8Array, value = 0n): Transaction {
  return new Transaction({
    version: 1,
    inputs: [
      {
        prevTxid: NULL_HASH_HEX,
        prevIndex: NULL_INDEX,
        scriptSig: Uint8Array.from([...pushNumber(0), ...pushNumber(0)]),
        sequence: SEQUENCE_FINAL,
      },
    ],
    outputs: [{ value, scriptPubKey }],
    locktime: 0,
  });
}

/** Core's BuildSpendingTransaction: spends output 0 of `credit` with `scriptSig`. */
export function buildSpendingTransaction(scriptSig: Uint8Array, credit: Transaction): Transaction {
  return new Transaction({
    version: 1,
    inputs: [{ prevTxid: credit.txid(), prevIndex: 0, scriptSig, sequence: SEQUENCE_FINAL }],
    outputs: [{ value: credit.outputs[0]!.value, scriptPubKey: new Uint8Array(0) }],
    locktime: 0,
  });
}

/** Every signature backend available here: noble always, native when its binding loads. */
export function availableVerifiers(): SignatureVerifier[] {
  const native = createNativeVerifier();
  return native === undefined ? [createNobleVerifier()] : [native, createNobleVerifier()];
}
