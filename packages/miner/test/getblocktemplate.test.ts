import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Block,
  BlockHeader,
  BlockValidationError,
  bitsToTarget,
  COIN,
  fromHex,
  merkleRoot,
  regtest,
  Transaction,
  toHex,
} from "@starling/chain";
import {
  assembleBlock,
  buildBlockTemplate,
  buildCoinbase,
  decodeSubmittedBlock,
  type GetBlockTemplateResult,
  submitBlock,
  submitBlockResult,
  toGetBlockTemplate,
} from "../src/index.ts";
import { key, StubMempool, signedSpend, TestChain } from "./helpers/regtest-chain.ts";

const alice = key(3);

/** A template holding a parent and its child, on a regtest chain. */
function templateWithFamily() {
  const chain = new TestChain(regtest);
  const coinbases: Transaction[] = [];
  for (let i = 0; i < 101; i++) coinbases.push(chain.extendTo(alice.script));
  const mempool = new StubMempool(chain);
  const parent = signedSpend(
    alice,
    [{ txid: coinbases[0]!.txid(), index: 0 }],
    [{ value: 50n * COIN - 10_000n }],
  );
  const child = signedSpend(
    alice,
    [{ txid: parent.txid(), index: 0 }],
    [{ value: 50n * COIN - 30_000n }],
  );
  mempool.add(parent);
  mempool.add(child);
  const tip = chain.getTip();
  const template = buildBlockTemplate({
    tip,
    bits: regtest.powLimitBits,
    now: tip.time + 5,
    candidates: mempool.getBlockCandidates(),
    payoutScript: alice.script,
    network: regtest,
    mempoolRevision: mempool.revision,
  });
  return { chain, template, parent, child };
}

describe("getblocktemplate", () => {
  it("has Bitcoin Core's shape, with 1-based depends and hex target and bits", () => {
    const { template, parent, child } = templateWithFamily();
    const gbt = toGetBlockTemplate(template);
    assert.equal(gbt.version, template.version);
    assert.deepEqual(gbt.rules, []);
    assert.equal(gbt.previousblockhash, template.prevBlock);
    assert.equal(gbt.height, template.height);
    assert.equal(gbt.coinbasevalue, Number(template.subsidy + 30_000n));
    assert.equal(gbt.bits, "207fffff");
    assert.equal(gbt.target.length, 64);
    assert.equal(BigInt(`0x${gbt.target}`), bitsToTarget(0x207fffff));
    assert.equal(gbt.curtime, template.time);
    assert.equal(gbt.mintime, template.minTime);
    assert.equal(gbt.noncerange, "00000000ffffffff");
    assert.deepEqual(gbt.mutable, ["time", "transactions", "prevblock"]);
    assert.equal(gbt.sizelimit, 2_000_000);
    assert.equal(gbt.sigoplimit, 40_000);
    assert.equal(gbt.longpollid, template.longPollId);
    assert.deepEqual(gbt.transactions, [
      {
        data: toHex(parent.toBytes()),
        txid: parent.txid(),
        hash: parent.txid(),
        depends: [],
        fee: 10_000,
        sigops: 1,
      },
      {
        data: toHex(child.toBytes()),
        txid: child.txid(),
        hash: child.txid(),
        depends: [1],
        fee: 20_000,
        sigops: 1,
      },
    ]);
    // JSON-safe: no bigint anywhere.
    assert.deepEqual(JSON.parse(JSON.stringify(gbt)), gbt);
  });

  it("never offers a curtime below mintime", () => {
    const { template } = templateWithFamily();
    assert.equal(toGetBlockTemplate(template, { curtime: 1 }).curtime, template.minTime);
    assert.equal(
      toGetBlockTemplate(template, { curtime: template.time + 9 }).curtime,
      template.time + 9,
    );
  });

  it("a block built from the answer alone is valid (what external software does)", () => {
    const { chain, template } = templateWithFamily();
    const gbt = JSON.parse(JSON.stringify(toGetBlockTemplate(template))) as GetBlockTemplateResult;
    const txs = gbt.transactions.map((t) => Transaction.fromBytes(fromHex(t.data)));
    const coinbase = buildCoinbase({
      height: gbt.height,
      extraNonce: 77n,
      tag: new TextEncoder().encode("/external/"),
      payoutScript: alice.script,
      value: BigInt(gbt.coinbasevalue),
    });
    const all = [coinbase, ...txs];
    const unsolved = new BlockHeader({
      version: gbt.version,
      prevBlock: gbt.previousblockhash,
      merkleRoot: merkleRoot(all.map((t) => t.txid())),
      time: gbt.curtime,
      bits: Number.parseInt(gbt.bits, 16),
      nonce: 0,
    });
    const target = BigInt(`0x${gbt.target}`);
    let header = unsolved;
    for (let nonce = 1; BigInt(`0x${header.hash()}`) > target; nonce++) {
      header = unsolved.with({ nonce });
    }
    const result = chain.validate(new Block(header, all));
    assert.equal(result.fees + result.subsidy, BigInt(gbt.coinbasevalue));
  });
});

describe("submitblock", () => {
  it("maps outcomes to BIP22 answers", () => {
    assert.equal(submitBlockResult({ kind: "accepted" }), null);
    assert.equal(submitBlockResult({ kind: "inconclusive" }), "inconclusive");
    assert.equal(submitBlockResult({ kind: "duplicate", status: "valid" }), "duplicate");
    assert.equal(submitBlockResult({ kind: "duplicate", status: "invalid" }), "duplicate-invalid");
    assert.equal(
      submitBlockResult({ kind: "duplicate", status: "inconclusive" }),
      "duplicate-inconclusive",
    );
    for (const code of ["high-hash", "bad-txnmrklroot", "bad-cb-amount", "bad-diffbits"]) {
      assert.equal(
        submitBlockResult({ kind: "rejected", error: new BlockValidationError(code) }),
        code,
      );
    }
    assert.equal(submitBlockResult({ kind: "rejected", error: new Error("disk") }), "rejected");
  });

  it("decodes the hex, hands the block over, and answers", async () => {
    const { template } = templateWithFamily();
    const block = assembleBlock(template, { extraNonce: 0n, time: template.time, nonce: 0 });
    const hex = toHex(block.toBytes());
    let seen: string | undefined;
    assert.equal(
      await submitBlock(hex, (b) => {
        seen = b.hash();
        return { kind: "accepted" };
      }),
      null,
    );
    assert.equal(seen, block.hash());
    assert.equal(
      await submitBlock(hex, () => {
        throw new BlockValidationError("high-hash");
      }),
      "high-hash",
    );
  });

  it("refuses what is not a block with Core's decode error (-22)", async () => {
    for (const bad of ["zz", "00", "0".repeat(161)]) {
      await assert.rejects(
        submitBlock(bad, () => ({ kind: "accepted" })),
        (e: unknown) => e instanceof Error && e.name === "BlockDecodeFailedError",
      );
    }
    // A well-formed block whose first transaction is not a coinbase.
    const { template, parent } = templateWithFamily();
    const header = assembleBlock(template, {
      extraNonce: 0n,
      time: template.time,
      nonce: 0,
    }).header;
    const noCoinbase = new Block(header, [parent]);
    assert.throws(() => decodeSubmittedBlock(toHex(noCoinbase.toBytes())), {
      name: "BlockDecodeFailedError",
      rpcCode: -22,
    });
  });
});
