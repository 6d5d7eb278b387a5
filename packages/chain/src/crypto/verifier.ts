import type { SignatureVerifier } from "./signature-verifier.ts";
import { createNativeVerifier } from "./verifier-native.ts";
import { createNobleVerifier } from "./verifier-noble.ts";

export { createNativeVerifier } from "./verifier-native.ts";
export { createNobleVerifier } from "./verifier-noble.ts";

export type VerifierKind = "native" | "noble";

let cachedDefault: SignatureVerifier | undefined;

/** libsecp256k1 when its binding loads (about 30x faster), @noble/curves otherwise. */
export function defaultVerifier(): SignatureVerifier {
  cachedDefault ??= createNativeVerifier() ?? createNobleVerifier();
  return cachedDefault;
}

/** A specific backend; throws when `native` is asked for and the binding cannot load. */
export function createVerifier(kind: VerifierKind): SignatureVerifier {
  if (kind === "noble") return createNobleVerifier();
  const native = createNativeVerifier();
  if (native === undefined) throw new Error("native secp256k1 binding is not available");
  return native;
}
