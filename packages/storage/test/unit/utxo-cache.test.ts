import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { UtxoView } from "@starling/chain";
import fc from "fast-check";
import {
  type Coin,
  coinKey,
  decodeCoin,
  ENTRY_OVERHEAD_BYTES,
  type KeyRange,
  type KvStore,
  MemoryStore,
  type Outpoint,
  Prefix,
  prefixRange,
  RocksDbStore,
  UtxoCache,
  type WriteBatch,
} from "../../src/index.ts";
import { at, coin, deferred, outpoint, withTempDir } from "../helpers.ts";

/** A KvStore wrapper that counts reads and can hold getMany until released. */
class SpyStore implements KvStore {
  readonly inner: KvStore;
  getManyCalls = 0;
  hold: Promise<void> | undefined;

  constructor(inner: KvStore) {
    this.inner = inner;
  }
  get closed(): boolean {
    return this.inner.closed;
  }
  get(key: Uint8Array) {
    return this.inner.get(key);
  }
  async getMany(keys: readonly Uint8Array[]) {
    this.getManyCalls++;
    const hold = this.hold;
    const values = await this.inner.getMany(keys);
    if (hold) await hold;
    return values;
  }
  batch(): WriteBatch {
    return this.inner.batch();
  }
  write(batch: WriteBatch) {
    return this.inner.write(batch);
  }
  iterate(range: KeyRange) {
    return this.inner.iterate(range);
  }
  close() {
    return this.inner.close();
  }
}

async function flushTo(cache: UtxoCache, store: KvStore, evict = false): Promise<number> {
  const batch = store.batch();
  const pending = cache.flush(batch);
  await store.write(batch);
  pending.complete({ evict });
  return pending.writes;
}

async function storedCoins(store: KvStore): Promise<Map<string, Coin>> {
  const out = new Map<string, Coin>();
  for await (const [k, v] of store.iterate(prefixRange(Uint8Array.of(Prefix.COIN)))) {
    out.set(Buffer.from(k).toString("hex"), decodeCoin(v));
  }
  return out;
}

const keyOf = (op: Outpoint): string => Buffer.from(coinKey(op)).toString("hex");

describe("UtxoCache", () => {
  it("has the shape of the chain package's UtxoView, so consensus checks can read through it", () => {
    const cache = new UtxoCache(new MemoryStore());
    cache.addCoin(...at(1), coin(1));
    const view: UtxoView = cache;
    assert.deepEqual(view.getCoin(...at(1)), coin(1));
    assert.equal(view.getCoin(...at(1, 1)), undefined);
  });

  it("never writes a coin created and spent between two flushes", async () => {
    const store = new MemoryStore();
    const cache = new UtxoCache(store);
    cache.addCoin(...at(1), coin(1));
    cache.addCoin(...at(2), coin(2));
    assert.deepEqual(cache.spendCoin(...at(1)), coin(1));
    assert.equal(cache.size, 1);
    assert.equal(await flushTo(cache, store), 1);
    assert.deepEqual([...(await storedCoins(store)).keys()], [keyOf(outpoint(2))]);
    // Spent after it reached the store: now the spend must be written as a delete.
    cache.spendCoin(...at(2));
    assert.equal(await flushTo(cache, store), 1);
    assert.equal(store.size, 0);
  });

  it("keeps the same coins across a flush, a close and a reopen (RocksDB)", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "db");
      let store = await RocksDbStore.open(path);
      let cache = new UtxoCache(store);
      const expected = new Map<string, Coin>();
      for (let i = 0; i < 500; i++) {
        const op = outpoint(i, i % 3);
        const c = coin(i, i, i % 10 === 0);
        cache.addCoin(op.txid, op.index, c);
        expected.set(keyOf(op), c);
      }
      for (let i = 0; i < 500; i += 7) {
        cache.spendCoin(...at(i, i % 3));
        expected.delete(keyOf(outpoint(i, i % 3)));
      }
      await flushTo(cache, store);
      await store.close();

      store = await RocksDbStore.open(path);
      cache = new UtxoCache(store);
      assert.deepEqual(await storedCoins(store), expected);
      const ops = Array.from({ length: 500 }, (_, i) => outpoint(i, i % 3));
      assert.equal(await cache.prefetch(ops), expected.size);
      for (const op of ops)
        assert.deepEqual(cache.getCoin(op.txid, op.index), expected.get(keyOf(op)));
      await store.close();
    });
  });

  it("accounts its size and shrinks after a flush", async () => {
    const store = new MemoryStore();
    const cache = new UtxoCache(store, { maxBytes: 10 * (ENTRY_OVERHEAD_BYTES + 25) });
    for (let i = 0; i < 10; i++) cache.addCoin(...at(i), coin(i));
    assert.equal(cache.usage, 10 * (ENTRY_OVERHEAD_BYTES + 25));
    assert.equal(cache.isFull(), true);
    await flushTo(cache, store);
    for (let i = 0; i < 4; i++) cache.spendCoin(...at(i));
    // Spent coins shrink to their entry until the flush drops them.
    assert.equal(cache.usage, 10 * ENTRY_OVERHEAD_BYTES + 6 * 25);
    assert.equal(cache.isFull(), false);
    await flushTo(cache, store);
    assert.equal(cache.usage, 6 * (ENTRY_OVERHEAD_BYTES + 25));
    await flushTo(cache, store, true);
    assert.equal(cache.usage, 0);
    assert.equal(cache.size, 0);
  });

  it("answers hits synchronously and loads misses with one getMany", async () => {
    const inner = new MemoryStore();
    const seed = new UtxoCache(inner);
    for (let i = 0; i < 20; i++) seed.addCoin(...at(i), coin(i));
    await flushTo(seed, inner);

    const spy = new SpyStore(inner);
    const cache = new UtxoCache(spy);
    assert.equal(cache.getCoin(...at(3)), undefined, "not prefetched: not in the cache");
    const wanted = [outpoint(3), outpoint(4), outpoint(3), outpoint(99), outpoint(5)];
    assert.equal(await cache.prefetch(wanted), 3);
    assert.equal(spy.getManyCalls, 1);
    assert.deepEqual(cache.getCoin(...at(4)), coin(4));
    assert.equal(cache.getCoin(...at(99)), undefined);
    await cache.prefetch([outpoint(3), outpoint(4)]);
    assert.equal(spy.getManyCalls, 1, "hits do not read the store");
    assert.deepEqual(await cache.fetchCoin(...at(7)), coin(7));
    assert.equal(spy.getManyCalls, 2);
    assert.deepEqual(cache.stats, { hits: 1, reads: 5, found: 4 });
  });

  it("refuses to overwrite an unspent coin unless told it may", () => {
    const cache = new UtxoCache(new MemoryStore());
    cache.addCoin(...at(1), coin(1));
    assert.throws(() => cache.addCoin(...at(1), coin(2)), /already unspent/);
    cache.addCoin(...at(1), coin(2), true);
    assert.deepEqual(cache.getCoin(...at(1)), coin(2));
  });

  it("writes a delete for a spent coin that came from the store, and re-adds it as not fresh", async () => {
    const store = new MemoryStore();
    const seed = new UtxoCache(store);
    seed.addCoin(...at(1), coin(1));
    await flushTo(seed, store);

    const cache = new UtxoCache(store);
    await cache.prefetch([outpoint(1)]);
    assert.deepEqual(cache.spendCoin(...at(1)), coin(1));
    assert.equal(cache.spendCoin(...at(1)), undefined, "already spent");
    // Re-created before the spend was written: the store still has the old coin, so the new one
    // must not be FRESH (a spend of it must reach the store).
    cache.addCoin(...at(1), coin(5));
    cache.spendCoin(...at(1));
    assert.equal(await flushTo(cache, store), 1);
    assert.equal(store.size, 0);
  });

  it("leaves changes made between flush() and complete() dirty", async () => {
    const store = new MemoryStore();
    const cache = new UtxoCache(store);
    cache.addCoin(...at(1), coin(1));
    const batch = store.batch();
    const pending = cache.flush(batch);
    cache.spendCoin(...at(1)); // after the put went into the batch
    cache.addCoin(...at(2), coin(2));
    await store.write(batch);
    pending.complete();
    assert.equal(cache.dirtyCount, 2);
    assert.equal(await flushTo(cache, store), 2);
    assert.deepEqual([...(await storedCoins(store)).keys()], [keyOf(outpoint(2))]);
  });

  it("flushes in slices the same writes as one flush, giving the event loop turns between", async () => {
    const store = new MemoryStore();
    const cache = new UtxoCache(store);
    for (let i = 1; i <= 25; i++) cache.addCoin(...at(i), coin(i));
    const batch = store.batch();
    let turns = 0;
    const pending = await cache.flushInSlices(batch, 10, async () => {
      turns++;
    });
    assert.equal(turns, 2, "25 entries in slices of 10: two pauses");
    assert.equal(pending.writes, 25);
    await store.write(batch);
    pending.complete();
    assert.equal(cache.dirtyCount, 0);
    assert.equal((await storedCoins(store)).size, 25);
  });

  it("skips, and keeps dirty, entries changed while a sliced flush pauses", async () => {
    const store = new MemoryStore();
    const cache = new UtxoCache(store);
    for (let i = 1; i <= 4; i++) cache.addCoin(...at(i), coin(i));
    const batch = store.batch();
    const pending = await cache.flushInSlices(batch, 2, async () => {
      cache.spendCoin(...at(3)); // FRESH: dropped, must not reach the disk
      cache.spendCoin(...at(1)); // already written: now a delete for the next flush
    });
    assert.equal(pending.writes, 3, "1 and 2, then 4; the dropped 3 is skipped");
    await store.write(batch);
    pending.complete();
    const stored = await storedCoins(store);
    assert.deepEqual(
      [...stored.keys()].sort(),
      [keyOf(outpoint(1)), keyOf(outpoint(2)), keyOf(outpoint(4))].sort(),
      "the batch holds 1 as it was when the flush began, not its later spend",
    );
    assert.equal(await flushTo(cache, store), 1, "the spend of 1, kept dirty");
    assert.deepEqual(
      [...(await storedCoins(store)).keys()].sort(),
      [keyOf(outpoint(2)), keyOf(outpoint(4))].sort(),
    );
  });

  it("keeps entries dirty when the write fails, and writes them with the next flush", async () => {
    const store = new MemoryStore();
    const cache = new UtxoCache(store);
    cache.addCoin(...at(1), coin(1));
    const lost = store.batch();
    cache.flush(lost); // never written, never completed
    lost.discard();
    assert.equal(cache.dirtyCount, 1);
    cache.spendCoin(...at(1)); // no longer FRESH: the lost batch might have reached the disk
    assert.equal(await flushTo(cache, store), 1);
    assert.equal(store.size, 0);
  });

  it("does not bring back a coin spent and flushed while an older read was in flight", async () => {
    const inner = new MemoryStore();
    const seed = new UtxoCache(inner);
    seed.addCoin(...at(1), coin(1));
    await flushTo(seed, inner);

    const spy = new SpyStore(inner);
    const cache = new UtxoCache(spy);
    const { promise: hold, resolve: release } = deferred<void>();
    spy.hold = hold;
    const slow = cache.prefetch([outpoint(1)]); // reads the coin, then waits
    spy.hold = undefined;
    await cache.prefetch([outpoint(1)]);
    cache.spendCoin(...at(1));
    await flushTo(cache, inner);
    release();
    await slow;
    assert.equal(cache.getCoin(...at(1)), undefined);
    assert.equal(inner.size, 0);
  });

  it("matches a model map through random operations and flushes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant("add" as const), n: fc.integer({ min: 0, max: 30 }) }),
            fc.record({ kind: fc.constant("spend" as const), n: fc.integer({ min: 0, max: 30 }) }),
            fc.record({ kind: fc.constant("flush" as const), evict: fc.boolean() }),
          ),
          { maxLength: 60 },
        ),
        async (ops) => {
          const store = new MemoryStore();
          const cache = new UtxoCache(store);
          const model = new Map<string, Coin>();
          for (const op of ops) {
            if (op.kind === "add") {
              const o = outpoint(op.n);
              if (model.has(keyOf(o))) continue;
              await cache.prefetch([o]);
              cache.addCoin(o.txid, o.index, coin(op.n));
              model.set(keyOf(o), coin(op.n));
            } else if (op.kind === "spend") {
              const o = outpoint(op.n);
              await cache.prefetch([o]);
              assert.deepEqual(cache.spendCoin(o.txid, o.index), model.get(keyOf(o)));
              model.delete(keyOf(o));
            } else {
              await flushTo(cache, store, op.evict);
              assert.deepEqual(await storedCoins(store), model);
              assert.equal(cache.dirtyCount, 0);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
