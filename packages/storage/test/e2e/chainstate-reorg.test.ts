/**
 * Reorganisations of depth 10 and 100 on RocksDB in a temp directory: the chain state machine of
 * @starling/chain over `KvChainStateStore`, with spends and double spends on both forks. After every
 * switch the stored UTXO set equals one rebuilt from scratch along the winning chain; after a
 * reopen, the same; and `verify({ level: "full" })` agrees.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type Block, ChainState, regtest } from "@starling/chain";
import {
  forkScenario,
  modelCommitment,
  NOW,
  replayModel,
  storedCommitment,
  storedSet,
} from "@starling/chain/testing";
import { KvChainStateStore, RocksDbStore } from "../../src/index.ts";
import { withTempDir } from "../helpers.ts";

async function open(path: string): Promise<{ chain: ChainState; store: KvChainStateStore }> {
  const store = await KvChainStateStore.open(await RocksDbStore.open(path), {
    network: "regtest",
    genesisHash: regtest.genesisHash,
    flushEveryBlocks: 16,
    // A small cache so that flushes also evict, and reads go to RocksDB.
    utxoCacheBytes: 64 * 1024,
    txIndex: true,
  });
  return { chain: await ChainState.open({ params: regtest, store }), store };
}

async function deliver(chain: ChainState, blocks: readonly Block[]): Promise<void> {
  for (const block of blocks) await chain.processBlock(block, { now: NOW });
}

async function assertState(
  chain: ChainState,
  store: KvChainStateStore,
  winning: readonly Block[],
  context: string,
): Promise<void> {
  assert.equal(chain.tip.hash, winning.at(-1)!.hash(), `${context}: tip`);
  assert.deepEqual(await storedSet(store), replayModel(winning), `${context}: UTXO set`);
  assert.deepEqual(
    await storedCommitment(store),
    modelCommitment(winning),
    `${context}: commitment`,
  );
  assert.equal(store.chainStore.tip?.hash, chain.tip.hash, `${context}: committed tip`);
}

for (const depth of [10, 100]) {
  describe(`RocksDB: a reorganisation of depth ${depth}`, { timeout: 120_000 }, () => {
    it("A → B → A, each state equal to a rebuild along the winner, before and after a reopen", async () => {
      const { base, a, b, aExtension } = forkScenario(depth);
      await withTempDir(async (dir) => {
        const path = join(dir, "chainstate");
        let { chain, store } = await open(path);
        await deliver(chain, [...base, ...a]);
        await assertState(chain, store, [...base, ...a], "on A");

        await deliver(chain, b);
        await assertState(chain, store, [...base, ...b], "on B");
        await chain.close();

        ({ chain, store } = await open(path));
        await assertState(chain, store, [...base, ...b], "on B, reopened");
        await deliver(chain, aExtension);
        await assertState(chain, store, [...base, ...a, ...aExtension], "back on A");
        const report = await chain.verify({ level: "full" });
        assert.deepEqual(report.problems, []);
        await chain.close();

        ({ chain, store } = await open(path));
        await assertState(chain, store, [...base, ...a, ...aExtension], "back on A, reopened");
        await chain.close();
      });
    });
  });
}
