import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  COIN,
  computeMerkleRoot,
  getBlockSubsidy,
  hasCoinbaseHeight,
  heightPushScript,
  nextWorkRequired,
  regtest,
  type Transaction,
} from "@starling/chain";
import {
  assembleBlock,
  type BlockTemplate,
  coinbaseMerkleBranch,
  createBlockTemplate,
  createMiner,
  merkleRootFromBranch,
  mineBlock,
  PowWorkerPool,
  templateCoinbase,
} from "../src/index.ts";
import { key, StubMempool, signedSpend, TestChain } from "./helpers/regtest-chain.ts";

const alice = key(1);
const minerKey = key(9);

/** A regtest chain whose first coinbases (paying alice) are mature. */
function matureChain(): { chain: TestChain; coinbases: Transaction[] } {
  const chain = new TestChain(regtest);
  const coinbases: Transaction[] = [];
  for (let i = 0; i < 110; i++) coinbases.push(chain.extendTo(alice.script));
  return { chain, coinbases };
}

const outputSum = (tx: Transaction): bigint => tx.outputs.reduce((s, o) => s + o.value, 0n);

describe("block templates on a regtest chain with real signatures", () => {
  const { chain, coinbases } = matureChain();
  const mempool = new StubMempool(chain);
  const pool = new PowWorkerPool({ threads: 1 });
  after(() => pool.close());

  const source = (options = {}) => ({
    chain,
    txSource: mempool,
    network: regtest,
    payoutScript: minerKey.script,
    options,
  });

  let parent: Transaction;
  let child: Transaction;
  let richer: Transaction;
  let poorer: Transaction;
  let locked: Transaction;
  before(() => {
    const cb = (i: number) => ({ txid: coinbases[i]!.txid(), index: 0 });
    // The parent alone pays little; its child pays a lot: together they beat `richer`.
    parent = signedSpend(alice, [cb(0)], [{ value: 50n * COIN - 1_000n }]);
    child = signedSpend(
      alice,
      [{ txid: parent.txid(), index: 0 }],
      [{ value: 50n * COIN - 801_000n }],
    );
    richer = signedSpend(alice, [cb(1)], [{ value: 50n * COIN - 200_000n }]);
    poorer = signedSpend(alice, [cb(2)], [{ value: 25n * COIN }, { value: 25n * COIN - 2_000n }]);
    // Final only from height 1000: must stay out.
    locked = signedSpend(alice, [cb(3)], [{ value: 50n * COIN - 900_000n }], 1000);
    for (const tx of [poorer, child, parent, richer, locked]) {
      // add() needs parents first; the pool's order is by fee rate anyway.
      if (tx === child) continue;
      mempool.add(tx);
    }
    mempool.add(child);
  });

  it("orders by ancestor fee rate, parents before children, and leaves non-final ones out", () => {
    const template = createBlockTemplate(source());
    assert.deepEqual(
      template.transactions.map((t) => t.txid),
      [parent.txid(), child.txid(), richer.txid(), poorer.txid()],
    );
    assert.deepEqual(template.transactions[1]!.depends, [0]);
    assert.deepEqual(template.transactions[0]!.depends, []);
  });

  it("claims exactly subsidy plus fees, with the BIP34 height first in the coinbase", () => {
    const template = createBlockTemplate(source());
    const height = chain.height + 1;
    const fees = 1_000n + 800_000n + 200_000n + 2_000n;
    assert.equal(template.height, height);
    assert.equal(template.fees, fees);
    assert.equal(template.subsidy, getBlockSubsidy(height, regtest));
    assert.equal(template.coinbaseValue, template.subsidy + fees);
    const coinbase = templateCoinbase(template, 42n);
    assert.equal(outputSum(coinbase), template.subsidy + fees);
    assert.deepEqual(coinbase.outputs[0]!.scriptPubKey, minerKey.script);
    const push = heightPushScript(height);
    assert.deepEqual(coinbase.inputs[0]!.scriptSig.subarray(0, push.length), push);
    assert.ok(hasCoinbaseHeight(coinbase.inputs[0]!.scriptSig, height));
  });

  it("sets time from the clock above median-time-past, and bits from nextWorkRequired", () => {
    const tip = chain.getTip();
    chain.clock = tip.medianTimePast - 50; // a clock behind the chain
    assert.equal(createBlockTemplate(source()).time, tip.medianTimePast + 1);
    chain.clock = tip.time + 30;
    const template = createBlockTemplate(source());
    assert.equal(template.time, tip.time + 30);
    assert.equal(template.minTime, tip.medianTimePast + 1);
    assert.equal(template.bits, nextWorkRequired(regtest, tip));
  });

  it("builds the merkle root from the coinbase branch as the full tree does", () => {
    const template = createBlockTemplate(source());
    for (const extraNonce of [0n, 1n, 0xffffffffffffffffn]) {
      const coinbase = templateCoinbase(template, extraNonce);
      const leaves = [coinbase, ...template.transactions.map((t) => t.tx)].map((t) =>
        t.txidBytes(),
      );
      assert.deepEqual(
        merkleRootFromBranch(coinbase.txidBytes(), template.merkleBranch),
        computeMerkleRoot(leaves).root,
      );
    }
    for (let n = 0; n < 9; n++) {
      const leaves = Array.from({ length: n + 1 }, (_, i) => new Uint8Array(32).fill(i + 1));
      const root = merkleRootFromBranch(leaves[0]!, coinbaseMerkleBranch(leaves.slice(1)));
      assert.deepEqual(root, computeMerkleRoot(leaves).root, `${n + 1} leaves`);
    }
  });

  it("respects tiny size and sigop limits and the block stays valid", async () => {
    const full = createBlockTemplate(source());
    const oneTx = full.transactions[2]!.size; // room for about one transaction besides the coinbase
    const sizeLimited = createBlockTemplate(
      source({
        maxBlockSize: full.size - full.transactions.reduce((s, t) => s + t.size, 0) + oneTx + 10,
      }),
    );
    assert.ok(sizeLimited.size <= sizeLimited.sizeLimit);
    assert.equal(sizeLimited.transactions.length, 1);
    assert.equal(sizeLimited.transactions[0]!.txid, richer.txid());
    const sigopLimited = createBlockTemplate(source({ maxBlockSigops: 2 }));
    assert.ok(sigopLimited.sigops <= 2);
    assert.equal(sigopLimited.transactions.length, 1); // P2PKH spends: one sigop each
    for (const template of [sizeLimited, sigopLimited]) {
      const block = await mineBlock(template, { pool });
      assert.equal(block.strippedSize(), template.size);
      chain.validate(block);
    }
  });

  it("mines into a block that passes checkBlock, contextual checks and connectBlockChecks", async () => {
    const template = createBlockTemplate(source());
    const block = await mineBlock(template, { pool });
    const result = chain.validate(block);
    assert.equal(result.fees, template.fees);
    assert.equal(outputSum(block.transactions[0]!), result.subsidy + result.fees);
    assert.equal(block.strippedSize(), template.size);
    assert.equal(result.sigops, template.sigops);
  });

  it("assembles exactly the block a solution describes", () => {
    const template: BlockTemplate = createBlockTemplate(source());
    const block = assembleBlock(template, { extraNonce: 7n, time: template.time + 3, nonce: 99 });
    assert.equal(block.header.nonce, 99);
    assert.equal(block.header.time, template.time + 3);
    assert.equal(block.transactions[0]!.txid(), templateCoinbase(template, 7n).txid());
    assert.equal(block.transactions.length, template.transactions.length + 1);
  });
});

describe("a mined regtest chain (the miner facade's generate)", () => {
  it("includes mempool transactions by fee rate, parents first, coinbase = subsidy + fees", async () => {
    const { chain, coinbases } = matureChain();
    const mempool = new StubMempool(chain);
    const found: string[] = [];
    const miner = createMiner({
      chain,
      txSource: mempool,
      network: regtest,
      payoutScript: minerKey.script,
      threads: 1,
      onBlockFound: (block) => {
        const result = chain.connect(block);
        assert.equal(
          outputSum(block.transactions[0]!),
          getBlockSubsidy(chain.height, regtest) + result.fees,
        );
        found.push(block.hash());
        mempool.clear();
      },
    });
    try {
      const cb = (i: number) => ({ txid: coinbases[i]!.txid(), index: 0 });
      const low = signedSpend(alice, [cb(0)], [{ value: 50n * COIN - 500n }]);
      const high = signedSpend(alice, [cb(1)], [{ value: 50n * COIN - 90_000n }]);
      const parent = signedSpend(alice, [cb(2)], [{ value: 50n * COIN - 300n }]);
      const child = signedSpend(
        alice,
        [{ txid: parent.txid(), index: 0 }],
        [{ value: 50n * COIN - 400_300n }],
      );
      for (const tx of [low, high, parent, child]) mempool.add(tx);

      const [first] = await miner.generate(1);
      assert.deepEqual(
        first!.transactions.slice(1).map((t) => t.txid()),
        [parent.txid(), child.txid(), high.txid(), low.txid()],
      );
      const more = await miner.generate(3);
      assert.equal(chain.height, 110 + 4);
      assert.deepEqual(
        found,
        [first!, ...more].map((b) => b.hash()),
      );
      for (const block of more) assert.equal(block.transactions.length, 1);
      assert.ok(miner.totalHashes() >= 4);
    } finally {
      await miner.close();
    }
  });
});
