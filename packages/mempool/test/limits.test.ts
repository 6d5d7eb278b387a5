import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MempoolReason } from "../src/index.ts";
import { refused } from "./helpers/assertions.ts";
import { alice, createFixture, output, payments, spend, spendChain } from "./helpers/fixture.ts";

describe("ancestor and descendant limits", () => {
  it("25 descendants per transaction (itself included)", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    const parent = spend({
      inputs: [coin],
      outputs: payments(alice, 25, (coin.value - 50_000n) / 25n),
    });
    await f.mempool.submit(parent);
    for (let i = 0; i < 24; i++) await f.mempool.submit(spend({ inputs: [output(parent, i)] }));
    assert.equal(f.mempool.getEntry(parent.txid())!.descendantcount, 25);
    const error = await refused(
      f.mempool.submit(spend({ inputs: [output(parent, 24)] })),
      MempoolReason.TOO_LONG_MEMPOOL_CHAIN,
      true,
    );
    assert.match(error.message, /too many descendants/);
    f.mempool.check();
  });

  it("25 unconfirmed parents at most", async () => {
    const f = createFixture();
    const parents = f.coins.slice(0, 25).map((coin) => spend({ inputs: [coin] }));
    for (const tx of parents) await f.mempool.submit(tx);
    const all = spend({ inputs: parents.map((p) => output(p, 0)), fee: 100_000n });
    const error = await refused(f.mempool.submit(all), MempoolReason.TOO_LONG_MEMPOOL_CHAIN, true);
    assert.match(error.message, /too many unconfirmed parents/);
    const fewer = spend({ inputs: parents.slice(0, 24).map((p) => output(p, 0)), fee: 100_000n });
    assert.equal((await f.mempool.submit(fewer)).status, "accepted");
    assert.equal(f.mempool.getEntry(fewer.txid())!.ancestorcount, 25);
  });

  it("ancestor and descendant sizes, in bytes", async () => {
    const f = createFixture({ init: { ancestorSizeLimit: 500 } });
    const chain = spendChain(f.coins[0]!, 3);
    await f.mempool.submit(chain[0]!);
    await f.mempool.submit(chain[1]!);
    const error = await refused(
      f.mempool.submit(chain[2]!),
      MempoolReason.TOO_LONG_MEMPOOL_CHAIN,
      true,
    );
    assert.match(error.message, /ancestor size limit/);

    const g = createFixture({ init: { descendantSizeLimit: 500 } });
    const coin = g.coins[0]!;
    const parent = spend({
      inputs: [coin],
      outputs: payments(alice, 3, (coin.value - 50_000n) / 3n),
    });
    await g.mempool.submit(parent);
    await g.mempool.submit(spend({ inputs: [output(parent, 0)] }));
    const second = await refused(
      g.mempool.submit(spend({ inputs: [output(parent, 1)] })),
      MempoolReason.TOO_LONG_MEMPOOL_CHAIN,
      true,
    );
    assert.match(second.message, /descendant size limit/);
  });

  it("a removed descendant frees room again", async () => {
    const f = createFixture({ init: { descendantLimit: 2 } });
    const coin = f.coins[0]!;
    const parent = spend({
      inputs: [coin],
      outputs: payments(alice, 2, (coin.value - 50_000n) / 2n),
    });
    await f.mempool.submit(parent);
    const first = spend({ inputs: [output(parent, 0)] });
    await f.mempool.submit(first);
    await refused(
      f.mempool.submit(spend({ inputs: [output(parent, 1)] })),
      MempoolReason.TOO_LONG_MEMPOOL_CHAIN,
    );
    // Replacing the first child by a better one keeps the count; confirming the parent resets it.
    f.confirm([parent]);
    assert.equal(
      (await f.mempool.submit(spend({ inputs: [output(parent, 1)] }))).status,
      "accepted",
    );
    f.mempool.check();
  });
});
