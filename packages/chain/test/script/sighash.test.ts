import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fromHex, hashToHex } from "../../src/encoding/hex.ts";
import { Transaction } from "../../src/primitives/transaction.ts";
import { legacySighash } from "../../src/script/sighash.ts";
import { readVector, VECTORS_MISSING, vectorsDir } from "../helpers/vectors.ts";

const present = vectorsDir() !== undefined;

describe("legacySighash against Bitcoin Core's sighash.json", {
  skip: present ? false : VECTORS_MISSING,
}, () => {
  it("matches every case", (t) => {
    const rows = readVector("bitcoin-core/sighash.json") as unknown[][];
    let checked = 0;
    for (const row of rows) {
      // The first row is the header: a single string.
      if (row.length === 1) continue;
      const [rawTx, scriptHex, inputIndex, hashType, expected] = row as [
        string,
        string,
        number,
        number,
        string,
      ];
      const tx = Transaction.fromBytes(fromHex(rawTx));
      const hash = legacySighash(tx, inputIndex, fromHex(scriptHex), hashType);
      assert.equal(
        hashToHex(hash),
        expected,
        `case ${checked}: ${rawTx.slice(0, 40)}… input ${inputIndex} type ${hashType}`,
      );
      checked++;
    }
    assert.equal(checked, 500);
    t.diagnostic(`sighash.json: ${checked} cases passed`);
  });
});

describe("legacySighash quirks", () => {
  it("signs the hash 1 for SIGHASH_SINGLE without a matching output and for a missing input", () => {
    const tx = new Transaction({
      version: 1,
      inputs: [0, 1].map((i) => ({
        prevTxid: "11".repeat(32),
        prevIndex: i,
        scriptSig: new Uint8Array(0),
        sequence: 0,
      })),
      outputs: [{ value: 5n, scriptPubKey: Uint8Array.of(0x51) }],
      locktime: 0,
    });
    const one = new Uint8Array(32);
    one[0] = 1;
    assert.deepEqual(legacySighash(tx, 1, new Uint8Array(0), 3), one);
    assert.deepEqual(legacySighash(tx, 2, new Uint8Array(0), 1), one);
    assert.notDeepEqual(legacySighash(tx, 0, new Uint8Array(0), 3), one);
  });
});
