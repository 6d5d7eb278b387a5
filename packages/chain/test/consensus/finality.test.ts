import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isFinalTx } from "../../src/consensus/finality.ts";
import { SEQUENCE_FINAL } from "../../src/primitives/transaction.ts";
import { spend } from "./regtest-chain.ts";

const PREV = { txid: "11".repeat(32), index: 0 };

function withLock(locktime: number, sequence = 0): ReturnType<typeof spend> {
  return spend({ inputs: [{ ...PREV, sequence }], outputs: [{ value: 1n }], locktime });
}

describe("isFinalTx (BIP113 cutoffs)", () => {
  it("treats locktime 0 as final whatever the sequences", () => {
    assert.equal(isFinalTx(withLock(0), 0, 0), true);
  });

  it("compares a height locktime with the block height, strictly", () => {
    assert.equal(isFinalTx(withLock(100), 100, 2_000_000_000), false);
    assert.equal(isFinalTx(withLock(100), 101, 0), true);
  });

  it("compares a time locktime with the cutoff time, strictly", () => {
    const lock = 1_700_000_000;
    assert.equal(isFinalTx(withLock(lock), 10_000_000, lock), false);
    assert.equal(isFinalTx(withLock(lock), 0, lock + 1), true);
  });

  it("switches from height to time at 500,000,000", () => {
    assert.equal(isFinalTx(withLock(499_999_999), 500_000_000, 0), true);
    assert.equal(isFinalTx(withLock(500_000_000), 500_000_001, 500_000_000), false);
  });

  it("lets final sequences override an unmet locktime, only when every input is final", () => {
    assert.equal(isFinalTx(withLock(1000, SEQUENCE_FINAL), 1, 0), true);
    const mixed = spend({
      inputs: [
        { ...PREV, sequence: SEQUENCE_FINAL },
        { txid: PREV.txid, index: 1, sequence: SEQUENCE_FINAL - 1 },
      ],
      outputs: [{ value: 1n }],
      locktime: 1000,
    });
    assert.equal(isFinalTx(mixed, 1, 0), false);
  });
});
