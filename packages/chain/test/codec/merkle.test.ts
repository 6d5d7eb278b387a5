import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { sha256d } from "../../src/crypto/hash.ts";
import { concatBytes } from "../../src/encoding/bytes.ts";
import { hashToHex, hexToHash } from "../../src/encoding/hex.ts";
import { DecodeError } from "../../src/errors.ts";
import { computeMerkleRoot, merkleMutated, merkleRoot } from "../../src/primitives/merkle.ts";
import { arbHashHex } from "../helpers/arbitraries.ts";

// Bitcoin block 100000 (public chain data): its four txids and the merkle root in its header.
const BLOCK_100000_TXIDS = [
  "8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87",
  "fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4",
  "6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4",
  "e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d",
];
const BLOCK_100000_ROOT = "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766";

/** H(a || b) over display-hex txids, in internal byte order, as display hex. */
function pair(a: string, b: string): string {
  return hashToHex(sha256d(concatBytes(hexToHash(a), hexToHash(b))));
}

/** Lists of distinct txids (random 32-byte values collide with negligible probability). */
const arbTxids = (minLength: number, maxLength: number) =>
  fc.uniqueArray(arbHashHex, { minLength, maxLength });

describe("merkleRoot", () => {
  it("computes Bitcoin block 100000's merkle root from its txids", () => {
    assert.equal(merkleRoot(BLOCK_100000_TXIDS), BLOCK_100000_ROOT);
    const [a, b, c, d] = BLOCK_100000_TXIDS as [string, string, string, string];
    assert.equal(pair(pair(a, b), pair(c, d)), BLOCK_100000_ROOT);
    assert.equal(merkleMutated(BLOCK_100000_TXIDS), false);
  });

  it("the root of a single txid is the txid", () => {
    fc.assert(
      fc.property(arbHashHex, (txid) => {
        assert.equal(merkleRoot([txid]), txid);
        assert.equal(merkleMutated([txid]), false);
      }),
    );
  });

  it("an empty list has the zero root, as Core's ComputeMerkleRoot, and is not mutated", () => {
    assert.equal(merkleRoot([]), "0".repeat(64));
    assert.equal(merkleMutated([]), false);
    assert.equal(computeMerkleRoot([]).mutated, false);
  });

  it("an odd level pairs its last hash with itself", () => {
    fc.assert(
      fc.property(arbTxids(3, 3), ([a, b, c]) => {
        assert.equal(merkleRoot([a!, b!, c!]), pair(pair(a!, b!), pair(c!, c!)));
      }),
    );
  });

  it("does not change the caller's list", () => {
    const list = BLOCK_100000_TXIDS.slice(0, 3);
    const copy = [...list];
    merkleRoot(list);
    assert.deepEqual(list, copy);
  });

  it("throws DecodeError for a txid that is not 64 hex digits", () => {
    assert.throws(() => merkleRoot(["abcd"]), DecodeError);
  });
});

describe("merkleMutated: CVE-2012-2459", () => {
  it("duplicating the last txid of an odd list keeps the root but is mutated", () => {
    fc.assert(
      fc.property(arbTxids(3, 41), (txids) => {
        const odd = txids.length % 2 === 1 ? txids : txids.slice(1);
        const mutated = [...odd, odd[odd.length - 1]!];
        assert.equal(merkleRoot(mutated), merkleRoot(odd));
        assert.equal(merkleMutated(mutated), true);
        assert.equal(merkleMutated(odd), false);
      }),
    );
  });

  it("duplicating the last 2^k txids where level k is odd keeps the root but is mutated", () => {
    // 6 txids: level 1 has 3 nodes, so appending the last 2 txids repeats its last node.
    // 10 txids: level 1 has 5 nodes; 12: level 2 has 3 nodes, so the last 4 txids repeat.
    const cases: [number, number][] = [
      [6, 2],
      [10, 2],
      [12, 4],
      [5, 1],
      [20, 4],
    ];
    fc.assert(
      fc.property(arbTxids(20, 20), (pool) => {
        for (const [n, k] of cases) {
          const list = pool.slice(0, n);
          const mutated = [...list, ...list.slice(n - k)];
          assert.equal(merkleRoot(mutated), merkleRoot(list), `${n} + ${k}`);
          assert.equal(merkleMutated(mutated), true, `${n} + ${k}`);
          assert.equal(merkleMutated(list), false, `${n}`);
        }
      }),
      { numRuns: 20 },
    );
  });

  it("any equal pair that hashes together is mutated, even when the root differs", () => {
    fc.assert(
      fc.property(arbTxids(2, 16), fc.nat(), (txids, at) => {
        const i = 2 * (at % Math.floor(txids.length / 2));
        const list = [...txids];
        list[i + 1] = list[i]!;
        assert.equal(merkleMutated(list), true);
      }),
    );
  });

  it("lists of distinct txids are never mutated, whatever their length", () => {
    fc.assert(
      fc.property(arbTxids(0, 70), (txids) => {
        assert.equal(merkleMutated(txids), false);
      }),
    );
  });

  it("equal neighbours that are not hashed together do not count", () => {
    fc.assert(
      fc.property(arbTxids(4, 4), ([a, b, c]) => {
        // Pairs are (a, b) and (b, c): no pair of equal hashes at any level.
        assert.equal(merkleMutated([a!, b!, b!, c!]), false);
      }),
    );
  });
});
