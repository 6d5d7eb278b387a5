import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { toHex } from "@starling/chain";
import {
  DatabaseClosedError,
  isEmpty,
  type KvStore,
  MemoryStore,
  prefixRange,
  RocksDbStore,
} from "../../src/index.ts";
import { deferred, withTempDir } from "../helpers.ts";

const b = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
/** Bytes as a plain array: RocksDB hands out Buffers, the memory store Uint8Arrays. */
const arr = (v: Uint8Array | undefined): number[] | undefined =>
  v === undefined ? undefined : [...v];

async function collect(it: AsyncIterable<[Uint8Array, Uint8Array]>): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of it) out.push(`${toHex(k)}=${toHex(v)}`);
  return out;
}

/** The KvStore contract, run against each implementation. */
function contract(
  name: string,
  open: () => Promise<{ store: KvStore; done: () => Promise<void> }>,
) {
  describe(`KvStore contract: ${name}`, () => {
    let store: KvStore;
    let done: () => Promise<void>;
    before(async () => {
      ({ store, done } = await open());
    });
    after(async () => {
      await done();
    });

    it("starts empty, then reads back what a batch wrote", async () => {
      assert.equal(await isEmpty(store), true);
      const batch = store.batch();
      batch.put(b(1, 1), b(10));
      batch.put(b(1, 2), b(20));
      batch.put(b(2), b(30));
      batch.put(b(1, 0xff), b(40));
      batch.put(b(0xff, 0xff), b(50));
      assert.equal(batch.length, 5);
      assert.equal(batch.byteLength, 2 + 1 + 2 + 1 + 1 + 1 + 2 + 1 + 2 + 1);
      await store.write(batch);
      assert.equal(await isEmpty(store), false);
      assert.deepEqual(arr(await store.get(b(1, 1))), [10]);
      assert.equal(await store.get(b(9)), undefined);
      const many = await store.getMany([b(2), b(9), b(1, 2)]);
      assert.deepEqual(
        many.map((v) => (v === undefined ? undefined : [...v])),
        [[30], undefined, [20]],
      );
      assert.deepEqual(await store.getMany([]), []);
    });

    it("applies a batch's operations in order, deletes included", async () => {
      const batch = store.batch();
      batch.put(b(3), b(1));
      batch.put(b(3), b(2));
      batch.del(b(2));
      await store.write(batch);
      assert.deepEqual(arr(await store.get(b(3))), [2]);
      assert.equal(await store.get(b(2)), undefined);
      const again = store.batch();
      again.put(b(2), b(30));
      again.del(b(3));
      await store.write(again);
    });

    it("iterates ranges in byte order, forwards, backwards, bounded", async () => {
      assert.deepEqual(await collect(store.iterate({})), [
        "0101=0a",
        "0102=14",
        "01ff=28",
        "02=1e",
        "ffff=32",
      ]);
      assert.deepEqual(await collect(store.iterate(prefixRange(b(1)))), [
        "0101=0a",
        "0102=14",
        "01ff=28",
      ]);
      assert.deepEqual(await collect(store.iterate({ gt: b(1, 1), lte: b(2) })), [
        "0102=14",
        "01ff=28",
        "02=1e",
      ]);
      assert.deepEqual(await collect(store.iterate({ reverse: true, limit: 2 })), [
        "ffff=32",
        "02=1e",
      ]);
      assert.deepEqual(await collect(store.iterate(prefixRange(b(0xff, 0xff)))), ["ffff=32"]);
      assert.deepEqual(await collect(store.iterate({ gte: b(5), lt: b(6) })), []);
    });

    it("returns values the caller may modify without changing the store", async () => {
      const v = await store.get(b(2));
      v!.fill(0);
      assert.deepEqual(arr(await store.get(b(2))), [30]);
    });

    it("discards a batch without writing it", async () => {
      const batch = store.batch();
      batch.put(b(7), b(7));
      batch.discard();
      assert.equal(await store.get(b(7)), undefined);
    });

    it("refuses every operation after close", async () => {
      await store.close();
      assert.equal(store.closed, true);
      await assert.rejects(store.get(b(1)), DatabaseClosedError);
      assert.throws(() => store.batch(), DatabaseClosedError);
      await assert.rejects(async () => {
        for await (const _ of store.iterate({})) break;
      }, DatabaseClosedError);
    });
  });
}

contract("MemoryStore", async () => ({ store: new MemoryStore(), done: async () => {} }));

contract("RocksDbStore", async () => {
  const { promise: released, resolve: release } = deferred<void>();
  const { promise: opened, resolve: ready } = deferred<RocksDbStore>();
  const finished = withTempDir(async (dir) => {
    ready(await RocksDbStore.open(join(dir, "db")));
    await released;
  });
  const store = await opened;
  return {
    store,
    done: async () => {
      await store.close();
      release();
      await finished;
    },
  };
});

describe("RocksDbStore persistence", () => {
  it("keeps written data across close and reopen", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "db");
      const store = await RocksDbStore.open(path, { cacheSize: 8 << 20 });
      const batch = store.batch();
      for (let i = 0; i < 3000; i++) batch.put(b(1, i >> 8, i & 0xff), b(i & 0xff));
      await store.write(batch, { sync: true });
      await store.close();
      const again = await RocksDbStore.open(path);
      let n = 0;
      for await (const [k, v] of again.iterate(prefixRange(b(1)))) {
        assert.equal(v[0], k[2]);
        n++;
      }
      assert.equal(n, 3000);
      assert.match(again.property("rocksdb.estimate-num-keys"), /^\d+$/);
      await again.close();
    });
  });
});
