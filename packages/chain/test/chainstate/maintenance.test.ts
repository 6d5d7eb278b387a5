import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  type Block,
  BlockIndex,
  BlockStatus,
  ChainState,
  ChainStateCorruptError,
  type ChainStateStore,
  type CoinEntry,
  createInlineScriptJobRunner,
  MemoryChainStateStore,
  regtest,
  type ScriptJobRunner,
} from "../../src/index.ts";
import {
  ALICE,
  blockOn,
  coinbaseTx,
  emptyChain,
  forkScenario,
  GENESIS,
  mainChainBlocks,
  modelCommitment,
  NOW,
  pointOf,
  spendP2pkh,
  storedCommitment,
} from "../../src/testing/chain-builder.ts";

async function deliver(chain: ChainState, blocks: readonly Block[]): Promise<void> {
  for (const block of blocks) await chain.processBlock(block, { now: NOW });
}

describe("verify and reindex", () => {
  it("verify (quick and full) and reindex agree on the commitment after reorganisations", async () => {
    const { base, a, b, aExtension } = forkScenario(10);
    const store = new MemoryChainStateStore();
    const chain = await ChainState.open({ params: regtest, store });
    await deliver(chain, [...base, ...a, ...b, ...aExtension]);
    const winning = [...base, ...a, ...aExtension];

    const quick = await chain.verify();
    assert.ok(quick.ok);
    assert.equal(quick.recomputed, undefined);
    assert.deepEqual(quick.commitment, modelCommitment(winning));
    const full = await chain.verify({ level: "full" });
    assert.deepEqual(full.problems, []);
    assert.deepEqual(full.recomputed, full.commitment);
    assert.equal(full.tip.hash, winning.at(-1)!.hash());

    const progress: number[] = [];
    let tipChanges = 0;
    chain.events.on("tip:changed", () => tipChanges++);
    const tip = await chain.reindex({ onProgress: (p) => progress.push(p.height) });
    assert.equal(tip.hash, winning.at(-1)!.hash());
    assert.deepEqual(
      progress,
      Array.from({ length: winning.length + 1 }, (_, i) => i),
    );
    assert.equal(tipChanges, 1);
    const after = await chain.verify({ level: "full" });
    assert.ok(after.ok, after.problems.join("\n"));
    assert.deepEqual(after.commitment, full.commitment);
    // The side chain B is still stored and known, just not on the main chain.
    assert.equal(chain.getBlockInfo(b.at(-1)!.hash())?.haveData, true);
    assert.equal(chain.isOnMainChain(b.at(-1)!.hash()), false);
  });

  it("full verify reports a UTXO set that differs from the chain", async () => {
    const store = new MemoryChainStateStore();
    const chain = await ChainState.open({ params: regtest, store });
    await deliver(chain, emptyChain(GENESIS, 5));
    // A store that lost one coin.
    const lossy = Object.create(store) as MemoryChainStateStore;
    lossy.utxos = async function* (): AsyncIterable<CoinEntry> {
      let first = true;
      for await (const entry of store.utxos()) {
        if (first) first = false;
        else yield entry;
      }
    };
    const damaged = await ChainState.open({ params: regtest, store: lossy });
    const quick = await damaged.verify();
    assert.equal(quick.commitment.count, 4);
    const full = await damaged.verify({ level: "full" });
    assert.equal(full.ok, false);
    assert.equal(full.recomputed?.count, 5);
    assert.match(full.problems.join("\n"), /UTXO set differs from the replayed chain/);
  });
});

describe("restart and storage failures", () => {
  it("reconnects stored blocks that the chainstate never committed (a crash before the commit)", async () => {
    const blocks = emptyChain(GENESIS, 12);
    const store = new MemoryChainStateStore();
    const chain = await ChainState.open({ params: regtest, store });
    await deliver(chain, blocks.slice(0, 5));
    store.hooks = {
      beforeCommit: () => {
        throw new Error("power cut");
      },
    };
    // Each block is stored (acknowledged) but its connection fails to commit.
    for (const block of blocks.slice(5)) {
      await assert.rejects(chain.processBlock(block, { now: NOW }), /power cut/);
      assert.ok(chain.hasBlock(block.hash()));
    }
    assert.equal(store.storedTip?.height, 5);
    assert.equal(chain.height, 5, "the in-memory tip is the store's");

    store.hooks = {};
    const connected: number[] = [];
    const restarted = await ChainState.open(
      { params: regtest, store },
      { onProgress: (p) => connected.push(p.height) },
    );
    assert.equal(restarted.tip.hash, blocks.at(-1)!.hash());
    assert.deepEqual(connected, [6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(await storedCommitment(store), modelCommitment(blocks));
  });

  it("a storage failure in the middle of a reorganisation leaves a consistent state; a retry finishes it", async () => {
    const { base, a, b } = forkScenario(10);
    const store = new MemoryChainStateStore();
    const chain = await ChainState.open({ params: regtest, store });
    await deliver(chain, [...base, ...a, ...b.slice(0, -1)]);
    let commits = 0;
    store.hooks = {
      beforeCommit: () => {
        if (++commits === 15) throw new Error("disk full");
      },
    };
    await assert.rejects(chain.processBlock(b.at(-1)!, { now: NOW }), /disk full/);
    // 10 disconnects, then 4 of B's blocks connected before the failure.
    assert.equal(chain.height, base.length + 4);
    assert.equal(store.storedTip?.hash, chain.tip.hash);
    assert.deepEqual(await storedCommitment(store), modelCommitment(await mainChainBlocks(chain)));
    store.hooks = {};
    const retry = await chain.processBlock(b.at(-1)!, { now: NOW });
    assert.equal(retry.status, "duplicate");
    assert.equal(chain.tip.hash, b.at(-1)!.hash());
    assert.deepEqual(await storedCommitment(store), modelCommitment([...base, ...b]));
  });

  it("refuses a store whose tip is not in its header index, instead of guessing", async () => {
    const store = new MemoryChainStateStore();
    await (await ChainState.open({ params: regtest, store })).close();
    const broken: ChainStateStore = Object.create(store);
    broken.load = async () => ({
      headers: (await store.load()).headers,
      tip: { hash: "aa".repeat(32), height: 3 },
    });
    await assert.rejects(
      ChainState.open({ params: regtest, store: broken }),
      ChainStateCorruptError,
    );
  });

  it("refuses a store of another network", async () => {
    const store = new MemoryChainStateStore();
    await ChainState.open({ params: regtest, store });
    const { devnet } = await import("../../src/index.ts");
    await assert.rejects(ChainState.open({ params: devnet, store }), ChainStateCorruptError);
  });

  it("a closed chain state refuses further work", async () => {
    const chain = await ChainState.open({ params: regtest, store: new MemoryChainStateStore() });
    await chain.close();
    await assert.rejects(chain.flush(), { name: "ChainStateClosedError" });
  });
});

describe("assumevalid", () => {
  function countingRunner(): { runner: ScriptJobRunner; txids: Set<string> } {
    const inline = createInlineScriptJobRunner();
    const txids = new Set<string>();
    return {
      txids,
      runner: {
        run(jobs, options) {
          for (const job of jobs) txids.add(job.tx.txid());
          return inline.run(jobs, options);
        },
      },
    };
  }

  /** 110 blocks with ALICE's coinbases at 1..5, then five blocks each spending one of them. */
  function chainWithSpends(): { blocks: Block[]; spends: string[] } {
    const blocks: Block[] = [];
    let tip = GENESIS;
    for (let h = 1; h <= 110; h++) {
      const outputs = h <= 5 ? [{ value: 50_0000_0000n, scriptPubKey: ALICE.script }] : undefined;
      const block = blockOn(tip, [], outputs ? { coinbaseOutputs: outputs } : {});
      blocks.push(block);
      tip = pointOf(block, h);
    }
    const spends: string[] = [];
    for (let i = 0; i < 5; i++) {
      const tx = spendP2pkh({ txid: blocks[i]!.transactions[0]!.txid(), index: 0 }, ALICE, [
        { value: 49_0000_0000n },
      ]);
      spends.push(tx.txid());
      const block = blockOn(tip, [tx]);
      blocks.push(block);
      tip = pointOf(block, tip.height + 1);
    }
    return { blocks, spends };
  }

  it("skips script checks of the assumed-valid block and its ancestors only", async () => {
    const { blocks, spends } = chainWithSpends();
    const { runner, txids } = countingRunner();
    const chain = await ChainState.open(
      { params: regtest, store: new MemoryChainStateStore(), scriptRunner: runner },
      { assumeValid: blocks[112]!.hash() },
    );
    // Headers first, as a syncing node gets them: the assumed block is on the best header chain.
    await chain.acceptHeaders(
      blocks.map((b) => b.header),
      { now: NOW },
    );
    await deliver(chain, blocks);
    assert.equal(chain.height, 115);
    assert.deepEqual([...txids], spends.slice(3));
  });

  it("checks every script when the assumed-valid block is not on the best header chain", async () => {
    const { blocks, spends } = chainWithSpends();
    const { runner, txids } = countingRunner();
    const chain = await ChainState.open(
      { params: regtest, store: new MemoryChainStateStore(), scriptRunner: runner },
      { assumeValid: "12".repeat(32) },
    );
    await deliver(chain, blocks);
    assert.deepEqual([...txids], spends);
  });
});

describe("the block index", () => {
  it("ancestor lookups with skip pointers agree with walking parents", () => {
    const index = new BlockIndex();
    const blocks = emptyChain(GENESIS, 300);
    let entry = index.add(regtest.genesis.header, undefined, {
      hash: regtest.genesisHash,
      status: BlockStatus.VALID_HEADER,
    });
    const entries = [entry];
    for (const block of blocks) {
      entry = index.add(block.header, entry, { hash: block.hash(), status: 4 });
      entries.push(entry);
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), (a, b) => {
        const [high, low] = a >= b ? [a, b] : [b, a];
        return entries[high]!.ancestor(low) === entries[low];
      }),
    );
    assert.equal(entries[10]!.ancestor(11), undefined);
    assert.equal(index.bestHeader, entries[300]);
  });
});

describe("reads for the mempool", () => {
  it("getCoins answers as of the tip, in order", async () => {
    const blocks = emptyChain(GENESIS, 3);
    const chain = await ChainState.open({ params: regtest, store: new MemoryChainStateStore() });
    await deliver(chain, blocks);
    const coinbase = blocks[1]!.transactions[0]!;
    const coins = await chain.getCoins([
      { txid: "ab".repeat(32), index: 0 },
      { txid: coinbase.txid(), index: 0 },
    ]);
    assert.equal(coins[0], undefined);
    assert.deepEqual(coins[1], {
      value: coinbase.outputs[0]!.value,
      scriptPubKey: coinbase.outputs[0]!.scriptPubKey,
      height: 2,
      isCoinbase: true,
    });
    assert.equal(chain.medianTimePastAt(3), blocks[1]!.header.time);
    assert.throws(() => chain.medianTimePastAt(4), RangeError);
  });

  it("a mutated copy of a stored block is never connected in its place", async () => {
    const blocks = emptyChain(GENESIS, 2);
    const store = new MemoryChainStateStore();
    const chain = await ChainState.open({ params: regtest, store });
    await chain.processBlock(blocks[0]!, { now: NOW });
    // Block 2 is stored, but its connection fails to commit once.
    store.hooks = {
      beforeCommit: () => {
        store.hooks = {};
        throw new Error("transient");
      },
    };
    await assert.rejects(chain.processBlock(blocks[1]!, { now: NOW }), /transient/);
    assert.equal(chain.height, 1);
    // A copy with the same header but other transactions arrives: it is a duplicate by hash, and
    // the activation it triggers connects the stored block, not the copy.
    const { Block } = await import("../../src/index.ts");
    const copy = new Block(blocks[1]!.header, [
      ...blocks[1]!.transactions,
      coinbaseTx(2, { tag: 99, coinbaseOutputs: [{ value: 7n }] }),
    ]);
    assert.equal((await chain.processBlock(copy, { now: NOW })).status, "duplicate");
    assert.equal(chain.height, 2);
    assert.equal(chain.isKnownInvalid(blocks[1]!.hash()), false);
    assert.ok((await chain.verify({ level: "full" })).ok);
  });
});
