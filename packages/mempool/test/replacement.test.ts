import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MempoolReason } from "../src/index.ts";
import { refused } from "./helpers/assertions.ts";
import {
  alice,
  bob,
  createFixture,
  output,
  payments,
  spend,
  spendChain,
} from "./helpers/fixture.ts";

/**
 * Full replace-by-fee, Bitcoin Core 28's rules: a success and each failing condition. Sizes of
 * these one-input, one-output transactions are all 191-193 bytes, so fee rates follow fees.
 */

describe("replacement by fee", () => {
  it("replaces a conflict and its descendants when it pays more in total and per byte", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    const [original, child] = spendChain(coin, 2, 10_000n);
    await f.mempool.submit(original!);
    await f.mempool.submit(child!);
    // Must beat 20,000 (both evicted) plus 1,000/kB of its own ~192 bytes.
    const replacement = spend({ inputs: [coin], fee: 20_200n });
    const result = await f.mempool.submit(replacement);
    assert.equal(result.status, "accepted");
    assert.deepEqual(
      result.status === "accepted" ? [...result.replaced].sort() : [],
      [original!.txid(), child!.txid()].sort(),
    );
    assert.deepEqual(f.mempool.txids(), [replacement.txid()]);
    const removed = f.removed.filter((e) => e.reason === "replaced");
    assert.equal(removed.length, 2);
    assert.ok(removed.every((e) => e.replacedBy === replacement.txid()));
    f.mempool.check();
  });

  it("insufficient fee: a fee rate not above a direct conflict's", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    await f.mempool.submit(spend({ inputs: [coin], fee: 10_000n }));
    const same = spend({ inputs: [coin], outputs: payments(bob, 1, coin.value - 10_000n) });
    await refused(f.mempool.submit(same), MempoolReason.INSUFFICIENT_FEE, true);
  });

  it("insufficient fee: less in total than everything it evicts", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    const [original, child] = spendChain(coin, 2, 10_000n);
    await f.mempool.submit(original!);
    await f.mempool.submit(child!);
    // A higher rate than the direct conflict, but below the 20,000 evicted in total.
    const replacement = spend({ inputs: [coin], fee: 15_000n });
    const error = await refused(
      f.mempool.submit(replacement),
      MempoolReason.INSUFFICIENT_FEE,
      true,
    );
    assert.match(error.message, /less fees than conflicting txs/);
    assert.equal(f.mempool.count, 2);
  });

  it("insufficient fee: not paying the incremental relay fee for its own size", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    await f.mempool.submit(spend({ inputs: [coin], fee: 10_000n }));
    const replacement = spend({ inputs: [coin], fee: 10_100n });
    const error = await refused(
      f.mempool.submit(replacement),
      MempoolReason.INSUFFICIENT_FEE,
      true,
    );
    assert.match(error.message, /not enough additional fees to relay/);
    const enough = spend({ inputs: [coin], fee: 10_200n });
    assert.equal((await f.mempool.submit(enough)).status, "accepted");
  });

  it("too many potential replacements: more than 100 evictions", async () => {
    const f = createFixture({ coins: 101 });
    for (const coin of f.coins) await f.mempool.submit(spend({ inputs: [coin], fee: 1_000n }));
    const all = spend({ inputs: f.coins, fee: 1_000_000n });
    await refused(f.mempool.submit(all), MempoolReason.TOO_MANY_REPLACEMENTS, true);
    const hundred = spend({ inputs: f.coins.slice(0, 100), fee: 1_000_000n });
    const result = await f.mempool.submit(hundred);
    assert.equal(result.status === "accepted" ? result.replaced.length : 0, 100);
    assert.equal(f.mempool.count, 2);
  });

  it("replacement-adds-unconfirmed: spending a new unconfirmed output", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    await f.mempool.submit(spend({ inputs: [coin], fee: 10_000n }));
    const other = spend({ inputs: [f.coins[1]!], fee: 10_000n });
    await f.mempool.submit(other);
    const replacement = spend({ inputs: [coin, output(other, 0)], fee: 50_000n });
    await refused(f.mempool.submit(replacement), MempoolReason.REPLACEMENT_ADDS_UNCONFIRMED, true);
  });

  it("bad-txns-spends-conflicting-tx: spending an output of what it replaces", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    const original = spend({
      inputs: [coin],
      outputs: payments(alice, 2, (coin.value - 10_000n) / 2n),
    });
    await f.mempool.submit(original);
    // Conflicts with `original` (both spend `coin`) and spends original:1.
    const bad = spend({ inputs: [coin, output(original, 1)], fee: 100_000n });
    await refused(f.mempool.submit(bad), MempoolReason.SPENDS_CONFLICTING_TX, true);
  });

  it("without full RBF: txn-mempool-conflict unless the original signals BIP125", async () => {
    const f = createFixture({ init: { fullRbf: false } });
    const [a, b] = [f.coins[0]!, f.coins[1]!];
    await f.mempool.submit(spend({ inputs: [a], fee: 10_000n }));
    await refused(
      f.mempool.submit(spend({ inputs: [a], fee: 50_000n })),
      MempoolReason.MEMPOOL_CONFLICT,
      true,
    );
    const signalling = spend({ inputs: [b], fee: 10_000n, sequence: 0xfffffffd });
    await f.mempool.submit(signalling);
    assert.equal(f.mempool.getEntry(signalling.txid())!["bip125-replaceable"], true);
    // A child inherits the flag in getmempoolentry (Core's IsRBFOptIn)...
    const child = spend({ inputs: [output(signalling, 0)] });
    await f.mempool.submit(child);
    assert.equal(f.mempool.getEntry(child.txid())!["bip125-replaceable"], true);
    const replacement = spend({ inputs: [b], fee: 50_000n });
    assert.equal((await f.mempool.submit(replacement)).status, "accepted");
  });

  it("prioritisation counts as fee for replacement", async () => {
    const f = createFixture();
    const coin = f.coins[0]!;
    await f.mempool.submit(spend({ inputs: [coin], fee: 10_000n }));
    const replacement = spend({ inputs: [coin], fee: 5_000n });
    await refused(f.mempool.submit(replacement), MempoolReason.INSUFFICIENT_FEE, true);
    f.mempool.prioritise(replacement.txid(), 10_000n);
    assert.equal((await f.mempool.submit(replacement)).status, "accepted");
    assert.equal(f.mempool.getEntry(replacement.txid())!.fees.modified, 15_000n);
  });
});
