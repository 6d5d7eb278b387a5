import { hash, randomBytes } from "node:crypto";
import type { Bench, BenchInstance, Mode } from "@starling/bench";
import { measure, nativeReference } from "@starling/bench";
import {
  BlockHeader,
  bitsToTarget,
  checkProofOfWorkBytes,
  HEADER_SIZE,
  testnet,
} from "../src/index.ts";

const headerCount = (mode: Mode): number =>
  mode === "smoke" ? 100 : mode === "quick" ? 50_000 : 200_000;

/**
 * `count` serialized headers as a headers message carries them: one buffer, the same parent, root,
 * time and bits, the nonce counting up. Bits are the testnet's powLimit, so the check decodes a
 * real target and most hashes fail it, as most work does not meet a target.
 */
function headerBytes(count: number, bits: number): Uint8Array[] {
  const base = randomBytes(HEADER_SIZE);
  const all = new Uint8Array(count * HEADER_SIZE);
  const view = new DataView(all.buffer);
  for (let i = 0; i < count; i++) {
    const offset = i * HEADER_SIZE;
    all.set(base, offset);
    view.setUint32(offset + 72, bits, true);
    view.setUint32(offset + 76, i, true);
  }
  return Array.from({ length: count }, (_, i) =>
    all.subarray(i * HEADER_SIZE, (i + 1) * HEADER_SIZE),
  );
}

/** The C OpenSSL loop on one thread; else the same two SHA-256 calls through node:crypto. */
function limitFor(
  headers: readonly Uint8Array[],
): Pick<BenchInstance, "limit" | "limitName"> & { fallbackReason?: string } {
  const { reference, message } = nativeReference("sha256d-headers");
  if (reference !== undefined) {
    return {
      limitName: `${reference.description}, 1 thread`,
      limit: () => reference.run(1, headers.length),
    };
  }
  return {
    limitName: "node:crypto hash('sha256') twice per header (fallback)",
    fallbackReason: message,
    limit: () =>
      measure(() => {
        for (const h of headers) hash("sha256", hash("sha256", h, "buffer"), "buffer");
        return headers.length;
      }),
  };
}

export const benches: Bench[] = [
  {
    name: "header-pow",
    unit: "hdr/s",
    better: "higher",
    goal: 0.25,
    async setup(mode) {
      const bits = testnet.powLimitBits;
      const powLimit = bitsToTarget(testnet.powLimitBits);
      const headers = headerBytes(headerCount(mode), bits);
      const { fallbackReason, ...limit } = limitFor(headers);
      let passed = 0;
      return {
        ...limit,
        // What header sync does with each header it receives: decode, hash, check the work.
        project: () =>
          measure(() => {
            passed = 0;
            for (const bytes of headers) {
              const header = BlockHeader.fromBytes(bytes);
              if (checkProofOfWorkBytes(header.hashBytes(), header.bits, powLimit)) passed++;
            }
            return headers.length;
          }),
        notes: () => ({
          headers: headers.length,
          metTarget: passed,
          ...(fallbackReason === undefined ? {} : { native: fallbackReason }),
        }),
      };
    },
  },
];
