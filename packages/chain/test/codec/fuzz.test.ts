// Hostile bytes into the decoders: the only exception ever allowed is DecodeError, a huge declared
// count fails before allocating, and whatever does decode re-encodes to exactly the bytes given
// (the codecs are canonical, so decoding is one-to-one).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { concatBytes, equalBytes } from "../../src/encoding/bytes.ts";
import { fromHex } from "../../src/encoding/hex.ts";
import { DecodeError, DecodeReason } from "../../src/errors.ts";
import { Block } from "../../src/primitives/block.ts";
import { BlockHeader } from "../../src/primitives/block-header.ts";
import { Transaction } from "../../src/primitives/transaction.ts";
import { arbBlock, arbBlockHeader, arbTransaction } from "../helpers/arbitraries.ts";

interface Decoder {
  name: string;
  decode(bytes: Uint8Array): { toBytes(): Uint8Array };
}

const DECODERS: Decoder[] = [
  { name: "Transaction", decode: (b) => Transaction.fromBytes(b) },
  { name: "BlockHeader", decode: (b) => BlockHeader.fromBytes(b) },
  { name: "Block", decode: (b) => Block.fromBytes(b) },
];

/** Decodes, and either re-encodes to the same bytes or throws a DecodeError; anything else fails. */
function decodeOrDecodeError(decoder: Decoder, bytes: Uint8Array): boolean {
  let value: { toBytes(): Uint8Array };
  try {
    value = decoder.decode(bytes);
  } catch (err) {
    assert.ok(err instanceof DecodeError, `${decoder.name} threw ${String(err)}`);
    assert.ok(Object.values(DecodeReason).includes(err.reason), `unknown reason ${err.reason}`);
    return false;
  }
  assert.ok(equalBytes(value.toBytes(), bytes), `${decoder.name} did not re-encode identically`);
  return true;
}

/** Counts that claim far more items than any buffer here holds, in each CompactSize form. */
const HUGE_COUNTS = [
  "fe" + "ffffff01", // 33,554,431: just under MAX_SIZE, so only the bytes-left check stops it
  "fe" + "00000002", // MAX_SIZE itself
  "fe" + "ffffffff", // above MAX_SIZE
  "ff" + "ffffffffffffffff",
  "ff" + "0000000001000000",
  "fd" + "ffff",
].map(fromHex);

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; length: number }
  | { kind: "overwrite"; at: number; bytes: Uint8Array };

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.constantFrom(...HUGE_COUNTS)),
  }),
  fc.record({
    kind: fc.constant("delete" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({
    kind: fc.constant("overwrite" as const),
    at: fc.nat(),
    bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 4 }), fc.constantFrom(...HUGE_COUNTS)),
  }),
);

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes: Uint8Array = input.slice();
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % (bytes.length + (m.kind === "insert" ? 1 : 0));
    switch (m.kind) {
      case "flip":
        if (bytes.length > 0) bytes[at] = bytes[at]! ^ (1 << m.bit);
        break;
      case "insert":
        bytes = concatBytes(bytes.subarray(0, at), m.bytes, bytes.subarray(at));
        break;
      case "delete":
        bytes = concatBytes(bytes.subarray(0, at), bytes.subarray(at + m.length));
        break;
      case "overwrite": {
        const next = bytes.slice();
        next.set(m.bytes.subarray(0, Math.max(0, next.length - at)), at);
        bytes = next;
        break;
      }
    }
  }
  return bytes;
}

/** A valid encoding for each decoder. */
const arbValidEncoding: Record<string, fc.Arbitrary<Uint8Array>> = {
  Transaction: arbTransaction().map((tx) => tx.toBytes()),
  BlockHeader: arbBlockHeader.map((h) => h.toBytes()),
  Block: arbBlock(3).map((b) => b.toBytes()),
};

describe("decoders under fuzzing", () => {
  for (const decoder of DECODERS) {
    describe(decoder.name, () => {
      it("random bytes: decode (and re-encode identically) or throw DecodeError", () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
            decodeOrDecodeError(decoder, bytes);
          }),
          { numRuns: 2000 },
        );
      });

      it("random bytes after a plausible prefix (version, header) reach deeper code", () => {
        // Transactions start with a small version and short counts; blocks with 80 header bytes.
        const prefix =
          decoder.name === "Block"
            ? arbBlockHeader.map((h) => h.toBytes())
            : fc.constantFrom(fromHex("01000000"), fromHex("0200000000"), fromHex("0100000001"));
        fc.assert(
          fc.property(prefix, fc.uint8Array({ maxLength: 200 }), (head, tail) => {
            decodeOrDecodeError(decoder, concatBytes(head, tail));
          }),
          { numRuns: 2000 },
        );
      });

      it("mutated valid encodings: bit flips, insertions, deletions, huge counts", () => {
        const encoding = arbValidEncoding[decoder.name]!;
        fc.assert(
          fc.property(
            encoding,
            fc.array(arbMutation, { minLength: 1, maxLength: 4 }),
            (valid, mutations) => {
              decodeOrDecodeError(decoder, mutate(valid, mutations));
            },
          ),
          { numRuns: 1000 },
        );
      });
    });
  }

  it("a Node Buffer decodes as the same bytes in a Uint8Array do", () => {
    for (const decoder of DECODERS) {
      fc.assert(
        fc.property(arbValidEncoding[decoder.name]!, (bytes) => {
          const fromBuffer = decoder.decode(Buffer.from(bytes)).toBytes();
          assert.ok(equalBytes(fromBuffer, decoder.decode(bytes).toBytes()), decoder.name);
        }),
        { numRuns: 50 },
      );
    }
  });

  it("mutations do get decoded sometimes (the fuzzer is not only testing the first check)", () => {
    // A flipped bit inside a script, value or hash leaves a valid but different transaction.
    let decoded = 0;
    fc.assert(
      fc.property(arbTransaction(), fc.nat(), fc.nat(7), (tx, at, bit) => {
        const bytes = mutate(tx.toBytes(), [{ kind: "flip", at, bit }]);
        if (decodeOrDecodeError(DECODERS[0]!, bytes)) decoded++;
      }),
      { numRuns: 300 },
    );
    assert.ok(decoded > 50, `only ${decoded} of 300 mutated transactions decoded`);
  });
});

describe("huge declared counts fail fast with COUNT_EXCEEDS_DATA", () => {
  const count = fromHex("feffffff01"); // 33,554,431 items, under MAX_SIZE
  const reason = (expected: string) => (err: unknown) =>
    err instanceof DecodeError && err.reason === expected;

  it("transaction inputs", () => {
    const bytes = concatBytes(fromHex("01000000"), count, new Uint8Array(50));
    assert.throws(() => Transaction.fromBytes(bytes), reason(DecodeReason.COUNT_EXCEEDS_DATA));
  });

  it("transaction outputs", () => {
    const input = concatBytes(new Uint8Array(36), fromHex("00ffffffff"));
    const bytes = concatBytes(fromHex("0100000001"), input, count, new Uint8Array(20));
    assert.throws(() => Transaction.fromBytes(bytes), reason(DecodeReason.COUNT_EXCEEDS_DATA));
  });

  it("BIP144 inputs after the marker, and witness stack items", () => {
    const afterMarker = concatBytes(fromHex("010000000001"), count, new Uint8Array(20));
    assert.throws(
      () => Transaction.fromBytes(afterMarker),
      reason(DecodeReason.COUNT_EXCEEDS_DATA),
    );
    const input = concatBytes(new Uint8Array(36), fromHex("00ffffffff"));
    const witnessCount = concatBytes(fromHex("01000000000101"), input, fromHex("00"), count);
    assert.throws(
      () => Transaction.fromBytes(concatBytes(witnessCount, new Uint8Array(8))),
      reason(DecodeReason.COUNT_EXCEEDS_DATA),
    );
  });

  it("block transactions", () => {
    const bytes = concatBytes(new Uint8Array(80), count, new Uint8Array(9));
    assert.throws(() => Block.fromBytes(bytes), reason(DecodeReason.COUNT_EXCEEDS_DATA));
  });

  it("a huge script length is TRUNCATED before any copy", () => {
    const input = concatBytes(new Uint8Array(36), count, new Uint8Array(40));
    const bytes = concatBytes(fromHex("0100000001"), input);
    assert.throws(() => Transaction.fromBytes(bytes), reason(DecodeReason.TRUNCATED));
  });
});
