import { createRequire } from "node:module";
import { normalizeLowS, parseDerLax } from "./der.ts";
import type { SignatureVerifier } from "./signature-verifier.ts";

/** The part of the `secp256k1` package's API this backend uses (the package ships no types). */
interface NativeSecp256k1 {
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, publicKey: Uint8Array): boolean;
}

function loadNative(): NativeSecp256k1 | undefined {
  try {
    // `secp256k1/bindings` is the N-API build only; the package's main entry would silently fall
    // back to the pure-JS elliptic implementation, which is slower than noble.
    const require = createRequire(import.meta.url);
    return require("secp256k1/bindings") as NativeSecp256k1;
  } catch {
    return undefined;
  }
}

/**
 * Signature verification through libsecp256k1 (the library Bitcoin Core uses), via the `secp256k1`
 * package's prebuilt N-API binding. Returns undefined when the binding cannot load (optional
 * dependency missing, or no prebuild for this platform).
 *
 * The binding's ecdsaVerify takes compact signatures only, so DER is parsed here as Core does; its
 * public-key parsing is secp256k1_ec_pubkey_parse itself, hybrid keys included, after a length gate
 * that the JS wrapper would otherwise turn into a throw.
 */
export function createNativeVerifier(): SignatureVerifier | undefined {
  const native = loadNative();
  if (native === undefined) return undefined;
  return {
    name: "native",
    verify(derSignature: Uint8Array, msgHash32: Uint8Array, publicKey: Uint8Array): boolean {
      if (msgHash32.length !== 32) return false;
      if (publicKey.length !== 33 && publicKey.length !== 65) return false;
      const sig = parseDerLax(derSignature);
      if (sig === undefined) return false;
      try {
        // Normalising in JS skips a call into the addon for the common (already low-S) case.
        normalizeLowS(sig.compact);
        return native.ecdsaVerify(sig.compact, msgHash32, publicKey);
      } catch {
        // The binding throws when the public key does not parse.
        return false;
      }
    },
  };
}
