import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createFixture, output, spend } from "./helpers/fixture.ts";

describe("concurrent admission", () => {
  it("200 transactions submitted at once are all accepted, with consistent state", async () => {
    const f = createFixture({ coins: 200 });
    const txs = f.coins.map((coin, i) => spend({ inputs: [coin], fee: BigInt(1_000 + i * 10) }));
    const results = await Promise.all(txs.map((tx) => f.mempool.submit(tx, { peer: "p" })));
    assert.ok(results.every((r) => r.status === "accepted"));
    assert.equal(f.mempool.count, 200);
    assert.equal(f.added.length, 200);
    assert.equal(
      f.mempool.bytes,
      txs.reduce((sum, tx) => sum + tx.size(), 0),
    );
    f.mempool.check();
  });

  it("parents and children in any order, double spends racing: one consistent outcome", async () => {
    const f = createFixture({ coins: 60 });
    const parents = f.coins.slice(0, 40).map((coin) => spend({ inputs: [coin] }));
    const children = parents.map((p) => spend({ inputs: [output(p, 0)] }));
    const low = f.coins.slice(40).map((coin) => spend({ inputs: [coin], fee: 5_000n }));
    const high = f.coins.slice(40).map((coin) => spend({ inputs: [coin], fee: 50_000n }));
    const all = [...children, ...low, ...parents, ...high];
    // A fixed shuffle.
    const order = all
      .map((tx, i) => ({ tx, key: (i * 7919) % all.length }))
      .sort((a, b) => a.key - b.key);
    // Ten peers, so that no peer's orphans exceed its share of the orphan pool.
    await Promise.allSettled(
      order.map(({ tx }, i) => f.mempool.submit(tx, { peer: `p${i % 10}` })),
    );
    await f.mempool.idle();
    for (const tx of [...parents, ...children, ...high])
      assert.ok(f.mempool.has(tx.txid()), tx.txid());
    for (const tx of low) assert.ok(!f.mempool.has(tx.txid()));
    assert.equal(f.mempool.count, 100);
    assert.equal(f.mempool.orphanCount, 0);
    f.mempool.check();
  });

  it("a block connected while admissions are in flight wins", async () => {
    const f = createFixture({ coins: 100 });
    const txs = f.coins.map((coin) => spend({ inputs: [coin] }));
    const pending = txs.map((tx) => f.mempool.submit(tx));
    const confirmed = txs.filter((_, i) => i % 3 === 0);
    f.confirm(confirmed);
    const results = await Promise.allSettled(pending);
    const confirmedIds = new Set(confirmed.map((tx) => tx.txid()));
    results.forEach((r, i) => {
      const txid = txs[i]!.txid();
      if (confirmedIds.has(txid)) {
        assert.equal(r.status, "rejected");
        assert.ok(!f.mempool.has(txid));
      } else {
        assert.equal(r.status, "fulfilled");
        assert.ok(f.mempool.has(txid));
      }
    });
    f.mempool.check();
  });

  it("yields the event loop between transactions (2,000 at once)", async () => {
    const f = createFixture({ coins: 2_000, coinValue: 1_000_000n });
    const txs = f.coins.map((coin) => spend({ inputs: [coin] }));
    let done = 0;
    let doneAtImmediate: number | undefined;
    let doneAtTimer: number | undefined;
    const all = Promise.all(
      txs.map((tx) =>
        f.mempool.submit(tx).then(() => {
          done++;
        }),
      ),
    );
    setImmediate(() => {
      doneAtImmediate = done;
    });
    setTimeout(() => {
      doneAtTimer = done;
    }, 0);
    await all;
    assert.equal(f.mempool.count, 2_000);
    assert.ok(
      doneAtImmediate !== undefined && doneAtImmediate < 2_000,
      `immediate at ${doneAtImmediate}`,
    );
    assert.ok(doneAtTimer !== undefined && doneAtTimer < 2_000, `timer at ${doneAtTimer}`);
  });
});
