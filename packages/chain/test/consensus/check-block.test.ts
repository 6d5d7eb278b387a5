import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkBlock, checkBlockHeader } from "../../src/consensus/check-block.ts";
import { MAX_BLOCK_SIGOPS, MAX_BLOCK_SIZE } from "../../src/consensus/constants.ts";
import { BlockValidationError } from "../../src/errors.ts";
import { regtest } from "../../src/params/regtest.ts";
import { Block } from "../../src/primitives/block.ts";
import { BlockHeader } from "../../src/primitives/block-header.ts";
import { Transaction } from "../../src/primitives/transaction.ts";
import { Op } from "../../src/script/opcodes.ts";
import { coinbase, mineBlock, spend, unminedHeader } from "./regtest-chain.ts";

const PARAMS = { powLimitBits: regtest.powLimitBits };
const PREV = regtest.genesisHash;
const TIME = regtest.genesis.header.time + 1;
const FUNDING = "33".repeat(32);

function block(transactions: readonly Transaction[], merkle?: string): Block {
  return mineBlock(
    {
      prevBlock: PREV,
      time: TIME,
      bits: regtest.powLimitBits,
      ...(merkle === undefined ? {} : { merkleRoot: merkle }),
    },
    transactions,
    regtest.powLimitBits,
  );
}

function payment(index: number, scriptPubKey?: Uint8Array): Transaction {
  return spend({
    inputs: [{ txid: FUNDING, index }],
    outputs: [{ value: 1n, ...(scriptPubKey === undefined ? {} : { scriptPubKey }) }],
  });
}

function rejects(
  fn: () => void,
  code: string,
  expect: { score?: number; corruptionPossible?: boolean } = {},
): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof BlockValidationError, `expected BlockValidationError, got ${error}`);
    assert.equal(error.code, code);
    assert.equal(error.score, expect.score ?? 100);
    assert.equal(error.corruptionPossible, expect.corruptionPossible ?? false);
    return true;
  });
}

describe("checkBlockHeader", () => {
  it("accepts a mined header and the genesis of every network", () => {
    checkBlockHeader(block([coinbase({ height: 1 })]).header, PARAMS);
    checkBlockHeader(regtest.genesis.header, PARAMS);
  });

  it("rejects a hash above the target (high-hash)", () => {
    const header = unminedHeader(
      { prevBlock: PREV, time: TIME, bits: 0x1d00ffff },
      0x1d00ffff,
      "00".repeat(32),
    );
    rejects(() => checkBlockHeader(header, { powLimitBits: 0x1d00ffff }), "high-hash");
  });

  it("rejects bits easier than powLimit even when the hash meets them", () => {
    // 0x2100ffff is a huge target any hash meets, but above regtest's powLimit.
    const header = new BlockHeader({
      version: 4,
      prevBlock: PREV,
      merkleRoot: "00".repeat(32),
      time: TIME,
      bits: 0x2100ffff,
      nonce: 0,
    });
    rejects(() => checkBlockHeader(header, PARAMS), "high-hash");
  });
});

describe("checkBlock", () => {
  it("accepts a well-formed block", () => {
    checkBlock(block([coinbase({ height: 1 }), payment(0), payment(1)]), PARAMS);
  });

  it("checks proof of work unless told not to", () => {
    const cb = coinbase({ height: 1 });
    const header = unminedHeader(
      { prevBlock: PREV, time: TIME, bits: 0x1d00ffff },
      0x1d00ffff,
      cb.txid(),
    );
    const b = new Block(header, [cb]);
    rejects(() => checkBlock(b, { powLimitBits: 0x1d00ffff }), "high-hash");
    checkBlock(b, { powLimitBits: 0x1d00ffff }, { checkPow: false });
  });

  it("flags a merkle mismatch as mutated, not invalid", () => {
    const b = block([coinbase({ height: 1 }), payment(0)], "44".repeat(32));
    rejects(() => checkBlock(b, PARAMS), "bad-txnmrklroot", { score: 0, corruptionPossible: true });
    checkBlock(b, PARAMS, { checkMerkleRoot: false });
  });

  it("flags a duplicated tail (CVE-2012-2459) as mutated, with the honest root", () => {
    const cb = coinbase({ height: 1 });
    const [a, b2] = [payment(0), payment(1)];
    // [cb, a, b2] and [cb, a, b2, b2] share a merkle root.
    const honest = block([cb, a, b2]);
    const mutated = new Block(honest.header, [cb, a, b2, b2]);
    checkBlock(honest, PARAMS);
    rejects(() => checkBlock(mutated, PARAMS), "bad-txns-duplicate", {
      score: 0,
      corruptionPossible: true,
    });
  });

  it("flags witness data as mutated: the block hash does not commit to it", () => {
    const tx = payment(0);
    const withWitness = new Transaction({
      version: tx.version,
      inputs: tx.inputs.map((input) => ({ ...input, witness: [Uint8Array.of(1)] })),
      outputs: tx.outputs,
      locktime: tx.locktime,
    });
    assert.equal(withWitness.txid(), tx.txid());
    const honest = block([coinbase({ height: 1 }), tx]);
    const stuffed = new Block(honest.header, [honest.transactions[0]!, withWitness]);
    rejects(() => checkBlock(stuffed, PARAMS), "unexpected-witness", {
      score: 0,
      corruptionPossible: true,
    });
  });

  it("rejects a block without transactions (bad-blk-length)", () => {
    // The merkle root of nothing is all zeros, so only the length rule can catch it.
    rejects(() => checkBlock(block([], "00".repeat(32)), PARAMS), "bad-blk-length");
  });

  it("rejects a block over 2,000,000 bytes in legacy serialization (bad-blk-length)", () => {
    const half = new Uint8Array(Math.floor(MAX_BLOCK_SIZE / 2)).fill(Op.OP_NOP);
    const big = block([coinbase({ height: 1 }), payment(0, half), payment(1, half)]);
    assert.ok(big.strippedSize() > MAX_BLOCK_SIZE);
    rejects(() => checkBlock(big, PARAMS), "bad-blk-length");
    // Just under the limit is fine.
    const fits = new Uint8Array(Math.floor(MAX_BLOCK_SIZE / 2) - 200).fill(Op.OP_NOP);
    const ok = block([coinbase({ height: 1 }), payment(0, fits), payment(1, fits)]);
    assert.ok(ok.strippedSize() <= MAX_BLOCK_SIZE);
    checkBlock(ok, PARAMS);
  });

  it("requires a coinbase first (bad-cb-missing) and only there (bad-cb-multiple)", () => {
    rejects(() => checkBlock(block([payment(0)]), PARAMS), "bad-cb-missing");
    rejects(
      () => checkBlock(block([coinbase({ height: 1 }), coinbase({ height: 2 })]), PARAMS),
      "bad-cb-multiple",
    );
  });

  it("rejects with the transaction's own reason when a transaction fails CheckTransaction", () => {
    const negative = spend({ inputs: [{ txid: FUNDING, index: 0 }], outputs: [{ value: -1n }] });
    rejects(
      () => checkBlock(block([coinbase({ height: 1 }), negative]), PARAMS),
      "bad-txns-vout-negative",
    );
    const dupInputs = spend({
      inputs: [
        { txid: FUNDING, index: 0 },
        { txid: FUNDING, index: 0 },
      ],
      outputs: [{ value: 1n }],
    });
    rejects(
      () => checkBlock(block([coinbase({ height: 1 }), dupInputs]), PARAMS),
      "bad-txns-inputs-duplicate",
    );
    const shortCoinbase = coinbase({ height: 1, scriptSig: Uint8Array.of(Op.OP_1) });
    rejects(() => checkBlock(block([shortCoinbase]), PARAMS), "bad-cb-length");
  });

  it("rejects more than 40,000 legacy sigops (bad-blk-sigops), counting outputs and scriptSigs", () => {
    const checksigs = (n: number) => new Uint8Array(n).fill(Op.OP_CHECKSIG);
    const multisigs = (n: number) => new Uint8Array(n).fill(Op.OP_CHECKMULTISIG);
    // 1,999 CHECKMULTISIGs at 20 each = 39,980; plus 20 CHECKSIGs = 40,000 exactly.
    const atLimit = block([
      coinbase({ height: 1, outputs: [{ value: 0n, scriptPubKey: checksigs(20) }] }),
      payment(0, multisigs(1999)),
    ]);
    checkBlock(atLimit, PARAMS);
    const over = block([
      coinbase({ height: 1, outputs: [{ value: 0n, scriptPubKey: checksigs(21) }] }),
      payment(0, multisigs(1999)),
    ]);
    rejects(() => checkBlock(over, PARAMS), "bad-blk-sigops");
    assert.equal(MAX_BLOCK_SIGOPS, 40_000);
  });
});
