import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ChainState, MemoryChainStateStore, OrphanPool, regtest } from "../../src/index.ts";
import { emptyChain, GENESIS, NOW, pointOf, storedSet } from "../../src/testing/chain-builder.ts";

describe("orphan blocks", () => {
  it("blocks arriving in reverse order end with the right tip", async () => {
    const blocks = emptyChain(GENESIS, 30);
    const store = new MemoryChainStateStore();
    const chain = await ChainState.open({ params: regtest, store });
    const reversed = [...blocks].reverse();
    for (const block of reversed.slice(0, -1)) {
      const result = await chain.processBlock(block, { now: NOW });
      assert.equal(result.status, "orphan");
      // Its parent has not come yet (it is the next one delivered).
      assert.equal(result.missingParent, block.header.prevBlock);
      assert.equal(chain.height, 0);
    }
    assert.equal(chain.orphans.size, 29);
    // From the top orphan, the missing ancestor is now the first block.
    assert.equal(chain.orphans.missingAncestor(blocks.at(-1)!.hash()), blocks[0]!.hash());
    const last = await chain.processBlock(blocks[0]!, { now: NOW });
    assert.equal(last.status, "connected");
    assert.equal(chain.tip.hash, blocks.at(-1)!.hash());
    assert.equal(chain.height, 30);
    assert.equal(chain.orphans.size, 0);
    assert.equal((await storedSet(store)).size, 30);
  });

  it("an orphan that arrives twice is held once; a known orphan is reported as such", async () => {
    const blocks = emptyChain(GENESIS, 3);
    const chain = await ChainState.open({ params: regtest, store: new MemoryChainStateStore() });
    await chain.processBlock(blocks[2]!, { now: NOW });
    assert.equal((await chain.processBlock(blocks[2]!, { now: NOW })).status, "orphan");
    assert.equal(chain.orphans.size, 1);
    assert.ok(chain.hasBlock(blocks[2]!.hash()));
  });

  it("orphans wait for a header sync too: the header of their parent lets them in", async () => {
    const blocks = emptyChain(GENESIS, 4);
    const chain = await ChainState.open({ params: regtest, store: new MemoryChainStateStore() });
    await chain.processBlock(blocks[3]!, { now: NOW });
    // Headers 1..3 arrive: block 4 can be stored (its parent's header is known), not connected.
    await chain.acceptHeaders(
      blocks.slice(0, 3).map((b) => b.header),
      { now: NOW },
    );
    assert.equal(chain.orphans.size, 0);
    assert.equal(chain.getBlockInfo(blocks[3]!.hash())?.haveData, true);
    assert.equal(chain.height, 0);
    for (const block of blocks.slice(0, 3)) await chain.processBlock(block, { now: NOW });
    assert.equal(chain.tip.hash, blocks[3]!.hash());
  });

  it("the pool is bounded by count and by bytes, evicting the oldest first", () => {
    const blocks = emptyChain(pointOf(emptyChain(GENESIS, 1)[0]!, 1), 10);
    const byCount = new OrphanPool({ maxCount: 3 });
    const evicted = blocks.flatMap((b) => byCount.add(b));
    assert.equal(byCount.size, 3);
    assert.deepEqual(
      evicted,
      blocks.slice(0, 7).map((b) => b.hash()),
    );
    assert.ok(byCount.has(blocks[9]!.hash()));

    const size = blocks[0]!.toBytes().length;
    const byBytes = new OrphanPool({ maxBytes: size * 2 + 1 });
    for (const block of blocks.slice(0, 4)) byBytes.add(block);
    assert.equal(byBytes.size, 2);
    assert.ok(byBytes.bytes <= size * 2 + 1);
    assert.deepEqual(
      byBytes.takeChildren(blocks[2]!.hash()).map((o) => o.block.hash()),
      [blocks[3]!.hash()],
    );
    assert.equal(byBytes.size, 1);
  });
});
