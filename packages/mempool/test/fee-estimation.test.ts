import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { feeRateOf, targetPercentile, weightedPercentile } from "../src/index.ts";
import { createFixture, spend } from "./helpers/fixture.ts";

const samples = (rates: number[], size = 100) => rates.map((r) => ({ feeRate: BigInt(r), size }));

describe("fee estimation", () => {
  it("weighted percentiles and the percentile per target", () => {
    const ten = samples([5, 1, 9, 3, 7, 2, 10, 4, 8, 6]);
    assert.equal(weightedPercentile(ten, 90), 9n);
    assert.equal(weightedPercentile(ten, 70), 7n);
    assert.equal(weightedPercentile(ten, 10), 1n);
    assert.equal(weightedPercentile(ten, 100), 10n);
    const skewed = [...samples([1], 900), ...samples([10], 100)];
    assert.equal(weightedPercentile(skewed, 90), 1n);
    assert.equal(weightedPercentile(skewed, 91), 10n);
    assert.equal(weightedPercentile([], 50), undefined);
    assert.deepEqual([1, 2, 4, 8, 16, 100].map(targetPercentile), [90, 70, 50, 30, 10, 10]);
  });

  it("says nothing without data", () => {
    const f = createFixture();
    assert.equal(f.mempool.estimateFee(1), undefined);
    assert.equal(f.mempool.estimateFee(6), undefined);
  });

  it("from recent blocks: the 90th percentile for the next block, lower for later", async () => {
    const f = createFixture();
    const txs = f.coins
      .slice(0, 10)
      .map((coin, i) => spend({ inputs: [coin], fee: BigInt(2_000 * (i + 1)) }));
    for (const tx of txs) await f.mempool.submit(tx);
    const mined = txs.map((tx) => {
      const e = f.mempool.getEntry(tx.txid())!;
      return { feeRate: feeRateOf(e.fees.base, e.size), size: e.size };
    });
    f.confirm(txs);
    const one = f.mempool.estimateFee(1)!;
    assert.equal(one, weightedPercentile(mined, 90));
    // Rates ~10,000/kB apart, sizes within 2 bytes: the 9th or 10th of 10.
    assert.ok(one >= mined[8]!.feeRate);
    assert.equal(f.mempool.estimateFee(2), weightedPercentile(mined, 70));
    assert.equal(f.mempool.estimateFee(16), weightedPercentile(mined, 10));
    assert.ok(f.mempool.estimateFee(16)! <= mined[1]!.feeRate);
    assert.ok(f.mempool.estimateFee(3)! <= one);
    // A disconnected block is forgotten.
    const { block, height } = f.chain.disconnect();
    f.mempool.blockDisconnected(block, height);
    await f.mempool.updateForReorg();
    f.mempool.blockConnected(f.chain.mineAndConnect(), f.chain.height);
    assert.equal(f.mempool.estimateFee(1), undefined);
  });

  it("from the mempool: what outbids the queue for the target's block space", async () => {
    const f = createFixture({ init: { blockBytes: 1_000 } });
    const txs = f.coins
      .slice(0, 20)
      .map((coin, i) => spend({ inputs: [coin], fee: BigInt(1_000 * (i + 1)) }));
    for (const tx of txs) await f.mempool.submit(tx);
    const queue = f.mempool.getBlockCandidates();
    // About 192 bytes each: the 6th fills the first 1,000 bytes, the 11th the next.
    assert.equal(f.mempool.estimateFee(1), queue[5]!.ancestorScore);
    assert.equal(f.mempool.estimateFee(2), queue[10]!.ancestorScore);
    assert.equal(f.mempool.estimateFee(5), undefined);
  });

  it("never below the relay floor", async () => {
    const f = createFixture();
    // Mined at 520/kB of base fee (admitted thanks to a prioritisation).
    const cheap = spend({ inputs: [f.coins[0]!], fee: 100n });
    f.mempool.prioritise(cheap.txid(), 1_000n);
    await f.mempool.submit(cheap);
    f.confirm([cheap]);
    assert.equal(f.mempool.estimateFee(1), 1_000n);
  });
});
