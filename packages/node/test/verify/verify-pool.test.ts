import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Worker } from "node:worker_threads";
import {
  createInlineScriptJobRunner,
  type ScriptJob,
  type ScriptJobFailure,
} from "@starling/chain";
import { createVerifyPool, type VerifyPool, VerifyPoolError } from "../../src/index.ts";
import { INVALID_KINDS, mixedJobs, spendJobs, VALID_KINDS } from "./spends.ts";

const inline = createInlineScriptJobRunner();

/** The inline runner's verdict on each job alone. */
async function inlineVerdicts(jobs: readonly ScriptJob[]): Promise<(string | null)[]> {
  return Promise.all(jobs.map(async (job) => (await inline.run([job]))?.error ?? null));
}

/** Asserts that `failure` is a job the inline runner also fails, with the same error. */
async function assertInlineAgrees(failure: ScriptJobFailure | null): Promise<void> {
  assert.notEqual(failure, null, "expected a failure");
  const expected = await inline.run([failure!.job]);
  assert.equal(failure!.error, expected?.error);
}

describe("verify pool", () => {
  let pool: VerifyPool;
  // One-input spends of every kind, valid and invalid, then multi-input transactions.
  const singles = mixedJobs(36, [...VALID_KINDS, ...INVALID_KINDS]);
  const multi = [
    ...spendJobs(["p2pkh", "multisig", "p2pkh", "multisig"]),
    ...spendJobs(["multisig", "p2pkh-wrong-key", "p2pkh"]),
    ...spendJobs(["p2pkh", "p2pkh", "multisig-swapped"]),
  ];
  const all = [...singles, ...multi];
  const valid = [...mixedJobs(40, VALID_KINDS), ...spendJobs(["p2pkh", "multisig", "p2pkh"])];

  before(async () => {
    pool = createVerifyPool({ threads: 2, batchSize: 8 });
    await pool.start();
  });
  after(() => pool.close());

  it("gives each job the verdict the inline runner gives it", async () => {
    const expected = await inlineVerdicts(all);
    assert.ok(expected.some((e) => e === null) && expected.some((e) => e !== null));
    // Concurrent one-job runs: the pool packs several runs into each message.
    const verdicts = await Promise.all(
      all.map(async (job) => (await pool.run([job]))?.error ?? null),
    );
    assert.deepEqual(verdicts, expected);
  });

  it("passes a run of valid jobs, as the inline runner does", async () => {
    assert.equal(await inline.run(valid), null);
    assert.equal(await pool.run(valid), null);
  });

  it("names the failing job of a run with one failure", async () => {
    for (const position of [0, 17, valid.length]) {
      const bad = spendJobs(["multisig-one-sig"])[0]!;
      const jobs = [...valid.slice(0, position), bad, ...valid.slice(position)];
      const failure = await pool.run(jobs);
      const expected = await inline.run(jobs);
      assert.equal(failure?.job, bad);
      assert.equal(failure?.job, expected?.job);
      assert.equal(failure?.error, expected?.error);
    }
  });

  it("reports one of the failures of a run with several, with its error", async () => {
    const failure = await pool.run(all);
    await assertInlineAgrees(failure);
    assert.ok(all.includes(failure!.job));
  });

  it("serves concurrent runs from two callers, each with its own verdict", async () => {
    const block = [...valid, ...valid];
    const badTx = spendJobs(["p2pkh", "p2pkh-bad-sig"]);
    const mempool = [spendJobs(["p2pkh"]), badTx, spendJobs(["multisig", "p2pkh"])];
    const [blockResult, ...mempoolResults] = await Promise.all([
      pool.run(block),
      ...mempool.map((jobs) => pool.run(jobs)),
    ]);
    assert.equal(blockResult, null);
    assert.equal(mempoolResults[0], null);
    assert.equal(mempoolResults[1]?.job, badTx[1]);
    assert.equal(mempoolResults[1]?.error, "EVAL_FALSE");
    assert.equal(mempoolResults[2], null);
  });

  it("rejects a job that throws with VerifyPoolError and keeps serving", async () => {
    const [job] = spendJobs(["p2pkh"]);
    const outOfRange = { ...job!, inputIndex: 5 };
    await assert.rejects(pool.run([outOfRange]), (error: unknown) => {
      assert.ok(error instanceof VerifyPoolError);
      assert.equal(error.code, "job-threw");
      return true;
    });
    assert.equal(await pool.run(valid), null);
  });

  it("rejects at once with an aborted signal, and resolves empty runs to null", async () => {
    await assert.rejects(pool.run(valid, { signal: AbortSignal.abort() }), {
      name: "AbortError",
    });
    assert.equal(await pool.run([]), null);
  });
});

describe("verify pool under abort and failure", () => {
  const valid = mixedJobs(48, VALID_KINDS);

  /** A pool whose hook runs `onDispatch` once, at the first batch posted after arm(). */
  function hookedPool(onDispatch: (worker: Worker) => void): {
    pool: VerifyPool;
    arm: () => void;
  } {
    let armed = false;
    const pool = createVerifyPool({
      threads: 2,
      batchSize: 4,
      onBatchDispatched: (worker) => {
        if (!armed) return;
        armed = false;
        onDispatch(worker);
      },
    });
    return { pool, arm: () => (armed = true) };
  }

  it("stops a run when its signal aborts mid-run, then serves the next", async () => {
    const controller = new AbortController();
    const { pool, arm } = hookedPool(() => controller.abort());
    try {
      await pool.start();
      arm();
      await assert.rejects(pool.run(valid, { signal: controller.signal }), {
        name: "AbortError",
      });
      assert.equal(await pool.run(valid), null);
    } finally {
      await pool.close();
    }
  });

  it("rejects with VerifyPoolError when a worker dies mid-run, replaces it, serves the next run", async () => {
    const { pool, arm } = hookedPool((worker) => void worker.terminate());
    try {
      await pool.start();
      arm();
      await assert.rejects(pool.run(valid), (error: unknown) => {
        assert.ok(error instanceof VerifyPoolError);
        assert.equal(error.code, "worker-exited");
        return true;
      });
      assert.equal(await pool.run(valid), null);
      const bad = spendJobs(["p2pkh-wrong-key"]);
      assert.equal((await pool.run([...valid, ...bad]))?.job, bad[0]);
      assert.equal(pool.liveWorkers, 2);
    } finally {
      await pool.close();
    }
  });

  it("rejects runs in flight and later runs once closed", async () => {
    let closing: Promise<void> | undefined;
    const { pool, arm } = hookedPool(() => {
      closing = pool.close();
    });
    await pool.start();
    arm();
    await assert.rejects(pool.run(valid), { name: "VerifyPoolError", code: "closed" });
    await closing;
    await assert.rejects(pool.run(valid), { name: "VerifyPoolError", code: "closed" });
    assert.equal(pool.liveWorkers, 0);
  });

  it("runs small runs inline when asked, without posting a message", async () => {
    let posted = 0;
    const pool = createVerifyPool({
      threads: 1,
      inlineBelow: 3,
      onBatchDispatched: () => posted++,
    });
    try {
      const bad = spendJobs(["multisig-swapped"]);
      assert.equal((await pool.run(bad))?.job, bad[0]);
      assert.equal(await pool.run(valid.slice(0, 2)), null);
      assert.equal(posted, 0);
      assert.equal(await pool.run(valid.slice(0, 3)), null);
      assert.equal(posted, 1);
    } finally {
      await pool.close();
    }
  });

  it("refuses bad options", () => {
    assert.throws(() => createVerifyPool({ threads: 0 }), RangeError);
    assert.throws(() => createVerifyPool({ batchSize: 1.5 }), RangeError);
  });
});

describe("verify pool shutdown", () => {
  it("leaves no handle behind after close(): a process using it exits by itself", () => {
    const index = fileURLToPath(new URL("../../src/index.ts", import.meta.url));
    const spends = fileURLToPath(new URL("./spends.ts", import.meta.url));
    const script = `
      import { createVerifyPool } from ${JSON.stringify(pathToFileURL(index).href)};
      import { mixedJobs } from ${JSON.stringify(pathToFileURL(spends).href)};
      const pool = createVerifyPool({ threads: 2, batchSize: 2 });
      const verdict = await pool.run(mixedJobs(8, ["p2pkh", "multisig"]));
      await pool.close();
      console.log("closed", verdict);
    `;
    // A file, not --eval: workers inherit the parent's execArgv, and --input-type breaks them.
    const dir = mkdtempSync(join(tmpdir(), "starling-verify-pool-"));
    const file = join(dir, "close.mjs");
    writeFileSync(file, script);
    const result = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 20_000 });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(result.signal, null, "the process had to be killed: a handle was left open");
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /closed null/);
  });
});
