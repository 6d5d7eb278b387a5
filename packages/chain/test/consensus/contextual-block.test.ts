import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { contextualCheckBlock } from "../../src/consensus/contextual-block.ts";
import { BlockValidationError } from "../../src/errors.ts";
import { regtest } from "../../src/params/regtest.ts";
import type { Block } from "../../src/primitives/block.ts";
import { Transaction } from "../../src/primitives/transaction.ts";
import { coinbase, mineBlock, spend } from "./regtest-chain.ts";

const HEIGHT = 500;
const MTP = 1_800_000_000;
const FUNDING = "55".repeat(32);

function block(transactions: readonly Transaction[], time = MTP + 3600): Block {
  return mineBlock(
    { prevBlock: regtest.genesisHash, time, bits: regtest.powLimitBits },
    transactions,
    regtest.powLimitBits,
  );
}

function locked(locktime: number, sequence = 0xfffffffe): Transaction {
  return spend({
    inputs: [{ txid: FUNDING, index: 0, sequence }],
    outputs: [{ value: 1n }],
    locktime,
  });
}

function rejects(fn: () => void, code: string, score = 100): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof BlockValidationError, `expected BlockValidationError, got ${error}`);
    assert.equal(error.code, code);
    assert.equal(error.score, score);
    return true;
  });
}

describe("contextualCheckBlock", () => {
  const cb = coinbase({ height: HEIGHT });

  it("accepts final transactions and the right coinbase height", () => {
    contextualCheckBlock(block([cb, locked(HEIGHT - 1), locked(MTP - 1)]), HEIGHT, MTP);
  });

  it("rejects a height-locked transaction until the block height passes its locktime", () => {
    rejects(
      () => contextualCheckBlock(block([cb, locked(HEIGHT)]), HEIGHT, MTP),
      "bad-txns-nonfinal",
    );
  });

  it("judges time locks by the parent's median-time-past (BIP113), not the block's own time", () => {
    // The block's time is an hour past the lock, but the median-time-past is not.
    rejects(() => contextualCheckBlock(block([cb, locked(MTP)]), HEIGHT, MTP), "bad-txns-nonfinal");
    contextualCheckBlock(block([cb, locked(MTP)]), HEIGHT, MTP + 1);
  });

  it("lets final sequences override the locktime", () => {
    contextualCheckBlock(block([cb, locked(HEIGHT + 100, 0xffffffff)]), HEIGHT, MTP);
  });

  it("checks the coinbase's own locktime too", () => {
    const lockedCoinbase = coinbase({ height: HEIGHT, locktime: HEIGHT, sequence: 0 });
    rejects(() => contextualCheckBlock(block([lockedCoinbase]), HEIGHT, MTP), "bad-txns-nonfinal");
  });

  it("requires the BIP34 height push (bad-cb-height)", () => {
    rejects(
      () => contextualCheckBlock(block([coinbase({ height: HEIGHT + 1 })]), HEIGHT, MTP),
      "bad-cb-height",
    );
  });

  it("treats witness data as a mutation (unexpected-witness, score 0)", () => {
    const tx = locked(0);
    const withWitness = new Transaction({
      version: tx.version,
      inputs: tx.inputs.map((input) => ({
        ...input,
        witness: [new Uint8Array(0), Uint8Array.of(7)],
      })),
      outputs: tx.outputs,
      locktime: 0,
    });
    rejects(
      () => contextualCheckBlock(block([cb, withWitness]), HEIGHT, MTP),
      "unexpected-witness",
      0,
    );
  });
});
