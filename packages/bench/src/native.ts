/**
 * Native reference limits: small C programs (packages/bench/native/*.c) built on demand with the
 * system compiler against Debian's libsecp256k1 and OpenSSL. Each returns a Measurement taken inside
 * the C program (set-up excluded), or, when a package is missing or STARLING_BENCH_NO_NATIVE is set,
 * no measurement and a message naming the `apt-get install` that would enable it, so that a bench
 * can fall back to its next-best limit and say so.
 */
import { readFileSync } from "node:fs";
import type { Measurement } from "./harness.ts";
import { buildNative, type NativeSpec, runNative } from "./native/compile.ts";

export {
  buildNative,
  NATIVE_SOURCE_DIR,
  type NativeBuild,
  type NativeSpec,
  nativeCacheDir,
  nativeDisabled,
  parseNativeOutput,
  runNative,
} from "./native/compile.ts";

export type NativeProgramName = "secp256k1-verify" | "sha256d-headers" | "sha256d-midstate";

/** A built C reference: `run` does `count` units on `threads` threads, repeated until `minSeconds`. */
export interface NativeReference {
  readonly program: NativeProgramName;
  /** What it measures, for a bench's limitName, e.g. "C libsecp256k1 verify loop". */
  readonly description: string;
  run(threads: number, count: number, minSeconds?: number): Promise<Measurement>;
}

/** A reference, or the message saying why there is none and how to install it. */
export type NativeReferenceResult =
  | { readonly reference: NativeReference; readonly message?: undefined }
  | { readonly reference: undefined; readonly message: string };

/** One run of a reference, or the message saying why it could not run. */
export type NativeRun =
  | {
      readonly measurement: Measurement;
      readonly description: string;
      readonly message?: undefined;
    }
  | { readonly measurement: undefined; readonly message: string };

const SECP256K1_VERIFY: NativeSpec = {
  source: "secp256k1-verify.c",
  headers: ["secp256k1.h"],
  libs: ["-lsecp256k1"],
  flags: [],
  debianPackage: "libsecp256k1-dev",
};

const SHA256D_HEADERS: NativeSpec = {
  source: "sha256d-headers.c",
  headers: ["openssl/sha.h"],
  libs: ["-lcrypto"],
  flags: [],
  debianPackage: "libssl-dev",
};

const SHA256D_MIDSTATE_SHANI: NativeSpec = {
  source: "sha256d-midstate.c",
  headers: ["immintrin.h"],
  libs: [],
  flags: ["-DUSE_SHANI", "-msha", "-msse4.1"],
  debianPackage: "gcc",
};

const SHA256D_MIDSTATE_OPENSSL: NativeSpec = {
  source: "sha256d-midstate.c",
  headers: ["openssl/sha.h"],
  libs: ["-lcrypto"],
  flags: ["-Wno-deprecated-declarations"],
  debianPackage: "libssl-dev",
};

/** True when the CPU has the SHA extensions (Linux's sha_ni flag) and STARLING_BENCH_NO_SHANI is unset. */
export function cpuHasShaNi(): boolean {
  if (process.env.STARLING_BENCH_NO_SHANI) return false;
  try {
    return /^flags\s*:.*\bsha_ni\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    return false;
  }
}

function reference(
  program: NativeProgramName,
  spec: NativeSpec,
  description: string,
): NativeReferenceResult {
  const build = buildNative(spec);
  if (build.path === undefined) return { reference: undefined, message: build.message };
  const path = build.path;
  return {
    reference: {
      program,
      description,
      run: (threads, count, minSeconds = 0) => runNative(path, threads, count, minSeconds),
    },
  };
}

/**
 * A C reference by name. The midstate loop uses SHA-NI where the CPU and compiler have it, else
 * OpenSSL's SHA256_Transform; its description says which.
 */
export function nativeReference(program: NativeProgramName): NativeReferenceResult {
  switch (program) {
    case "secp256k1-verify":
      return reference(program, SECP256K1_VERIFY, "C libsecp256k1 verify loop");
    case "sha256d-headers":
      return reference(program, SHA256D_HEADERS, "C OpenSSL one-shot SHA-256d loop");
    case "sha256d-midstate": {
      if (cpuHasShaNi()) {
        const shani = reference(program, SHA256D_MIDSTATE_SHANI, "C SHA-NI midstate loop");
        if (shani.reference !== undefined) return shani;
      }
      return reference(
        program,
        SHA256D_MIDSTATE_OPENSSL,
        "C OpenSSL SHA256_Transform midstate loop",
      );
    }
  }
}

async function runReference(
  program: NativeProgramName,
  threads: number,
  count: number,
  minSeconds: number,
): Promise<NativeRun> {
  const { reference, message } = nativeReference(program);
  if (reference === undefined) return { measurement: undefined, message };
  const measurement = await reference.run(threads, count, minSeconds);
  return { measurement, description: reference.description };
}

/**
 * libsecp256k1 verifying `count` signatures (public key parse, DER parse, low-S normalise, verify,
 * as Core's CPubKey::Verify), split over `threads` threads; repeated until `minSeconds` have passed.
 */
export function nativeSecp256k1VerifyLoop(
  threads: number,
  count: number,
  minSeconds = 0,
): Promise<NativeRun> {
  return runReference("secp256k1-verify", threads, count, minSeconds);
}

/** OpenSSL's one-shot SHA256() twice over `count` 80-byte headers, nonce incremented each time. */
export function nativeSha256dHeaderLoop(
  threads: number,
  count: number,
  minSeconds = 0,
): Promise<NativeRun> {
  return runReference("sha256d-headers", threads, count, minSeconds);
}

/** Nonces each thread hashes between checks of the clock in the midstate loop. */
const MIDSTATE_CHUNK = 1 << 16;

/** A miner's SHA-256d midstate loop on `threads` threads for about `seconds` seconds (hashes). */
export function nativeSha256dMidstateLoop(threads: number, seconds: number): Promise<NativeRun> {
  return runReference("sha256d-midstate", threads, threads * MIDSTATE_CHUNK, seconds);
}
