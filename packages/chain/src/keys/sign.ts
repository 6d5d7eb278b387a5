import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Transaction } from "../primitives/transaction.ts";
import { pushData } from "../script/builder.ts";
import { legacySighash, SighashType } from "../script/sighash.ts";
import { assertPrivateKey } from "./private-key.ts";

/**
 * ECDSA signing for transactions. Nonces are RFC 6979 deterministic (HMAC-SHA256 DRBG, no extra
 * entropy) and S is always low, so every signature passes the LOW_S policy and the same inputs
 * always give the same bytes. Core additionally grinds for a low R (71-byte signatures); we do not,
 * which costs one byte in about half the signatures and changes nothing else.
 */

/** DER signature (without hash-type byte) of a 32-byte message hash. */
export function signHash(privateKey: Uint8Array, msgHash32: Uint8Array): Uint8Array {
  assertPrivateKey(privateKey);
  if (!(msgHash32 instanceof Uint8Array) || msgHash32.length !== 32) {
    throw new RangeError("signHash: expected a 32-byte message hash");
  }
  return secp256k1.sign(msgHash32, privateKey, {
    prehash: false,
    lowS: true,
    format: "der",
    extraEntropy: false,
  });
}

/**
 * The signature an input's scriptSig pushes: DER || hash-type byte, over Core's legacy sighash with
 * the spent output's script as scriptCode (its OP_CODESEPARATORs removed by legacySighash).
 */
export function signInput(
  tx: Transaction,
  inputIndex: number,
  privateKey: Uint8Array,
  prevScriptPubKey: Uint8Array,
  hashType: number = SighashType.ALL,
): Uint8Array {
  if (!Number.isInteger(inputIndex) || inputIndex < 0 || inputIndex >= tx.inputs.length) {
    throw new RangeError(`signInput: no input ${inputIndex}`);
  }
  const der = signHash(privateKey, legacySighash(tx, inputIndex, prevScriptPubKey, hashType));
  const out = new Uint8Array(der.length + 1);
  out.set(der);
  out[der.length] = hashType & 0xff;
  return out;
}

/** `<sig||hashType> <publicKey>`: the scriptSig that spends a P2PKH output. */
export function p2pkhScriptSig(
  signatureWithHashType: Uint8Array,
  publicKey: Uint8Array,
): Uint8Array {
  const sig = pushData(signatureWithHashType);
  const key = pushData(publicKey);
  const out = new Uint8Array(sig.length + key.length);
  out.set(sig);
  out.set(key, sig.length);
  return out;
}
