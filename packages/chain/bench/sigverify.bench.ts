import { createRequire } from "node:module";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import type { Bench, BenchInstance, Mode } from "@starling/bench";
import { measure, nativeReference } from "@starling/bench";
import { createNativeVerifier, createNobleVerifier, type SignatureVerifier } from "../src/index.ts";
import { type SignedMessage, signatureCount, signedMessages } from "./sig-fixtures.ts";

/** The `secp256k1` addon's N-API entry points (the package ships no types). */
interface Secp256k1Addon {
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, publicKey: Uint8Array): boolean;
}

function loadAddon(): Secp256k1Addon | undefined {
  try {
    return createRequire(import.meta.url)("secp256k1/bindings") as Secp256k1Addon;
  } catch {
    return undefined;
  }
}

function verifyAll(verifier: SignatureVerifier, sigs: readonly SignedMessage[]): number {
  for (const s of sigs) {
    if (!verifier.verify(s.der, s.msg32, s.publicKey)) throw new Error("fixture did not verify");
  }
  return sigs.length;
}

/**
 * The best single-thread limit this machine has: the C libsecp256k1 loop (Core's verify path:
 * key parse, DER parse, normalise, verify); else the addon's ecdsaVerify on compact signatures,
 * which skips the DER parsing and low-S work the project does in JS; else noble on compact
 * signatures, so that the bench still runs (and says so) where neither exists.
 */
function singleThreadLimit(
  sigs: readonly SignedMessage[],
): Pick<BenchInstance, "limit" | "limitName"> & { fallbackReason?: string } {
  const { reference, message } = nativeReference("secp256k1-verify");
  if (reference !== undefined) {
    return {
      limitName: `${reference.description}, 1 thread`,
      limit: () => reference.run(1, sigs.length),
    };
  }
  const addon = loadAddon();
  if (addon !== undefined) {
    return {
      limitName: "secp256k1 addon ecdsaVerify called directly (fallback)",
      fallbackReason: message,
      limit: () =>
        measure(() => {
          for (const s of sigs) {
            if (!addon.ecdsaVerify(s.compact, s.msg32, s.publicKey)) throw new Error("no verify");
          }
          return sigs.length;
        }),
    };
  }
  return {
    limitName: "noble verify on compact signatures called directly (fallback, no addon)",
    fallbackReason: `${message}; the secp256k1 addon did not load either`,
    limit: () =>
      measure(() => {
        for (const s of sigs) {
          if (!secp256k1.verify(s.compact, s.msg32, s.publicKey, { prehash: false })) {
            throw new Error("no verify");
          }
        }
        return sigs.length;
      }),
  };
}

function instance(
  verifier: SignatureVerifier,
  sigs: readonly SignedMessage[],
  notes: Record<string, string | number>,
): BenchInstance {
  const { fallbackReason, ...limit } = singleThreadLimit(sigs);
  const allNotes = fallbackReason === undefined ? notes : { ...notes, native: fallbackReason };
  return {
    ...limit,
    project: () => measure(() => verifyAll(verifier, sigs)),
    notes: () => allNotes,
  };
}

/** noble takes about 25x longer per signature than libsecp256k1: a fifth of the set keeps rounds short. */
function fallbackCount(mode: Mode): number {
  return mode === "smoke" ? signatureCount(mode) : Math.ceil(signatureCount(mode) / 5);
}

export const benches: Bench[] = [
  {
    name: "sigverify-1",
    unit: "sig/s",
    better: "higher",
    goal: 0.75,
    async setup(mode) {
      const sigs = signedMessages(signatureCount(mode));
      const native = createNativeVerifier();
      // Without the addon the native backend does not exist; the bench then times what a node
      // would use instead, and says so, rather than failing `npm test`.
      const verifier = native ?? createNobleVerifier();
      return instance(verifier, sigs, { backend: verifier.name, signatures: sigs.length });
    },
  },
  {
    name: "sigverify-fallback",
    unit: "sig/s",
    better: "higher",
    async setup(mode) {
      const sigs = signedMessages(fallbackCount(mode));
      return instance(createNobleVerifier(), sigs, { backend: "noble", signatures: sigs.length });
    },
  },
];
