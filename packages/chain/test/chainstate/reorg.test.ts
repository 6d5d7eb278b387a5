import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type Block,
  type ChainEventName,
  ChainState,
  MemoryChainStateStore,
  regtest,
} from "../../src/index.ts";
import {
  forkScenario,
  mainChainBlocks,
  modelCommitment,
  NOW,
  replayModel,
  storedCommitment,
  storedSet,
} from "../../src/testing/chain-builder.ts";

async function deliver(chain: ChainState, blocks: readonly Block[]): Promise<void> {
  for (const block of blocks) await chain.processBlock(block, { now: NOW });
}

/** The store's set equals the one rebuilt from scratch along `winning`, coin by coin. */
async function assertSetIs(
  chain: ChainState,
  store: MemoryChainStateStore,
  winning: readonly Block[],
  context: string,
): Promise<void> {
  assert.equal(chain.tip.hash, winning.at(-1)!.hash(), `${context}: tip`);
  assert.equal(chain.height, winning.length, `${context}: height`);
  assert.deepEqual(await storedSet(store), replayModel(winning), `${context}: UTXO set`);
  assert.deepEqual(
    await storedCommitment(store),
    modelCommitment(winning),
    `${context}: commitment`,
  );
  assert.deepEqual(
    (await mainChainBlocks(chain)).map((b) => b.hash()),
    winning.map((b) => b.hash()),
    `${context}: main chain`,
  );
}

function recordEvents(chain: ChainState): { name: ChainEventName; height: number }[] {
  const log: { name: ChainEventName; height: number }[] = [];
  chain.events.on("block:connected", (e) =>
    log.push({ name: "block:connected", height: e.height }),
  );
  chain.events.on("block:disconnected", (e) =>
    log.push({ name: "block:disconnected", height: e.height }),
  );
  chain.events.on("tip:changed", (e) => log.push({ name: "tip:changed", height: e.tip.height }));
  return log;
}

for (const depth of [1, 10, 100]) {
  describe(`a reorganisation of depth ${depth} with spends and double spends on both sides`, () => {
    it("switches A → B → A, the UTXO set equal to a rebuild along the winner each time", async () => {
      const { base, a, b, aExtension } = forkScenario(depth);
      const store = new MemoryChainStateStore();
      const chain = await ChainState.open({ params: regtest, store });
      await deliver(chain, base);
      await deliver(chain, a);
      await assertSetIs(chain, store, [...base, ...a], "on A");

      const log = recordEvents(chain);
      // B's first `depth` blocks have at most A's work: stored, not connected.
      for (const block of b.slice(0, depth)) {
        const result = await chain.processBlock(block, { now: NOW });
        assert.equal(result.status, "stored");
      }
      assert.equal(chain.tip.hash, a.at(-1)!.hash());
      const switched = await chain.processBlock(b.at(-1)!, { now: NOW });
      assert.equal(switched.status, "connected");
      await assertSetIs(chain, store, [...base, ...b], "on B");
      // Every disconnect (tip first), every connect (fork point first), then one tip change.
      const forkHeight = base.length;
      assert.deepEqual(log, [
        ...a.map((_, i) => ({ name: "block:disconnected", height: forkHeight + depth - i })),
        ...b.map((_, i) => ({ name: "block:connected", height: forkHeight + 1 + i })),
        { name: "tip:changed", height: forkHeight + depth + 1 },
      ]);

      log.length = 0;
      await deliver(chain, aExtension);
      await assertSetIs(chain, store, [...base, ...a, ...aExtension], "back on A");
      assert.equal(log.filter((e) => e.name === "block:disconnected").length, depth + 1);
      assert.equal(log.filter((e) => e.name === "tip:changed").length, 1);

      const report = await chain.verify({ level: "full" });
      assert.deepEqual(report.problems, []);
      assert.ok(report.ok);
    });
  });
}

describe("fork choice", () => {
  it("keeps the first-seen tip when a competing block has equal work", async () => {
    const { base, a, b } = forkScenario(1);
    const chain = await ChainState.open({ params: regtest, store: new MemoryChainStateStore() });
    await deliver(chain, base);
    await deliver(chain, a);
    const result = await chain.processBlock(b[0]!, { now: NOW });
    assert.equal(result.status, "stored");
    assert.equal(chain.tip.hash, a[0]!.hash());
    assert.equal(chain.getBlockInfo(b[0]!.hash())?.onMainChain, false);
    assert.equal(chain.getBlockInfo(b[0]!.hash())?.haveData, true);
  });

  it("reorganises when a stored side chain's missing block finally arrives", async () => {
    const { base, a, b } = forkScenario(3);
    const chain = await ChainState.open({ params: regtest, store: new MemoryChainStateStore() });
    await deliver(chain, base);
    await deliver(chain, a);
    // B without its first block: its headers enter the index, its blocks wait for their parent's data.
    await chain.acceptHeaders(
      b.map((block) => block.header),
      { now: NOW },
    );
    assert.equal(chain.bestHeader.hash, b.at(-1)!.hash());
    for (const block of b.slice(1)) {
      assert.equal((await chain.processBlock(block, { now: NOW })).status, "stored");
    }
    assert.equal(chain.tip.hash, a.at(-1)!.hash());
    const result = await chain.processBlock(b[0]!, { now: NOW });
    assert.equal(result.status, "connected");
    assert.equal(chain.tip.hash, b.at(-1)!.hash());
  });
});
