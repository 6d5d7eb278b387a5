import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type Block, equalBytes } from "@starling/chain";
import {
  ChainStore,
  type ChainStoreOptions,
  type HeaderRecord,
  HeaderStatus,
  type KeyRange,
  type KvStore,
  MemoryStore,
  RocksDbStore,
  type WriteBatch,
  type WriteOptions,
} from "../../src/index.ts";
import { at, coin, makeBlock, NETWORK, outpoint, p2pkh, txidOf, withTempDir } from "../helpers.ts";

/** A KvStore wrapper whose writes fail from the `failAt`-th on (0-based), as a full disk would. */
class FailingStore implements KvStore {
  readonly inner: KvStore;
  writes = 0;
  failAt = Number.POSITIVE_INFINITY;

  constructor(inner: KvStore) {
    this.inner = inner;
  }
  get closed(): boolean {
    return this.inner.closed;
  }
  get(key: Uint8Array) {
    return this.inner.get(key);
  }
  getMany(keys: readonly Uint8Array[]) {
    return this.inner.getMany(keys);
  }
  batch(): WriteBatch {
    return this.inner.batch();
  }
  async write(batch: WriteBatch, options?: WriteOptions) {
    if (this.writes++ >= this.failAt) {
      batch.discard();
      throw new Error("injected write failure");
    }
    return this.inner.write(batch, options);
  }
  iterate(range: KeyRange) {
    return this.inner.iterate(range);
  }
  close() {
    return this.inner.close();
  }
}

function headerRecord(
  block: Block,
  height: number,
  status: number = HeaderStatus.VALID_HEADER,
): HeaderRecord {
  return {
    header: block.header.toBytes(),
    height,
    chainWork: BigInt(height + 1) * 2n,
    status: status | HeaderStatus.HAVE_DATA,
    txCount: block.transactions.length,
  };
}

/** Connects `block` at `height` the way the chain layer will: coins, undo, main chain, indexes. */
function connect(chain: ChainStore, block: Block, height: number): void {
  const spent = [];
  for (const tx of block.transactions) {
    if (!tx.isCoinbase()) {
      for (const input of tx.inputs) {
        const c = chain.coins.spendCoin(input.prevTxid, input.prevIndex);
        assert.ok(c, `input ${input.prevTxid}:${input.prevIndex} is unspent`);
        spent.push(c);
      }
    }
    tx.outputs.forEach((out, index) => {
      chain.coins.addCoin(tx.txid(), index, {
        value: out.value,
        scriptPubKey: out.scriptPubKey,
        height,
        isCoinbase: tx.isCoinbase(),
      });
    });
  }
  chain.staged.putUndo(block.hash(), spent);
  chain.staged.setMainChain(height, block.hash());
  chain.indexBlock(block, height);
}

async function withRocksChain(
  fn: (open: (options?: Partial<ChainStoreOptions>) => Promise<ChainStore>) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    const path = join(dir, "chainstate");
    await fn(async (options = {}) =>
      ChainStore.open(await RocksDbStore.open(path), { ...NETWORK, ...options }),
    );
  });
}

describe("ChainStore", () => {
  it("stores blocks with their header entries and reads them back", async () => {
    await withRocksChain(async (open) => {
      const chain = await open();
      const genesis = makeBlock(0, "00".repeat(32));
      const next = makeBlock(1, genesis.hash());
      await chain.storeBlock(genesis, headerRecord(genesis, 0));
      await chain.storeBlock(next, headerRecord(next, 1));
      await chain.close();

      const again = await open();
      assert.equal(await again.hasBlock(genesis.hash()), true);
      assert.equal(await again.hasBlock(txidOf("none")), false);
      const block = await again.getBlock(next.hash());
      assert.ok(block);
      assert.equal(block.hash(), next.hash());
      assert.ok(equalBytes((await again.getBlockBytes(next.hash()))!, next.toBytes()));
      const [h0, missing, h1] = await again.getHeaders([
        genesis.hash(),
        txidOf("none"),
        next.hash(),
      ]);
      assert.deepEqual(h0, headerRecord(genesis, 0));
      assert.equal(missing, undefined);
      assert.equal(h1?.height, 1);
      const all = new Map<string, HeaderRecord>();
      for await (const [hash, record] of again.headers()) all.set(hash, record);
      assert.deepEqual([...all.keys()].sort(), [genesis.hash(), next.hash()].sort());
      await again.close();
    });
  });

  it("commits coins, undo data, main chain, indexes and tip in one batch that survives a reopen", async () => {
    await withRocksChain(async (open) => {
      const chain = await open({ txIndex: true, addressIndex: true });
      const genesis = makeBlock(0, "00".repeat(32));
      await chain.storeBlock(genesis, headerRecord(genesis, 0));
      connect(chain, genesis, 0);
      const r0 = await chain.commit({ hash: genesis.hash(), height: 0 });
      assert.equal(r0.batches, 1);

      const cbOut = { txid: genesis.transactions[0]!.txid(), index: 0 };
      const b1 = makeBlock(1, genesis.hash(), [cbOut]);
      await chain.storeBlock(b1, headerRecord(b1, 1));
      await chain.coins.prefetch([cbOut]);
      connect(chain, b1, 1);
      // Staged, not yet committed, but readable.
      assert.deepEqual((await chain.getUndo(b1.hash()))?.length, 1);
      assert.equal(await chain.getMainChainHash(1), b1.hash());
      const result = await chain.commit({ hash: b1.hash(), height: 1 });
      assert.equal(result.batches, 1);
      assert.ok(result.coins >= 4, `coins written: ${result.coins}`);
      await chain.close();

      const again = await open({ txIndex: true, addressIndex: true });
      assert.deepEqual(again.tip, { hash: b1.hash(), height: 1 });
      assert.equal(again.recovery, undefined);
      assert.equal(await again.getMainChainHash(0), genesis.hash());
      assert.equal(await again.getMainChainHash(1), b1.hash());
      const undo = await again.getUndo(b1.hash());
      assert.deepEqual(undo, [
        { value: 50_0000_0000n, scriptPubKey: p2pkh(0), height: 0, isCoinbase: true },
      ]);
      assert.equal(await again.committedCoin(cbOut), undefined, "spent coin deleted");
      const spender = b1.transactions[1]!;
      assert.deepEqual(await again.committedCoin({ txid: spender.txid(), index: 1 }), {
        value: 2000n,
        scriptPubKey: p2pkh(1),
        height: 1,
        isCoinbase: false,
      });
      const found = await again.getTransaction(spender.txid());
      assert.equal(found?.tx.txid(), spender.txid());
      assert.equal(found?.location.blockHash, b1.hash());
      const outputs = await again.addressOutputs(p2pkh(1));
      assert.deepEqual(
        outputs.map((o) => `${o.txid}:${o.index}:${o.height}:${o.value}`).sort(),
        [`${b1.transactions[0]!.txid()}:0:1:5000000000`, `${spender.txid()}:1:1:2000`].sort(),
      );
      let count = 0;
      for await (const _ of again.committedCoins()) count++;
      assert.equal(
        count,
        3,
        "b1's coinbase and the spender's two outputs; genesis's output is spent",
      );
      await again.close();
    });
  });

  it("drops staged writes and dirty coins that were never committed", async () => {
    await withRocksChain(async (open) => {
      const chain = await open();
      chain.coins.addCoin(...at(1), coin(1));
      chain.staged.setMainChain(0, txidOf("b0"));
      await chain.close();
      const again = await open();
      assert.equal(again.tip, undefined);
      assert.equal(await again.getMainChainHash(0), undefined);
      assert.equal(await again.committedCoin(outpoint(1)), undefined);
      await again.close();
    });
  });

  it("unindexes a disconnected block, and a staged delete hides the committed entry", async () => {
    const chain = await ChainStore.open(new MemoryStore(), {
      ...NETWORK,
      txIndex: true,
      addressIndex: true,
    });
    const genesis = makeBlock(0, "00".repeat(32));
    await chain.storeBlock(genesis, headerRecord(genesis, 0));
    connect(chain, genesis, 0);
    await chain.commit({ hash: genesis.hash(), height: 0 });
    const txid = genesis.transactions[0]!.txid();
    assert.ok(await chain.getTransaction(txid));
    chain.unindexBlock(genesis);
    chain.staged.unsetMainChain(0);
    assert.equal(await chain.getTransaction(txid), undefined);
    assert.deepEqual(await chain.addressOutputs(p2pkh(0)), []);
    assert.equal(await chain.getMainChainHash(0), undefined);
    assert.equal(chain.stagedSize.operations, 3);
  });

  it("keeps a staged record equal to a later immediate write of the same key", async () => {
    const chain = await ChainStore.open(new MemoryStore(), NETWORK);
    const block = makeBlock(0, "00".repeat(32));
    chain.staged.putHeader(headerRecord(block, 0, HeaderStatus.VALID_SCRIPTS));
    await chain.write((w) => w.putHeader(headerRecord(block, 0, HeaderStatus.FAILED)));
    await chain.commit({ hash: block.hash(), height: 0 });
    assert.equal(((await chain.getHeader(block.hash()))!.status & HeaderStatus.FAILED) !== 0, true);
  });

  it("leaves the store untouched when the commit's write fails, and can retry", async () => {
    const inner = new MemoryStore();
    const failing = new FailingStore(inner);
    const chain = await ChainStore.open(failing, NETWORK);
    const genesis = makeBlock(0, "00".repeat(32));
    await chain.storeBlock(genesis, headerRecord(genesis, 0));
    connect(chain, genesis, 0);
    const sizeBefore = inner.size;
    failing.failAt = failing.writes;
    await assert.rejects(chain.commit({ hash: genesis.hash(), height: 0 }), /injected/);
    assert.equal(inner.size, sizeBefore, "nothing of the failed batch is visible");
    assert.equal(chain.tip, undefined);
    failing.failAt = Number.POSITIVE_INFINITY;
    await chain.commit({ hash: genesis.hash(), height: 0 });
    const reopened = await ChainStore.open(inner, NETWORK);
    assert.deepEqual(reopened.tip, { hash: genesis.hash(), height: 0 });
    assert.equal(await reopened.getMainChainHash(0), genesis.hash());
  });

  it("refuses a batch limit too small for the marker protocol, writing nothing", async () => {
    const store = new MemoryStore();
    await assert.rejects(ChainStore.open(store, { ...NETWORK, maxBatchOps: 1 }), RangeError);
    assert.equal(store.size, 0);
  });

  it("splits a large commit into bounded batches behind the torn-state marker", async () => {
    const inner = new MemoryStore();
    const failing = new FailingStore(inner);
    const options = { ...NETWORK, maxBatchOps: 10 };
    const chain = await ChainStore.open(failing, options);
    const genesis = makeBlock(0, "00".repeat(32));
    await chain.storeBlock(genesis, headerRecord(genesis, 0));
    connect(chain, genesis, 0);
    await chain.commit({ hash: genesis.hash(), height: 0 });

    const b1 = makeBlock(1, genesis.hash());
    await chain.storeBlock(b1, headerRecord(b1, 1));
    connect(chain, b1, 1);
    for (let i = 0; i < 35; i++) chain.coins.addCoin(...at(i), coin(i, 1));
    // Interrupted after the marker and one chunk, as a crash would leave it.
    failing.failAt = failing.writes + 2;
    await assert.rejects(chain.commit({ hash: b1.hash(), height: 1 }));
    const torn = await ChainStore.open(inner, options);
    assert.deepEqual(torn.recovery, {
      kind: "torn-flush",
      from: { hash: genesis.hash(), height: 0 },
      to: { hash: b1.hash(), height: 1 },
    });
    assert.deepEqual(torn.tip, { hash: genesis.hash(), height: 0 });

    // The retry completes the flush and clears the marker.
    failing.failAt = Number.POSITIVE_INFINITY;
    const result = await chain.commit({ hash: b1.hash(), height: 1 });
    assert.ok(result.batches >= 5, `batches: ${result.batches}`);
    const done = await ChainStore.open(inner, options);
    assert.equal(done.recovery, undefined);
    assert.deepEqual(done.tip, { hash: b1.hash(), height: 1 });
    for (let i = 0; i < 35; i++)
      assert.deepEqual(await done.committedCoin(outpoint(i)), coin(i, 1));
  });
});
