import { randomBytes } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Mode } from "@starling/bench";
import { generatePrivateKey, publicKeyFromPrivate, signHash } from "../src/index.ts";

/** One signed message as a transaction input presents it, plus the compact form the addon takes. */
export interface SignedMessage {
  /** DER, low S, without the hash-type byte. */
  der: Uint8Array;
  /** r || s, for the `secp256k1` addon called directly. */
  compact: Uint8Array;
  msg32: Uint8Array;
  /** Compressed SEC1 public key (33 bytes). */
  publicKey: Uint8Array;
}

/** Signatures per fixture set: tiny in smoke mode, about 2,000 quick, 10,000 full. */
export function signatureCount(mode: Mode): number {
  return mode === "smoke" ? 20 : mode === "quick" ? 2_000 : 10_000;
}

/** `count` random keys, each signing one random 32-byte message with the project's signHash. */
export function signedMessages(count: number): SignedMessage[] {
  const out: SignedMessage[] = [];
  for (let i = 0; i < count; i++) {
    const privateKey = generatePrivateKey();
    const msg32 = new Uint8Array(randomBytes(32));
    const der = signHash(privateKey, msg32);
    const compact = secp256k1.Signature.fromBytes(der, "der").toBytes("compact");
    out.push({ der, compact, msg32, publicKey: publicKeyFromPrivate(privateKey) });
  }
  return out;
}
