import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  calculateSequenceLocks,
  evaluateSequenceLocks,
  SEQUENCE_LOCKTIME_DISABLE_FLAG,
  SEQUENCE_LOCKTIME_TYPE_FLAG,
  sequenceLocksSatisfied,
} from "../../src/consensus/sequence-locks.ts";
import { spend } from "./regtest-chain.ts";

const TXID = "22".repeat(32);
/** A chain whose block at height h has median-time-past 1,000,000 + 100 h. */
const mtpAt = (height: number) => 1_000_000 + 100 * height;

function relative(sequence: number, version = 2) {
  return spend({ inputs: [{ txid: TXID, index: 0, sequence }], outputs: [{ value: 1n }], version });
}

describe("BIP68 height locks", () => {
  it("locks a coin at height h with n blocks until height h + n", () => {
    const tx = relative(10);
    assert.deepEqual(calculateSequenceLocks(tx, [50], mtpAt), { minHeight: 59, minTime: -1 });
    assert.equal(sequenceLocksSatisfied(tx, [50], 59, mtpAt), false);
    assert.equal(sequenceLocksSatisfied(tx, [50], 60, mtpAt), true);
  });

  it("lets 0 blocks (or 1) be spent in the coin's own block or the next", () => {
    assert.equal(sequenceLocksSatisfied(relative(0), [60], 60, mtpAt), true);
    assert.equal(sequenceLocksSatisfied(relative(1), [60], 60, mtpAt), false);
    assert.equal(sequenceLocksSatisfied(relative(1), [60], 61, mtpAt), true);
  });

  it("reads only the low 16 bits as the count", () => {
    const tx = relative(0x00010005);
    assert.equal(calculateSequenceLocks(tx, [50], mtpAt).minHeight, 54);
  });

  it("takes the strictest of several inputs", () => {
    const tx = spend({
      inputs: [
        { txid: TXID, index: 0, sequence: 3 },
        { txid: TXID, index: 1, sequence: 20 },
      ],
      outputs: [{ value: 1n }],
    });
    assert.equal(calculateSequenceLocks(tx, [100, 90], mtpAt).minHeight, 109);
  });
});

describe("BIP68 time locks", () => {
  it("counts 512-second units from the median-time-past of the block before the coin's", () => {
    const tx = relative(SEQUENCE_LOCKTIME_TYPE_FLAG | 2);
    // Coin at height 50: base time is the MTP at 49, plus 1024 s, minus 1.
    const expected = mtpAt(49) + 1024 - 1;
    assert.deepEqual(calculateSequenceLocks(tx, [50], mtpAt), { minHeight: -1, minTime: expected });
    assert.equal(
      evaluateSequenceLocks(1000, expected, { minHeight: -1, minTime: expected }),
      false,
    );
    assert.equal(
      evaluateSequenceLocks(1000, expected + 1, { minHeight: -1, minTime: expected }),
      true,
    );
  });

  it("uses the genesis median-time-past for a coin at height 0", () => {
    const tx = relative(SEQUENCE_LOCKTIME_TYPE_FLAG | 1);
    assert.equal(calculateSequenceLocks(tx, [0], mtpAt).minTime, mtpAt(0) + 511);
  });

  it("compares against the parent's median-time-past in a block", () => {
    const tx = relative(SEQUENCE_LOCKTIME_TYPE_FLAG | 1);
    // Coin at 10: unlocked once the parent's MTP exceeds MTP(9) + 511, i.e. parent height >= 15.
    assert.equal(sequenceLocksSatisfied(tx, [10], 15, mtpAt), false);
    assert.equal(sequenceLocksSatisfied(tx, [10], 16, mtpAt), true);
  });
});

describe("BIP68 applicability", () => {
  it("does not apply to version 1 transactions", () => {
    assert.deepEqual(calculateSequenceLocks(relative(100, 1), [50], mtpAt), {
      minHeight: -1,
      minTime: -1,
    });
  });

  it("applies to negative versions, read as unsigned as Core does", () => {
    assert.equal(calculateSequenceLocks(relative(100, -1), [50], mtpAt).minHeight, 149);
  });

  it("skips inputs with the disable flag", () => {
    const tx = relative((SEQUENCE_LOCKTIME_DISABLE_FLAG | 100) >>> 0);
    assert.deepEqual(calculateSequenceLocks(tx, [50], mtpAt), { minHeight: -1, minTime: -1 });
    assert.equal(sequenceLocksSatisfied(tx, [50], 51, mtpAt), true);
  });

  it("needs one prevHeight per input", () => {
    assert.throws(() => calculateSequenceLocks(relative(1), [], mtpAt), RangeError);
  });
});
