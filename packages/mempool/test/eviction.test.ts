import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { feeRateOf, MempoolReason } from "../src/index.ts";
import { refused } from "./helpers/assertions.ts";
import { createFixture, output, spend } from "./helpers/fixture.ts";

/** Room for four one-input, one-output transactions (about 3,400 bytes of usage each). */
const FOUR_SMALL = 4 * 3400 + 1000;

describe("size limit and rolling minimum fee", () => {
  it("evicts the lowest fee rate, raises the minimum fee, refuses what no longer pays", async () => {
    const f = createFixture({ init: { maxUsage: FOUR_SMALL } });
    const txs = [10_000n, 20_000n, 30_000n, 40_000n].map((fee, i) =>
      spend({ inputs: [f.coins[i]!], fee }),
    );
    for (const tx of txs) await f.mempool.submit(tx);
    assert.equal(f.mempool.count, 4);
    assert.equal(f.mempool.info().mempoolminfee, 1_000n);

    await f.mempool.submit(spend({ inputs: [f.coins[4]!], fee: 50_000n }));
    assert.equal(f.mempool.count, 4);
    assert.ok(!f.mempool.has(txs[0]!.txid()));
    assert.deepEqual(
      f.removed.map((e) => [e.txid, e.reason]),
      [[txs[0]!.txid(), "evicted"]],
    );
    const evictedRate = feeRateOf(10_000n, txs[0]!.size()) + 1_000n;
    assert.equal(f.mempool.minFeeRate(), evictedRate);
    assert.ok(f.mempool.usage <= FOUR_SMALL);

    const cheap = spend({ inputs: [f.coins[5]!], fee: 5_000n });
    await refused(f.mempool.submit(cheap), MempoolReason.MEMPOOL_MIN_FEE, true);

    // Above the new minimum but the lowest in the pool: admitted, then evicted at once.
    const marginal = spend({ inputs: [f.coins[6]!], fee: 15_000n });
    await refused(f.mempool.submit(marginal), MempoolReason.MEMPOOL_FULL, true);
    assert.ok(!f.mempool.has(marginal.txid()));
    assert.equal(f.mempool.count, 4);
    f.mempool.check();
  });

  it("keeps a cheap parent whose child pays for it (descendant score)", async () => {
    const f = createFixture({ init: { maxUsage: FOUR_SMALL } });
    const parent = spend({ inputs: [f.coins[0]!], fee: 2_000n });
    const child = spend({ inputs: [output(parent, 0)], fee: 100_000n });
    const middle = spend({ inputs: [f.coins[1]!], fee: 30_000n });
    const high = spend({ inputs: [f.coins[2]!], fee: 40_000n });
    for (const tx of [parent, child, middle, high]) await f.mempool.submit(tx);
    await f.mempool.submit(spend({ inputs: [f.coins[3]!], fee: 50_000n }));
    assert.ok(f.mempool.has(parent.txid()) && f.mempool.has(child.txid()));
    assert.ok(!f.mempool.has(middle.txid()));
  });

  it("evicts a package with its descendants", async () => {
    const f = createFixture({ init: { maxUsage: FOUR_SMALL } });
    const parent = spend({ inputs: [f.coins[0]!], fee: 2_000n });
    const child = spend({ inputs: [output(parent, 0)], fee: 2_000n });
    for (const tx of [parent, child]) await f.mempool.submit(tx);
    for (let i = 1; i <= 3; i++)
      await f.mempool.submit(spend({ inputs: [f.coins[i]!], fee: 30_000n }));
    // Five did not fit: the cheapest package, parent and child together, went.
    assert.equal(f.mempool.count, 3);
    assert.deepEqual(
      f.removed.map((e) => e.reason),
      ["evicted", "evicted"],
    );
    assert.ok(!f.mempool.has(parent.txid()) && !f.mempool.has(child.txid()));
    f.mempool.check();
  });

  it("decays the minimum fee after a block with a 12-hour half-life, then drops it", async () => {
    const f = createFixture({ init: { maxUsage: FOUR_SMALL } });
    for (let i = 0; i < 5; i++) {
      await f.mempool.submit(spend({ inputs: [f.coins[i]!], fee: BigInt(10_000 * (i + 1)) }));
    }
    const raised = f.mempool.minFeeRate();
    assert.ok(raised > 1_000n);
    f.clock.now += 12 * 60 * 60;
    assert.equal(f.mempool.minFeeRate(), raised, "no decay before a block");
    f.confirm([]);
    f.clock.now += 12 * 60 * 60;
    // The pool is more than half full: the plain half-life applies.
    assert.equal(f.mempool.minFeeRate(), BigInt(Math.round(Number(raised) / 2)));
    f.clock.now += 10 * 12 * 60 * 60;
    assert.equal(f.mempool.minFeeRate(), 1_000n);
    assert.equal(
      (await f.mempool.submit(spend({ inputs: [f.coins[9]!], fee: 50_000n }))).status,
      "accepted",
    );
  });

  it("decays four times faster while the pool is under a quarter full", async () => {
    const f = createFixture({ init: { maxUsage: FOUR_SMALL } });
    for (let i = 0; i < 5; i++) {
      await f.mempool.submit(spend({ inputs: [f.coins[i]!], fee: BigInt(10_000 * (i + 1)) }));
    }
    const raised = f.mempool.minFeeRate();
    f.confirm(f.mempool.txids().map((txid) => f.mempool.get(txid)!));
    assert.equal(f.mempool.count, 0);
    f.clock.now += 3 * 60 * 60;
    assert.equal(f.mempool.minFeeRate(), BigInt(Math.round(Number(raised) / 2)));
  });

  it("expires transactions (and their descendants) after two weeks", async () => {
    const f = createFixture();
    const parent = spend({ inputs: [f.coins[0]!] });
    const child = spend({ inputs: [output(parent, 0)] });
    await f.mempool.submit(parent);
    f.clock.now += 60;
    await f.mempool.submit(child);
    const young = spend({ inputs: [f.coins[1]!] });
    f.clock.now += 14 * 24 * 60 * 60 - 60;
    await f.mempool.submit(young);
    assert.equal(f.mempool.count, 3, "exactly two weeks old stays");
    f.clock.now += 1;
    f.mempool.limitSize();
    assert.deepEqual(f.mempool.txids(), [young.txid()]);
    assert.deepEqual(
      f.removed.map((e) => e.reason),
      ["expired", "expired"],
    );
  });
});
