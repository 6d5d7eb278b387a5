import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { concatBytes } from "../../src/encoding/bytes.ts";
import { fromHex, toHex } from "../../src/encoding/hex.ts";
import { ByteWriter } from "../../src/encoding/writer.ts";
import { DecodeError, DecodeReason } from "../../src/errors.ts";
import { Block } from "../../src/primitives/block.ts";
import { merkleRoot } from "../../src/primitives/merkle.ts";
import { MAX_DECODE_SIZE } from "../../src/primitives/transaction.ts";
import { arbBlock, headerFields, txFields } from "../helpers/arbitraries.ts";

// Bitcoin's genesis block (public chain data): the 80-byte header, one transaction, the coinbase.
const GENESIS_BLOCK_HEX =
  "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac7" +
  "2c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c01" +
  "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff00" +
  "1d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b20" +
  "6f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afd" +
  "b0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c" +
  "384df7ba0b8d578a4c702b6bf11d5fac00000000";

function failsWith(bytes: Uint8Array, reasons: readonly string[]): void {
  assert.throws(
    () => Block.fromBytes(bytes),
    (err: unknown) => err instanceof DecodeError && reasons.includes(err.reason),
    `expected ${reasons.join(" or ")}`,
  );
}

describe("Block codec", () => {
  it("decodes Bitcoin's genesis block: hash, coinbase, merkle root", () => {
    const block = Block.fromBytes(fromHex(GENESIS_BLOCK_HEX));
    assert.equal(block.hash(), "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
    assert.equal(block.transactions.length, 1);
    const coinbase = block.transactions[0]!;
    assert.equal(coinbase.isCoinbase(), true);
    assert.equal(coinbase.txid(), block.header.merkleRoot);
    assert.equal(merkleRoot([coinbase.txid()]), block.header.merkleRoot);
    assert.equal(toHex(block.toBytes()), GENESIS_BLOCK_HEX);
    assert.equal(block.strippedSize(), GENESIS_BLOCK_HEX.length / 2);
  });

  it("round-trips any block and re-encodes it byte for byte", () => {
    fc.assert(
      fc.property(arbBlock(), (block) => {
        const bytes = block.toBytes();
        // header | CompactSize count | transactions, each in its own serialization.
        const expected = concatBytes(
          block.header.toBytes(),
          new ByteWriter().compactSize(block.transactions.length).finish(),
          ...block.transactions.map((tx) => tx.toBytes()),
        );
        assert.deepEqual(bytes, expected);
        const decoded = Block.fromBytes(bytes);
        assert.deepEqual(headerFields(decoded.header), headerFields(block.header));
        assert.deepEqual(decoded.transactions.map(txFields), block.transactions.map(txFields));
        assert.deepEqual(
          decoded.transactions.map((tx) => tx.txid()),
          block.transactions.map((tx) => tx.txid()),
        );
        assert.equal(decoded.hash(), block.hash());
        assert.deepEqual(decoded.toBytes(), bytes);
        // A fresh block from the decoded parts encodes the same bytes (no reliance on caches).
        assert.deepEqual(new Block(decoded.header, decoded.transactions).toBytes(), bytes);
      }),
    );
  });

  it("every truncation is a DecodeError (TRUNCATED, or a count too big for what is left)", () => {
    fc.assert(
      fc.property(arbBlock(3), (block) => {
        const bytes = block.toBytes();
        for (let cut = 0; cut < bytes.length; cut++) {
          failsWith(bytes.subarray(0, cut), [
            DecodeReason.TRUNCATED,
            DecodeReason.COUNT_EXCEEDS_DATA,
          ]);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("bytes after the last transaction are TRAILING_BYTES", () => {
    fc.assert(
      fc.property(arbBlock(), fc.uint8Array({ minLength: 1, maxLength: 20 }), (block, extra) => {
        failsWith(concatBytes(block.toBytes(), extra), [DecodeReason.TRAILING_BYTES]);
      }),
    );
  });

  it("refuses more bytes than any block may have before reading them", () => {
    failsWith(new Uint8Array(MAX_DECODE_SIZE + 1), [DecodeReason.SIZE_TOO_LARGE]);
  });

  it("a non-Uint8Array argument is a programmer error (TypeError)", () => {
    assert.throws(() => Block.fromBytes("00" as unknown as Uint8Array), TypeError);
  });
});
