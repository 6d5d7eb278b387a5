import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { BlockHeader, bitsToTarget, hashToBigInt } from "@starling/chain";
import fc from "fast-check";
import { HeaderScanner, SHA256_IV, sha256Compress } from "../src/index.ts";

/** The reference: SHA-256d through node:crypto (OpenSSL), internal byte order. */
function sha256d(bytes: Uint8Array): Buffer {
  return createHash("sha256").update(createHash("sha256").update(bytes).digest()).digest();
}

function withNonce(header: Uint8Array, nonce: number): Uint8Array {
  const copy = Uint8Array.from(header);
  new DataView(copy.buffer).setUint32(76, nonce >>> 0, true);
  return copy;
}

/** Nonces in [start, start + count) whose reference hash meets `target`. */
function referenceHits(header: Uint8Array, target: bigint, start: number, count: number): number[] {
  const hits: number[] = [];
  for (let i = 0; i < count; i++) {
    const nonce = (start + i) >>> 0;
    if (hashToBigInt(sha256d(withNonce(header, nonce))) <= target) hits.push(nonce);
  }
  return hits;
}

/** Every hit the scanner reports over the range, resuming after each. */
function scannerHits(scanner: HeaderScanner, start: number, count: number): number[] {
  const hits: number[] = [];
  let from = start >>> 0;
  let left = count;
  while (left > 0) {
    const { nonce, hashes } = scanner.scan(from, left);
    left -= hashes;
    if (nonce === undefined) break;
    hits.push(nonce);
    from = (nonce + 1) >>> 0;
  }
  return hits;
}

const header80 = fc.uint8Array({ minLength: 80, maxLength: 80 });
const nonce32 = fc.integer({ min: 0, max: 0xffffffff });

describe("sha256Compress", () => {
  it("hashes padded messages as node:crypto does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (message) => {
        const blocks = Math.ceil((message.length + 9) / 64);
        const padded = new Uint8Array(blocks * 64);
        padded.set(message);
        padded[message.length] = 0x80;
        new DataView(padded.buffer).setBigUint64(padded.length - 8, BigInt(message.length * 8));
        const state = Int32Array.from(SHA256_IV);
        for (let b = 0; b < blocks; b++) sha256Compress(state, padded, 64 * b);
        const digest = new Uint8Array(32);
        const view = new DataView(digest.buffer);
        state.forEach((word, i) => {
          view.setInt32(4 * i, word);
        });
        assert.deepEqual(
          Buffer.from(digest).toString("hex"),
          createHash("sha256").update(message).digest("hex"),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("the header-specialised SHA-256d", () => {
  it("gives the top 32 bits of the reference hash for thousands of random headers and nonces", () => {
    fc.assert(
      fc.property(header80, fc.array(nonce32, { minLength: 1, maxLength: 4 }), (header, nonces) => {
        const scanner = new HeaderScanner(header, 1n << 255n);
        for (const nonce of nonces) {
          const reference = sha256d(withNonce(header, nonce)).readUInt32LE(28);
          assert.equal(scanner.fastTopWord(nonce), reference);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("hashes exactly what node:crypto hashes on the reference path", () => {
    fc.assert(
      fc.property(header80, nonce32, (header, nonce) => {
        const scanner = new HeaderScanner(header, 0n);
        assert.deepEqual(
          Buffer.from(scanner.hashWithNonce(nonce)),
          sha256d(withNonce(header, nonce)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("finds every nonce that meets the target and no other (early exit included)", () => {
    // Targets spread over the top word's range make the early-exit comparison decide, tie and pass.
    const target = fc.oneof(
      fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
      fc.bigInt({ min: 0n, max: (1n << 252n) - 1n }),
      fc.bigInt({ min: 0n, max: (1n << 246n) - 1n }),
      fc
        .tuple(
          fc.integer({ min: 0, max: 0xffffffff }),
          fc.bigInt({ min: 0n, max: (1n << 224n) - 1n }),
        )
        .map(([top, low]) => (BigInt(top) << 224n) | low),
    );
    fc.assert(
      fc.property(header80, target, nonce32, (header, t, start) => {
        const scanner = new HeaderScanner(header, t);
        const count = 128;
        assert.deepEqual(
          scannerHits(scanner, start, count),
          referenceHits(header, t, start, count),
        );
      }),
      { numRuns: 150 },
    );
  });

  it("finds Bitcoin's genesis nonce at its real difficulty (top 32 bits zero)", () => {
    // The Bitcoin genesis header's fields (public knowledge); only the hashing is under test.
    const genesis = new BlockHeader({
      version: 1,
      prevBlock: "0".repeat(64),
      merkleRoot: "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b",
      time: 1231006505,
      bits: 0x1d00ffff,
      nonce: 0,
    });
    const solution = 2083236893;
    const bytes = genesis.toBytes();
    const target = bitsToTarget(genesis.bits);
    const scanner = new HeaderScanner(bytes, target);
    const start = solution - 20_000;
    const result = scanner.scan(start, 40_000);
    assert.equal(result.nonce, solution);
    assert.equal(result.hashes, solution - start + 1);
    assert.deepEqual(referenceHits(bytes, target, solution - 2, 5), [solution]);
    assert.equal(
      genesis.with({ nonce: solution }).hash(),
      "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
    );
  });

  it("wraps around at 2^32", () => {
    const header = new Uint8Array(80).fill(7);
    const target = 1n << 254n; // about one nonce in four
    const scanner = new HeaderScanner(header, target);
    assert.deepEqual(
      scannerHits(scanner, 0xffffff80, 256),
      referenceHits(header, target, 0xffffff80, 256),
    );
  });

  it("reports nothing, and counts every hash, when no nonce meets the target", () => {
    const scanner = new HeaderScanner(new Uint8Array(80), 0n);
    assert.deepEqual(scanner.scan(0, 10_000), { nonce: undefined, hashes: 10_000 });
  });
});
