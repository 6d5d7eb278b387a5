import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createFixture, type Fixture, output, spend, spendChain } from "./helpers/fixture.ts";

function disconnectTip(f: Fixture): void {
  const { block, height } = f.chain.disconnect();
  f.mempool.blockDisconnected(block, height);
}

describe("connected blocks", () => {
  it("remove confirmed transactions and those conflicting with the block", async () => {
    const f = createFixture();
    const [a, b] = spendChain(f.coins[0]!, 2);
    const c = spend({ inputs: [f.coins[1]!] });
    const cChild = spend({ inputs: [output(c, 0)] });
    const d = spend({ inputs: [f.coins[2]!] });
    for (const tx of [a!, b!, c, cChild, d]) await f.mempool.submit(tx);
    const rival = spend({ inputs: [f.coins[1]!], fee: 1_000n });
    f.confirm([a!, rival]);
    assert.deepEqual(new Set(f.mempool.txids()), new Set([b!.txid(), d.txid()]));
    assert.deepEqual(
      f.removed.map((e) => [e.txid, e.reason]),
      [
        [a!.txid(), "block"],
        [c.txid(), "conflict"],
        [cChild.txid(), "conflict"],
      ],
    );
    const entry = f.mempool.getEntry(b!.txid())!;
    assert.equal(entry.ancestorcount, 1);
    assert.deepEqual(entry.depends, []);
    f.mempool.check();
    // The child of a confirmed parent still satisfies BIP68 and stays spendable.
    const next = spend({ inputs: [output(b!, 0)] });
    assert.equal((await f.mempool.submit(next)).status, "accepted");
  });
});

describe("reorganisations", () => {
  it("put a disconnected block's transactions back, linked to their mempool children", async () => {
    const f = createFixture();
    const [a, b] = spendChain(f.coins[0]!, 2);
    await f.mempool.submit(a!);
    await f.mempool.submit(b!);
    f.confirm([a!]);
    assert.deepEqual(f.mempool.txids(), [b!.txid()]);
    disconnectTip(f);
    const result = await f.mempool.updateForReorg();
    assert.deepEqual(result.readded, [a!.txid()]);
    assert.deepEqual(result.dropped, []);
    assert.equal(f.mempool.getEntry(b!.txid())!.ancestorcount, 2);
    assert.equal(f.mempool.getEntry(a!.txid())!.descendantcount, 2);
    assert.deepEqual(f.mempool.getEntry(a!.txid())!.spentby, [b!.txid()]);
    f.mempool.check();
  });

  it("leave out transactions the new chain confirmed or conflicts with", async () => {
    const f = createFixture();
    const kept = spend({ inputs: [f.coins[0]!] });
    const reconfirmed = spend({ inputs: [f.coins[1]!] });
    const doubleSpent = spend({ inputs: [f.coins[2]!] });
    f.confirm([kept, reconfirmed, doubleSpent]);
    disconnectTip(f);
    const rival = spend({ inputs: [f.coins[2]!], fee: 30_000n });
    f.confirm([reconfirmed, rival]);
    const result = await f.mempool.updateForReorg();
    assert.deepEqual(result.readded, [kept.txid()]);
    assert.deepEqual(f.mempool.txids(), [kept.txid()]);
  });

  it("drop mempool spenders of a transaction that does not come back", async () => {
    const f = createFixture();
    const parent = spend({ inputs: [f.coins[0]!] });
    f.confirm([parent]);
    const child = spend({ inputs: [output(parent, 0)] });
    await f.mempool.submit(child);
    disconnectTip(f);
    const rival = spend({ inputs: [f.coins[0]!], fee: 50_000n });
    f.confirm([rival]);
    // `child` spends an output that no longer exists; the block connection found no conflict.
    const result = await f.mempool.updateForReorg();
    assert.ok(!f.mempool.has(child.txid()));
    assert.deepEqual(result.removed, [child.txid()]);
  });

  it("remove what the lower tip makes non-final, non-BIP68-final or immature", async () => {
    const f = createFixture();
    const tip = f.chain.height;
    const lockedToTip = spend({ inputs: [f.coins[0]!], locktime: tip, sequence: 0xfffffffe });
    const relative = spend({ inputs: [f.coins[1]!], sequence: 1 });
    const coinbaseSpend = spend({ inputs: [f.matureCoinbase] });
    const plain = spend({ inputs: [f.coins[2]!] });
    for (const tx of [lockedToTip, relative, coinbaseSpend, plain]) await f.mempool.submit(tx);
    disconnectTip(f);
    disconnectTip(f);
    const result = await f.mempool.updateForReorg();
    // Block 102 held the transaction creating f.coins: it is back, and spends of its outputs now
    // have a mempool parent (so a 1-block relative lock no longer holds).
    assert.equal(result.readded.length, 1);
    assert.deepEqual(
      new Set(result.removed),
      new Set([lockedToTip.txid(), relative.txid(), coinbaseSpend.txid()]),
    );
    assert.ok(f.mempool.has(plain.txid()));
    assert.equal(f.mempool.getEntry(plain.txid())!.ancestorcount, 2);
    f.mempool.check();
  });

  it("remove descendants that the put-back parent takes over the ancestor limit", async () => {
    const f = createFixture();
    const chain = spendChain(f.coins[0]!, 26);
    f.confirm([chain[0]!]);
    for (const tx of chain.slice(1)) await f.mempool.submit(tx);
    assert.equal(f.mempool.getEntry(chain[25]!.txid())!.ancestorcount, 25);
    disconnectTip(f);
    const result = await f.mempool.updateForReorg();
    assert.deepEqual(result.readded, [chain[0]!.txid()]);
    assert.deepEqual(result.removed, [chain[25]!.txid()]);
    assert.equal(f.mempool.count, 25);
    f.mempool.check();
  });

  it("re-admit without the fee floors (as Core)", async () => {
    const f = createFixture({ init: { minRelayFeeRate: 1_000n } });
    const free = spend({ inputs: [f.coins[0]!], fee: 0n });
    f.confirm([free]);
    disconnectTip(f);
    const result = await f.mempool.updateForReorg();
    assert.deepEqual(result.readded, [free.txid()]);
  });
});
