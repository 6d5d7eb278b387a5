import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CONSENSUS_SCRIPT_FLAGS,
  createInlineScriptJobRunner,
  ScriptFlag,
  type ScriptJob,
  type ScriptJobRunner,
  STANDARD_SCRIPT_FLAGS,
} from "@starling/chain";
import {
  CachingScriptJobRunner,
  createVerifyPool,
  impliedFlags,
  ScriptCache,
} from "../../src/index.ts";
import { mixedJobs, spendJobs, VALID_KINDS } from "./spends.ts";

/** The inline runner, counting the jobs delegated to it. */
function countingRunner(): ScriptJobRunner & { jobs: number; runs: number } {
  const inline = createInlineScriptJobRunner();
  const runner = {
    jobs: 0,
    runs: 0,
    run(jobs: readonly ScriptJob[], options?: { signal?: AbortSignal }) {
      runner.jobs += jobs.length;
      runner.runs++;
      return inline.run(jobs, options);
    },
  };
  return runner;
}

function withFlags(jobs: readonly ScriptJob[], flags: number): ScriptJob[] {
  return jobs.map((job) => ({ ...job, flags }));
}

describe("ScriptCache", () => {
  it("keys entries by transaction and exact flags", () => {
    const cache = new ScriptCache();
    const [a] = spendJobs(["p2pkh"]);
    const [b] = spendJobs(["p2pkh"]);
    cache.add(a!.tx, STANDARD_SCRIPT_FLAGS);
    assert.equal(cache.has(a!.tx, STANDARD_SCRIPT_FLAGS), true);
    assert.equal(cache.has(a!.tx, CONSENSUS_SCRIPT_FLAGS), false);
    assert.equal(cache.has(b!.tx, STANDARD_SCRIPT_FLAGS), false);
    cache.add(a!.tx, STANDARD_SCRIPT_FLAGS);
    assert.equal(cache.size, 1);
  });

  it("holds at most maxEntries, evicting the oldest first", () => {
    const cache = new ScriptCache({ maxEntries: 3 });
    const txs = mixedJobs(5, ["p2pkh"]).map((job) => job.tx);
    for (const tx of txs) cache.add(tx, CONSENSUS_SCRIPT_FLAGS);
    assert.equal(cache.size, 3);
    assert.deepEqual(
      txs.map((tx) => cache.has(tx, CONSENSUS_SCRIPT_FLAGS)),
      [false, false, true, true, true],
    );
    assert.throws(() => new ScriptCache({ maxEntries: 0 }), RangeError);
  });

  it("lets a pass under the standard flags stand for the consensus flags, and nothing looser", () => {
    assert.deepEqual(impliedFlags(STANDARD_SCRIPT_FLAGS), [
      STANDARD_SCRIPT_FLAGS,
      CONSENSUS_SCRIPT_FLAGS,
    ]);
    assert.deepEqual(impliedFlags(CONSENSUS_SCRIPT_FLAGS), [CONSENSUS_SCRIPT_FLAGS]);
    // Without P2SH, CLEANSTACK is not monotonic: no implication.
    const noP2sh = STANDARD_SCRIPT_FLAGS & ~ScriptFlag.P2SH;
    assert.deepEqual(impliedFlags(noP2sh), [noP2sh]);
    // A flag outside the policy set is not argued for: no implication.
    const pushOnly = STANDARD_SCRIPT_FLAGS | ScriptFlag.SIGPUSHONLY;
    assert.deepEqual(impliedFlags(pushOnly), [pushOnly]);
  });
});

describe("CachingScriptJobRunner", () => {
  it("does not re-check in a block what the mempool checked under the standard flags", async () => {
    const inner = countingRunner();
    const runner = new CachingScriptJobRunner(inner, new ScriptCache());
    const txA = spendJobs(["p2pkh", "multisig"]);
    const txB = spendJobs(["multisig"]);
    const mempool = withFlags([...txA, ...txB], STANDARD_SCRIPT_FLAGS);
    assert.equal(await runner.run(mempool), null);
    assert.equal(inner.jobs, 3);

    const fresh = spendJobs(["p2pkh", "p2pkh"]);
    const block = [...txA, ...fresh, ...txB];
    assert.equal(await runner.run(block), null);
    assert.equal(inner.jobs, 5, "only the transaction the mempool never saw is checked");

    assert.equal(await runner.run(block), null);
    assert.equal(inner.jobs, 5);
    assert.equal(inner.runs, 2, "a fully cached run delegates nothing");
  });

  it("never caches a failure, nor the passing transactions of a failing run", async () => {
    const inner = countingRunner();
    const cache = new ScriptCache();
    const runner = new CachingScriptJobRunner(inner, cache);
    const good = spendJobs(["p2pkh"]);
    const bad = spendJobs(["p2pkh", "p2pkh-bad-sig"]);
    const failure = await runner.run([...good, ...bad]);
    assert.equal(failure?.job, bad[1]);
    assert.equal(failure?.error, "EVAL_FALSE");
    assert.equal(cache.size, 0);

    const again = await runner.run([...good, ...bad]);
    assert.equal(again?.job, bad[1]);
    assert.equal(inner.jobs, 6, "the second run checked everything again");
  });

  it("does not cache a transaction the run checked only some inputs of", async () => {
    const inner = countingRunner();
    const runner = new CachingScriptJobRunner(inner, new ScriptCache());
    const tx = spendJobs(["p2pkh", "multisig"]);
    assert.equal(await runner.run([tx[0]!]), null);
    assert.equal(await runner.run(tx), null);
    assert.equal(inner.jobs, 3);
    assert.equal(await runner.run(tx), null);
    assert.equal(inner.jobs, 3);
  });

  it("caches nothing when the run is aborted", async () => {
    const cache = new ScriptCache();
    const runner = new CachingScriptJobRunner(countingRunner(), cache);
    const jobs = mixedJobs(2, VALID_KINDS);
    await assert.rejects(runner.run(jobs, { signal: AbortSignal.abort() }), {
      name: "AbortError",
    });
    assert.equal(cache.size, 0);
  });

  it("works in front of the pool", async () => {
    const pool = createVerifyPool({ threads: 2, batchSize: 4 });
    try {
      const cache = new ScriptCache();
      const runner = new CachingScriptJobRunner(pool, cache);
      const jobs = mixedJobs(12, VALID_KINDS);
      const bad = spendJobs(["multisig-swapped"]);
      assert.equal((await runner.run([...jobs, ...bad]))?.job, bad[0]);
      assert.equal(cache.size, 0);
      assert.equal(await runner.run(withFlags(jobs, STANDARD_SCRIPT_FLAGS)), null);
      assert.equal(cache.size, 24);
      assert.equal(await runner.run(jobs), null);
    } finally {
      await pool.close();
    }
  });
});
