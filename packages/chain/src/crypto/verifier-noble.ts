import { secp256k1 } from "@noble/curves/secp256k1.js";
import { toSec1PublicKey } from "../keys/public-key.ts";
import { normalizeLowS, parseDerLax } from "./der.ts";
import type { SignatureVerifier } from "./signature-verifier.ts";

/** Signature verification in pure JS with @noble/curves: the fallback when libsecp256k1 is absent. */
export function createNobleVerifier(): SignatureVerifier {
  return {
    name: "noble",
    verify(derSignature: Uint8Array, msgHash32: Uint8Array, publicKey: Uint8Array): boolean {
      if (msgHash32.length !== 32) return false;
      // noble does not know hybrid keys (0x06/0x07); libsecp256k1 accepts them when the tag's
      // parity matches y, and so must we.
      const key = toSec1PublicKey(publicKey);
      if (key === undefined) return false;
      const sig = parseDerLax(derSignature);
      if (sig === undefined) return false;
      normalizeLowS(sig.compact);
      try {
        // noble rejects r = 0 or s = 0 (the zeroed overflow signature) by throwing; verify()
        // catches that itself, the outer try covers anything else it might throw.
        return secp256k1.verify(sig.compact, msgHash32, key, {
          prehash: false,
          lowS: true,
          format: "compact",
        });
      } catch {
        return false;
      }
    },
  };
}
