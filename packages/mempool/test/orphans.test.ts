import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alice, createFixture, output, spend, spendChain } from "./helpers/fixture.ts";

/** An orphan spending an output of a transaction nobody has seen. */
function ghostSpend(n: number) {
  const txid = n.toString(16).padStart(64, "a");
  return spend({ inputs: [{ txid, index: 0, value: 1_000_000n, owner: alice }] });
}

describe("orphans", () => {
  it("a child that arrives before its parent is admitted when the parent is", async () => {
    const f = createFixture();
    const [parent, child] = spendChain(f.coins[0]!, 2);
    const first = await f.mempool.submit(child!, { peer: "a" });
    assert.deepEqual(first, {
      status: "orphan",
      txid: child!.txid(),
      missingParents: [parent!.txid()],
    });
    assert.equal(f.mempool.count, 0);
    assert.equal(f.mempool.info().orphans, 1);
    // Sent again while waiting: still an orphan, not a second copy.
    assert.equal((await f.mempool.submit(child!, { peer: "b" })).status, "orphan");
    assert.equal(f.mempool.orphanCount, 1);
    await f.mempool.submit(parent!, { peer: "b" });
    await f.mempool.idle();
    assert.ok(f.mempool.has(child!.txid()));
    assert.equal(f.mempool.orphanCount, 0);
    const added = f.added.find((e) => e.txid === child!.txid());
    assert.equal(added?.peer, "a");
    f.mempool.check();
  });

  it("a whole chain received backwards resolves, and two missing parents both count", async () => {
    const f = createFixture();
    const chain = spendChain(f.coins[0]!, 4);
    for (const tx of chain.slice(1).reverse()) {
      assert.equal((await f.mempool.submit(tx, { peer: "a" })).status, "orphan");
    }
    const other = spend({ inputs: [f.coins[1]!] });
    const both = spend({ inputs: [output(chain[3]!, 0), output(other, 0)] });
    assert.equal((await f.mempool.submit(both, { peer: "a" })).status, "orphan");
    await f.mempool.submit(chain[0]!);
    await f.mempool.idle();
    assert.equal(f.mempool.count, 4);
    assert.ok(f.mempool.hasOrphan(both.txid()));
    await f.mempool.submit(other);
    await f.mempool.idle();
    assert.ok(f.mempool.has(both.txid()));
    assert.equal(f.mempool.orphanCount, 0);
    f.mempool.check();
  });

  it("a parent confirmed in a block resolves its orphans", async () => {
    const f = createFixture();
    const [parent, child] = spendChain(f.coins[0]!, 2);
    await f.mempool.submit(child!, { peer: "a" });
    f.confirm([parent!]);
    await f.mempool.idle();
    assert.ok(f.mempool.has(child!.txid()));
    assert.equal(f.mempool.getEntry(child!.txid())!.ancestorcount, 1);
  });

  it("orphans a block includes or conflicts with are dropped", async () => {
    const f = createFixture();
    const [parent, child] = spendChain(f.coins[0]!, 2);
    const rival = spend({ inputs: [output(parent!, 0)], fee: 20_000n });
    await f.mempool.submit(child!, { peer: "a" });
    f.confirm([parent!, rival]);
    await f.mempool.idle();
    assert.equal(f.mempool.orphanCount, 0);
    assert.ok(!f.mempool.has(child!.txid()));
  });

  it("orphans expire after 20 minutes", async () => {
    const f = createFixture();
    const [parent, child] = spendChain(f.coins[0]!, 2);
    await f.mempool.submit(child!, { peer: "a" });
    const [parent2, child2] = spendChain(f.coins[1]!, 2);
    f.clock.now += 20 * 60 - 1;
    await f.mempool.submit(child2!, { peer: "a" });
    await f.mempool.submit(parent2!);
    await f.mempool.idle();
    assert.ok(f.mempool.has(child2!.txid()), "resolved just before expiry");
    f.clock.now += 1;
    await f.mempool.submit(parent!);
    await f.mempool.idle();
    assert.ok(!f.mempool.has(child!.txid()));
    assert.equal(f.mempool.orphanCount, 0);
  });

  it("one peer holds at most its share; its oldest orphans go first", async () => {
    const f = createFixture({ init: { maxOrphans: 100, orphanPeerShare: 0.25 } });
    const others = [ghostSpend(1000), ghostSpend(1001)];
    for (const tx of others) await f.mempool.submit(tx, { peer: "honest" });
    const greedy = Array.from({ length: 30 }, (_, i) => ghostSpend(i));
    for (const tx of greedy) await f.mempool.submit(tx, { peer: "greedy" });
    assert.equal(f.mempool.orphanCount, 25 + 2);
    for (const tx of greedy.slice(0, 5)) assert.ok(!f.mempool.hasOrphan(tx.txid()));
    for (const tx of greedy.slice(5)) assert.ok(f.mempool.hasOrphan(tx.txid()));
    for (const tx of others) assert.ok(f.mempool.hasOrphan(tx.txid()));
  });

  it("a full pool makes room by evicting from the peer holding the most", async () => {
    const f = createFixture({ init: { maxOrphans: 8, orphanPeerShare: 0.5 } });
    const a = Array.from({ length: 4 }, (_, i) => ghostSpend(i));
    const b = Array.from({ length: 3 }, (_, i) => ghostSpend(10 + i));
    for (const tx of a) await f.mempool.submit(tx, { peer: "a" });
    for (const tx of b) await f.mempool.submit(tx, { peer: "b" });
    const c = [ghostSpend(20), ghostSpend(21)];
    for (const tx of c) await f.mempool.submit(tx, { peer: "c" });
    assert.equal(f.mempool.orphanCount, 8);
    assert.ok(!f.mempool.hasOrphan(a[0]!.txid()));
    for (const tx of [...a.slice(1), ...b, ...c]) assert.ok(f.mempool.hasOrphan(tx.txid()));
  });

  it("an orphan that turns out invalid is dropped", async () => {
    const f = createFixture();
    const parent = spend({ inputs: [f.coins[0]!] });
    const greedyChild = spend({
      inputs: [output(parent, 0)],
      outputs: [{ value: parent.outputs[0]!.value + 1n, scriptPubKey: alice.script }],
    });
    await f.mempool.submit(greedyChild, { peer: "a" });
    await f.mempool.submit(parent);
    await f.mempool.idle();
    assert.ok(!f.mempool.has(greedyChild.txid()));
    assert.equal(f.mempool.orphanCount, 0);
  });
});
