import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { sha256d } from "../../src/crypto/hash.ts";
import { concatBytes } from "../../src/encoding/bytes.ts";
import { fromHex, hashToHex, toHex } from "../../src/encoding/hex.ts";
import { DecodeError, DecodeReason } from "../../src/errors.ts";
import { BlockHeader, HEADER_SIZE } from "../../src/primitives/block-header.ts";
import { arbBlockHeader, headerFields } from "../helpers/arbitraries.ts";

// Bitcoin's genesis header (public chain data): version 1, null parent, merkle root = the coinbase
// txid, time 1231006505, bits 0x1d00ffff, nonce 2083236893.
const GENESIS_HEADER_HEX =
  "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac7" +
  "2c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
const GENESIS_HASH = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";

function failsWith(bytes: Uint8Array, reason: string): void {
  assert.throws(
    () => BlockHeader.fromBytes(bytes),
    (err: unknown) => err instanceof DecodeError && err.reason === reason,
    `${bytes.length} bytes should fail with ${reason}`,
  );
}

describe("BlockHeader codec", () => {
  it("decodes Bitcoin's genesis header and hashes it", () => {
    const header = BlockHeader.fromBytes(fromHex(GENESIS_HEADER_HEX));
    assert.deepEqual(headerFields(header), {
      version: 1,
      prevBlock: "0".repeat(64),
      merkleRoot: "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b",
      time: 1231006505,
      bits: 0x1d00ffff,
      nonce: 2083236893,
    });
    assert.equal(header.hash(), GENESIS_HASH);
    assert.equal(hashToHex(header.hashBytes()), GENESIS_HASH);
    assert.equal(toHex(header.toBytes()), GENESIS_HEADER_HEX);
  });

  it("encodes fields little-endian with hashes in internal (reversed) order", () => {
    const header = new BlockHeader({
      version: -2,
      prevBlock: `01${"0".repeat(60)}ff`,
      merkleRoot: `${"0".repeat(62)}aa`,
      time: 0x01020304,
      bits: 0xffffffff,
      nonce: 0x80000000,
    });
    const hex = toHex(header.toBytes());
    assert.equal(hex.length, 2 * HEADER_SIZE);
    assert.equal(hex.slice(0, 8), "feffffff");
    assert.equal(hex.slice(8, 72), `ff${"0".repeat(60)}01`);
    assert.equal(hex.slice(72, 136), `aa${"0".repeat(62)}`);
    assert.equal(hex.slice(136), "04030201ffffffff00000080");
  });

  it("round-trips any header; the hash is SHA-256d of the 80 bytes, reversed", () => {
    fc.assert(
      fc.property(arbBlockHeader, (header) => {
        const bytes = header.toBytes();
        assert.equal(bytes.length, HEADER_SIZE);
        const decoded = BlockHeader.fromBytes(bytes);
        assert.deepEqual(headerFields(decoded), headerFields(header));
        assert.deepEqual(decoded.toBytes(), bytes);
        assert.equal(decoded.hash(), header.hash());
        assert.equal(header.hash(), hashToHex(sha256d(bytes)));
      }),
    );
  });

  it("with() changes only the given fields, and the hash with them", () => {
    fc.assert(
      fc.property(arbBlockHeader, fc.integer({ min: 0, max: 0xffffffff }), (header, nonce) => {
        const changed = header.with({ nonce });
        assert.deepEqual(headerFields(changed), { ...headerFields(header), nonce });
        assert.equal(changed.hash() === header.hash(), nonce === header.nonce);
      }),
    );
  });

  it("every truncation is TRUNCATED and any extra byte is TRAILING_BYTES", () => {
    fc.assert(
      fc.property(
        arbBlockHeader,
        fc.uint8Array({ minLength: 1, maxLength: 16 }),
        (header, extra) => {
          const bytes = header.toBytes();
          for (let cut = 0; cut < HEADER_SIZE; cut++) {
            failsWith(bytes.subarray(0, cut), DecodeReason.TRUNCATED);
          }
          failsWith(concatBytes(bytes, extra), DecodeReason.TRAILING_BYTES);
        },
      ),
      { numRuns: 30 },
    );
  });
});
