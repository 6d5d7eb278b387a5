import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { sha256d } from "../../src/crypto/hash.ts";
import { concatBytes, equalBytes } from "../../src/encoding/bytes.ts";
import { fromHex, hashToHex, hexToHash, toHex } from "../../src/encoding/hex.ts";
import { DecodeError, DecodeReason } from "../../src/errors.ts";
import { Transaction } from "../../src/primitives/transaction.ts";
import {
  arbLegacyTransaction,
  arbTransaction,
  arbWitnessTransaction,
  txFields,
} from "../helpers/arbitraries.ts";

// Bitcoin's genesis coinbase (public chain data); its txid is the genesis merkle root.
const GENESIS_COINBASE_HEX =
  "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff00" +
  "1d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b20" +
  "6f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678afd" +
  "b0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c" +
  "384df7ba0b8d578a4c702b6bf11d5fac00000000";
const GENESIS_COINBASE_TXID = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";

function failsWith(bytes: Uint8Array, reasons: readonly string[]): void {
  assert.throws(
    () => Transaction.fromBytes(bytes),
    (err: unknown) => err instanceof DecodeError && reasons.includes(err.reason),
    `expected ${reasons.join(" or ")}`,
  );
}

/**
 * A second serializer, written from the format description (not from the package's writer), so
 * the round trip is checked against something independent. `size` writes each CompactSize; the
 * default is the canonical form.
 */
function referenceSerialize(
  tx: Transaction,
  size: (n: number) => Uint8Array = canonicalSize,
): Uint8Array {
  const parts: Uint8Array[] = [le(BigInt.asUintN(32, BigInt(tx.version)), 4)];
  const witness = tx.inputs.some((i) => (i.witness?.length ?? 0) > 0);
  if (witness) parts.push(Uint8Array.of(0, 1));
  parts.push(size(tx.inputs.length));
  for (const input of tx.inputs) {
    parts.push(hexToHash(input.prevTxid), le(BigInt(input.prevIndex), 4));
    parts.push(size(input.scriptSig.length), input.scriptSig, le(BigInt(input.sequence), 4));
  }
  parts.push(size(tx.outputs.length));
  for (const output of tx.outputs) {
    parts.push(le(BigInt.asUintN(64, output.value), 8));
    parts.push(size(output.scriptPubKey.length), output.scriptPubKey);
  }
  if (witness) {
    for (const input of tx.inputs) {
      const stack = input.witness ?? [];
      parts.push(size(stack.length));
      for (const item of stack) parts.push(size(item.length), item);
    }
  }
  parts.push(le(BigInt(tx.locktime), 4));
  return concatBytes(...parts);
}

function le(value: bigint, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Number((value >> BigInt(8 * i)) & 0xffn);
  return out;
}

function canonicalSize(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return concatBytes(Uint8Array.of(0xfd), le(BigInt(n), 2));
  return concatBytes(Uint8Array.of(0xfe), le(BigInt(n), 4));
}

/** The same value in a longer form than needed: 0xfd, 0xfe or 0xff prefix. */
function longerSize(n: number, form: 0 | 1 | 2): Uint8Array {
  const prefixes = [
    [0xfd, 2],
    [0xfe, 4],
    [0xff, 8],
  ] as const;
  const usable = prefixes.filter(([, width]) => canonicalSize(n).length < width + 1);
  const [prefix, width] = usable[form % usable.length]!;
  return concatBytes(Uint8Array.of(prefix), le(BigInt(n), width));
}

describe("Transaction codec: a real transaction", () => {
  it("decodes Bitcoin's genesis coinbase and re-encodes it byte for byte", () => {
    const bytes = fromHex(GENESIS_COINBASE_HEX);
    const tx = Transaction.fromBytes(bytes);
    assert.equal(tx.version, 1);
    assert.equal(tx.locktime, 0);
    assert.equal(tx.inputs.length, 1);
    assert.equal(tx.inputs[0]!.prevTxid, "0".repeat(64));
    assert.equal(tx.inputs[0]!.prevIndex, 0xffffffff);
    assert.equal(tx.inputs[0]!.sequence, 0xffffffff);
    assert.equal(tx.inputs[0]!.scriptSig.length, 0x4d);
    assert.equal(tx.outputs.length, 1);
    assert.equal(tx.outputs[0]!.value, 5_000_000_000n);
    assert.equal(toHex(tx.outputs[0]!.scriptPubKey).slice(-2), "ac"); // OP_CHECKSIG
    assert.equal(tx.isCoinbase(), true);
    assert.equal(tx.txid(), GENESIS_COINBASE_TXID);
    assert.equal(toHex(tx.toBytes()), GENESIS_COINBASE_HEX);
    assert.equal(toHex(referenceSerialize(tx)), GENESIS_COINBASE_HEX);
    assert.equal(tx.size(), bytes.length);
  });
});

describe("Transaction codec: round trips", () => {
  it("legacy: fromBytes(toBytes(tx)) equals tx, re-encodes identically, txid is stable", () => {
    fc.assert(
      fc.property(arbLegacyTransaction(), (tx) => {
        const bytes = tx.toBytes();
        assert.deepEqual(bytes, referenceSerialize(tx));
        const decoded = Transaction.fromBytes(bytes);
        assert.deepEqual(txFields(decoded), txFields(tx));
        assert.deepEqual(decoded.toBytes(), bytes);
        assert.equal(decoded.txid(), tx.txid());
        assert.equal(tx.txid(), hashToHex(sha256d(bytes)));
        assert.equal(decoded.hasWitness(), false);
        assert.equal(decoded.size(), bytes.length);
      }),
    );
  });

  it("BIP144: witness data round-trips; the txid ignores it", () => {
    fc.assert(
      fc.property(arbWitnessTransaction(), (tx) => {
        const bytes = tx.toBytes();
        assert.deepEqual(bytes, referenceSerialize(tx));
        assert.deepEqual([bytes[4], bytes[5]], [0, 1], "marker and flag");
        const decoded = Transaction.fromBytes(bytes);
        assert.deepEqual(txFields(decoded), txFields(tx));
        assert.deepEqual(decoded.toBytes(), bytes);
        assert.equal(decoded.hasWitness(), true);
        // txid = SHA-256d of the legacy serialization = the txid of the stripped transaction.
        const stripped = new Transaction({
          version: tx.version,
          inputs: tx.inputs.map(({ witness: _, ...rest }) => rest),
          outputs: tx.outputs,
          locktime: tx.locktime,
        });
        assert.equal(decoded.txid(), stripped.txid());
        assert.equal(decoded.txid(), hashToHex(sha256d(decoded.toLegacyBytes())));
        assert.deepEqual(decoded.toLegacyBytes(), stripped.toBytes());
        assert.equal(decoded.size(), stripped.toBytes().length);
      }),
    );
  });

  it("a transaction with no inputs and no outputs round-trips (the flag byte reads 0)", () => {
    const tx = new Transaction({ version: 2, inputs: [], outputs: [], locktime: 7 });
    assert.equal(toHex(tx.toBytes()), "02000000000007000000");
    assert.deepEqual(txFields(Transaction.fromBytes(tx.toBytes())), txFields(tx));
  });
});

describe("Transaction codec: refusals", () => {
  it("a CompactSize in a longer form than needed, anywhere, is NON_CANONICAL_SIZE", () => {
    fc.assert(
      fc.property(
        arbTransaction(),
        fc.nat(),
        fc.constantFrom<0 | 1 | 2>(0, 1, 2),
        (tx, which, form) => {
          let count = 0;
          referenceSerialize(tx, (n) => {
            count++;
            return canonicalSize(n);
          });
          const target = which % count;
          let index = 0;
          const bytes = referenceSerialize(tx, (n) =>
            index++ === target ? longerSize(n, form) : canonicalSize(n),
          );
          failsWith(bytes, [DecodeReason.NON_CANONICAL_SIZE]);
        },
      ),
    );
  });

  it("every truncation of a valid encoding is a DecodeError (TRUNCATED, or a count too big)", () => {
    fc.assert(
      fc.property(arbTransaction({ maxInputs: 3, maxOutputs: 3 }), (tx) => {
        const bytes = tx.toBytes();
        for (let cut = 0; cut < bytes.length; cut++) {
          failsWith(bytes.subarray(0, cut), [
            DecodeReason.TRUNCATED,
            DecodeReason.COUNT_EXCEEDS_DATA,
          ]);
        }
      }),
      { numRuns: 50 },
    );
  });

  it("bytes after the locktime are TRAILING_BYTES", () => {
    fc.assert(
      fc.property(arbTransaction(), fc.uint8Array({ minLength: 1, maxLength: 40 }), (tx, extra) => {
        failsWith(concatBytes(tx.toBytes(), extra), [DecodeReason.TRAILING_BYTES]);
      }),
    );
  });

  it("a witness flag whose stacks are all empty is SUPERFLUOUS_WITNESS, as in Core", () => {
    fc.assert(
      fc.property(arbLegacyTransaction(), (tx) => {
        const legacy = tx.toBytes();
        const emptyStacks = new Uint8Array(tx.inputs.length); // one 0x00 count per input
        const bytes = concatBytes(
          legacy.subarray(0, 4),
          Uint8Array.of(0, 1),
          legacy.subarray(4, legacy.length - 4),
          emptyStacks,
          legacy.subarray(legacy.length - 4),
        );
        failsWith(bytes, [DecodeReason.SUPERFLUOUS_WITNESS]);
      }),
    );
  });

  it("an unknown optional-data flag is UNKNOWN_TX_OPTIONAL_DATA", () => {
    const tx = fc.sample(arbLegacyTransaction(), { numRuns: 1, seed: 7 })[0]!;
    const legacy = tx.toBytes();
    for (const flag of [2, 4, 0x80]) {
      const bytes = concatBytes(legacy.subarray(0, 4), Uint8Array.of(0, flag), legacy.subarray(4));
      failsWith(bytes, [DecodeReason.UNKNOWN_TX_OPTIONAL_DATA]);
    }
  });

  it("no inputs but some outputs is not a legacy transaction: it reads as BIP144 and fails", () => {
    fc.assert(
      fc.property(arbLegacyTransaction(), (template) => {
        if (template.outputs.length === 0) return;
        const tx = new Transaction({ ...template, inputs: [] });
        const bytes = tx.toBytes();
        let decoded: Transaction | undefined;
        try {
          decoded = Transaction.fromBytes(bytes);
        } catch (err) {
          assert.ok(err instanceof DecodeError, String(err));
          return;
        }
        assert.equal(equalBytes(decoded.toBytes(), bytes), true);
        assert.notDeepEqual(txFields(decoded), txFields(tx));
      }),
    );
  });
});
