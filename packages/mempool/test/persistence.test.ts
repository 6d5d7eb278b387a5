import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DecodeError } from "@starling/chain";
import fc from "fast-check";
import { decodeSnapshot, encodeSnapshot, MEMPOOL_FILE_MAGIC } from "../src/index.ts";
import { createFixture, spend, spendChain } from "./helpers/fixture.ts";

describe("persistence", () => {
  it("saves and reloads transactions with their entry times and fee deltas", async () => {
    const f = createFixture();
    const [a, b] = spendChain(f.coins[0]!, 2);
    const c = spend({ inputs: [f.coins[1]!] });
    await f.mempool.submit(a!);
    f.clock.now += 100;
    await f.mempool.submit(b!);
    await f.mempool.submit(c);
    f.mempool.prioritise(c.txid(), 7_000n);
    f.mempool.prioritise("cd".repeat(32), -5n);
    const bytes = f.mempool.save();
    assert.deepEqual([...bytes.subarray(0, 4)], [...MEMPOOL_FILE_MAGIC]);

    f.clock.now += 3600;
    const reloaded = f.newMempool();
    const result = await reloaded.load(bytes);
    assert.deepEqual(result, { accepted: 3, failed: 0, expired: 0, alreadyPresent: 0 });
    assert.deepEqual(new Set(reloaded.txids()), new Set(f.mempool.txids()));
    for (const txid of f.mempool.txids()) {
      assert.equal(reloaded.getEntry(txid)!.time, f.mempool.getEntry(txid)!.time);
    }
    assert.equal(reloaded.getEntry(c.txid())!.fees.modified, 17_000n);
    assert.equal(reloaded.feeDelta("cd".repeat(32)), -5n);
    reloaded.check();
  });

  it("re-validates: a transaction whose input was spent meanwhile is dropped, with its child", async () => {
    const f = createFixture();
    const [a, b] = spendChain(f.coins[0]!, 2);
    const c = spend({ inputs: [f.coins[1]!] });
    for (const tx of [a!, b!, c]) await f.mempool.submit(tx);
    const bytes = f.mempool.save();
    f.chain.mineAndConnect([spend({ inputs: [f.coins[0]!], fee: 40_000n })]);
    const reloaded = f.newMempool();
    const result = await reloaded.load(bytes);
    assert.deepEqual(result, { accepted: 1, failed: 2, expired: 0, alreadyPresent: 0 });
    assert.deepEqual(reloaded.txids(), [c.txid()]);
  });

  it("skips transactions past the expiry and counts those already present", async () => {
    const f = createFixture();
    const old = spend({ inputs: [f.coins[0]!] });
    await f.mempool.submit(old);
    f.clock.now += 10 * 24 * 3600;
    const recent = spend({ inputs: [f.coins[1]!] });
    await f.mempool.submit(recent);
    const bytes = f.mempool.save();
    f.clock.now += 5 * 24 * 3600;
    const reloaded = f.newMempool();
    await reloaded.submit(recent);
    assert.deepEqual(await reloaded.load(bytes), {
      accepted: 0,
      failed: 0,
      expired: 1,
      alreadyPresent: 1,
    });
  });

  it("refuses bytes that are not a saved mempool", () => {
    assert.throws(() => decodeSnapshot(Uint8Array.of(1, 2, 3, 4, 1, 0, 0, 0, 0, 0)), DecodeError);
    const empty = encodeSnapshot({ transactions: [], deltas: new Map() });
    const wrongVersion = empty.slice();
    wrongVersion[4] = 2;
    assert.throws(() => decodeSnapshot(wrongVersion), /version 2/);
    assert.throws(() => decodeSnapshot(empty.subarray(0, empty.length - 1)), DecodeError);
    assert.throws(() => decodeSnapshot(Uint8Array.of(...empty, 0)), DecodeError);
  });

  it("round-trips any times and deltas (property)", () => {
    const f = createFixture({ coins: 3 });
    const txs = f.coins.map((coin) => spend({ inputs: [coin] }));
    const saved = fc.record({
      picks: fc.array(
        fc.record({
          index: fc.integer({ min: 0, max: txs.length - 1 }),
          time: fc.integer({ min: 0, max: 2 ** 40 }),
          feeDelta: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        }),
        { maxLength: 5 },
      ),
      deltas: fc.array(
        fc.tuple(
          fc.uint8Array({ minLength: 32, maxLength: 32 }),
          fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        ),
        { maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(saved, ({ picks, deltas }) => {
        const snapshot = {
          transactions: picks.map((p) => ({
            tx: txs[p.index]!,
            time: p.time,
            feeDelta: p.feeDelta,
          })),
          deltas: new Map(deltas.map(([h, d]) => [Buffer.from(h).toString("hex"), d])),
        };
        const decoded = decodeSnapshot(encodeSnapshot(snapshot));
        assert.deepEqual(
          decoded.transactions.map((t) => [t.tx.txid(), t.time, t.feeDelta]),
          snapshot.transactions.map((t) => [t.tx.txid(), t.time, t.feeDelta]),
        );
        assert.deepEqual(decoded.deltas, snapshot.deltas);
      }),
      { numRuns: 100 },
    );
  });

  it("writes the file atomically and reads it back; a missing file loads nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "starling-mempool-"));
    try {
      const f = createFixture();
      const tx = spend({ inputs: [f.coins[0]!] });
      await f.mempool.submit(tx);
      const path = join(dir, "mempool.dat");
      await writeFile(path, "old contents");
      await f.mempool.saveToFile(path);
      assert.deepEqual(await readdir(dir), ["mempool.dat"]);
      const reloaded = f.newMempool();
      assert.equal((await reloaded.loadFromFile(path)).accepted, 1);
      assert.ok(reloaded.has(tx.txid()));
      const missing = join(dir, "absent.dat");
      assert.deepEqual(await f.newMempool().loadFromFile(missing), {
        accepted: 0,
        failed: 0,
        expired: 0,
        alreadyPresent: 0,
      });
      assert.ok(!existsSync(missing));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("saves parents before children, even a parent put back by a reorganisation", async () => {
    const f = createFixture();
    const [a, b, c] = spendChain(f.coins[0]!, 3);
    await f.mempool.submit(a!);
    f.confirm([a!]);
    f.clock.now += 10;
    await f.mempool.submit(b!);
    await f.mempool.submit(c!);
    f.clock.now += 10;
    const { block, height } = f.chain.disconnect();
    f.mempool.blockDisconnected(block, height);
    await f.mempool.updateForReorg();
    assert.ok(f.mempool.getEntry(a!.txid())!.time > f.mempool.getEntry(b!.txid())!.time);
    const order = decodeSnapshot(f.mempool.save()).transactions.map((t) => t.tx.txid());
    assert.deepEqual(order, [a!.txid(), b!.txid(), c!.txid()]);
    const reloaded = f.newMempool();
    assert.equal((await reloaded.load(f.mempool.save())).accepted, 3);
  });
});
