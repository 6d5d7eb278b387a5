import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AcceptResult, TxAddedEvent } from "../src/index.ts";
import { createFixture, output, spend } from "./helpers/fixture.ts";

describe("events", () => {
  it("are delivered once the pool is consistent, so a listener may call back into it", async () => {
    const f = createFixture();
    const parent = spend({ inputs: [f.coins[0]!] });
    const child = spend({ inputs: [output(parent, 0)] });
    let fromListener: Promise<AcceptResult> | undefined;
    const stop = f.mempool.on("tx-added", (event) => {
      if (event.txid === parent.txid()) {
        assert.ok(f.mempool.has(parent.txid()));
        f.mempool.check();
        fromListener = f.mempool.submit(child);
      }
    });
    await f.mempool.submit(parent);
    assert.equal((await fromListener!).status, "accepted");
    stop();
    const seen: TxAddedEvent[] = [];
    const listener = (e: TxAddedEvent) => seen.push(e);
    f.mempool.on("tx-added", listener);
    f.mempool.off("tx-added", listener);
    await f.mempool.submit(spend({ inputs: [f.coins[1]!] }));
    assert.equal(seen.length, 0);
    assert.equal(f.added.length, 3);
  });

  it("report each removal with its reason", async () => {
    const f = createFixture();
    const a = spend({ inputs: [f.coins[0]!] });
    const b = spend({ inputs: [f.coins[1]!] });
    await f.mempool.submit(a);
    await f.mempool.submit(b);
    await f.mempool.submit(spend({ inputs: [f.coins[1]!], fee: 50_000n }));
    f.confirm([a]);
    assert.deepEqual(
      f.removed.map((e) => [e.txid, e.reason]),
      [
        [b.txid(), "replaced"],
        [a.txid(), "block"],
      ],
    );
  });
});
