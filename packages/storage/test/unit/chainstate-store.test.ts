/**
 * The chain state machine of @starling/chain over `KvChainStateStore` on the in-memory KvStore:
 * the flush policy, restarts that lose what was not committed, a torn split commit at every
 * possible point (replayed at open), and reindex.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Block, BlockStatus, ChainState, regtest } from "@starling/chain";
import {
  emptyChain,
  forkScenario,
  GENESIS,
  modelCommitment,
  NOW,
  replayModel,
  storedCommitment,
  storedSet,
} from "@starling/chain/testing";
import {
  HeaderStatus,
  type KeyRange,
  KvChainStateStore,
  type KvChainStateStoreOptions,
  type KvStore,
  MemoryStore,
  type WriteBatch,
  type WriteOptions,
} from "../../src/index.ts";

const NETWORK = { network: "regtest", genesisHash: regtest.genesisHash };

/** A KvStore that dies (every later write fails, nothing of the failing batch applied) on cue. */
class CrashingKv implements KvStore {
  readonly inner: MemoryStore;
  writes = 0;
  /** Writes allowed before the crash. */
  writesLeft = Number.POSITIVE_INFINITY;
  private dead = false;

  constructor(inner: MemoryStore) {
    this.inner = inner;
  }

  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.inner.get(key);
  }

  getMany(keys: readonly Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    return this.inner.getMany(keys);
  }

  batch(): WriteBatch {
    return this.inner.batch();
  }

  async write(batch: WriteBatch, _options?: WriteOptions): Promise<void> {
    if (this.dead || this.writesLeft-- <= 0) {
      this.dead = true;
      batch.discard();
      throw new Error("process killed");
    }
    this.writes++;
    await this.inner.write(batch);
  }

  iterate(range: KeyRange): AsyncIterable<[Uint8Array, Uint8Array]> {
    return this.inner.iterate(range);
  }

  async close(): Promise<void> {}

  get closed(): boolean {
    return false;
  }
}

async function cloneStore(source: MemoryStore): Promise<MemoryStore> {
  const copy = new MemoryStore();
  const batch = copy.batch();
  for await (const [key, value] of source.iterate({})) batch.put(key, value);
  await copy.write(batch);
  return copy;
}

async function openChain(
  kv: KvStore,
  options: Partial<KvChainStateStoreOptions> = {},
): Promise<{ chain: ChainState; store: KvChainStateStore }> {
  const store = await KvChainStateStore.open(kv, { ...NETWORK, sync: false, ...options });
  return { chain: await ChainState.open({ params: regtest, store }), store };
}

async function deliver(chain: ChainState, blocks: readonly Block[]): Promise<void> {
  for (const block of blocks) await chain.processBlock(block, { now: NOW });
}

describe("KvChainStateStore", () => {
  it("stores the chain's status bits as they are", () => {
    assert.deepEqual({ ...HeaderStatus }, { ...BlockStatus });
  });

  it("commits every flushEveryBlocks blocks; a restart reconnects what was not committed", async () => {
    const kv = new MemoryStore();
    const blocks = emptyChain(GENESIS, 12);
    const { chain, store } = await openChain(kv, { flushEveryBlocks: 5 });
    await deliver(chain, blocks);
    // The genesis and blocks 1..4 were committed together, then 5..9; 10..12 are pending.
    assert.equal(store.chainStore.tip?.height, 9);
    assert.equal(store.pendingBlocks, 3);
    assert.equal(chain.height, 12);

    // A crash: the first store is dropped without flushing. The blocks are on disk all the same.
    const restarted = await openChain(kv, { flushEveryBlocks: 5 });
    assert.equal(restarted.store.chainStore.tip?.height, 9);
    assert.equal(restarted.chain.tip.hash, blocks.at(-1)!.hash());
    assert.deepEqual(await storedSet(restarted.store), replayModel(blocks));
    await restarted.store.close();
    assert.equal(restarted.store.pendingBlocks, 0);
  });

  it("a reorganisation on the cache and staged records, committed later, equals the model", async () => {
    const { base, a, b, aExtension } = forkScenario(10);
    const kv = new MemoryStore();
    const { chain, store } = await openChain(kv, { flushEveryBlocks: 7, txIndex: true });
    await deliver(chain, [...base, ...a]);
    await deliver(chain, b);
    assert.deepEqual(await storedSet(store), replayModel([...base, ...b]));
    const someTx = b[3]!.transactions[1]!.txid();
    assert.equal((await store.chainStore.getTransaction(someTx))?.location.blockHash, b[3]!.hash());
    await deliver(chain, aExtension);
    assert.deepEqual(
      await storedCommitment(store),
      modelCommitment([...base, ...a, ...aExtension]),
    );
    assert.equal(await store.chainStore.getTxLocation(someTx), undefined, "B's txindex undone");
    const report = await chain.verify({ level: "full" });
    assert.deepEqual(report.problems, []);
  });

  it("reindex rebuilds the same chainstate from the stored blocks", async () => {
    const { base, a, b } = forkScenario(3);
    const kv = new MemoryStore();
    const { chain, store } = await openChain(kv, { flushEveryBlocks: 4 });
    await deliver(chain, [...base, ...a, ...b]);
    const before = await chain.verify({ level: "full" });
    assert.ok(before.ok);
    await chain.reindex();
    const after = await chain.verify({ level: "full" });
    assert.deepEqual(after.problems, []);
    assert.deepEqual(after.commitment, before.commitment);
    assert.equal(store.chainStore.tip?.hash, b.at(-1)!.hash());
    // And the reindexed store opens again as it is.
    const reopened = await openChain(kv);
    assert.equal(reopened.chain.tip.hash, b.at(-1)!.hash());
  });

  it("a split commit torn at any point is replayed at open (even across a reorganisation)", async (t) => {
    const { base, a, b } = forkScenario(4);
    const options = { flushEveryBlocks: 10_000, maxBatchOps: 5 };
    // On disk: base + A, committed.
    const snapshotKv = new MemoryStore();
    const first = await openChain(snapshotKv, options);
    await deliver(first.chain, [...base, ...a]);
    await first.chain.flush();
    const aTip = first.chain.tip;

    // How many writes the commit of the reorganisation to B takes, when nothing dies.
    const probe = new CrashingKv(await cloneStore(snapshotKv));
    const probed = await openChain(probe, options);
    await deliver(probed.chain, b);
    const writesBefore = probe.writes;
    await probed.chain.flush();
    const flushWrites = probe.writes - writesBefore;
    assert.ok(flushWrites >= 5, `the commit is split (${flushWrites} batches)`);

    const expected = modelCommitment([...base, ...b]);
    let repaired = 0;
    for (let k = 0; k < flushWrites; k++) {
      const kv = new CrashingKv(await cloneStore(snapshotKv));
      const { chain } = await openChain(kv, options);
      await deliver(chain, b);
      kv.writesLeft = k;
      await assert.rejects(chain.flush(), /process killed/);

      // Restart on what reached the "disk".
      const restarted = await openChain(kv.inner, options);
      const torn = restarted.store.repaired;
      if (k === 0) assert.equal(torn, undefined, "the marker was not written");
      else {
        repaired++;
        assert.deepEqual(torn, { from: { hash: aTip.hash, height: aTip.height }, to: torn?.to });
        assert.equal(torn?.to.hash, b.at(-1)!.hash());
      }
      assert.equal(restarted.chain.tip.hash, b.at(-1)!.hash(), `crash after ${k} writes`);
      assert.deepEqual(
        await storedCommitment(restarted.store),
        expected,
        `crash after ${k} writes`,
      );
      const report = await restarted.chain.verify({ level: "full" });
      assert.deepEqual(report.problems, [], `crash after ${k} writes`);
    }
    assert.equal(repaired, flushWrites - 1);
    t.diagnostic(`a crash after each of the ${flushWrites} writes of the commit, each replayed`);
  });
});
