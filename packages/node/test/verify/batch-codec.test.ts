import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { STANDARD_SCRIPT_FLAGS } from "@starling/chain";
import { decodeBatch, encodeBatch } from "../../src/verify/batch-codec.ts";
import { spendJobs } from "./spends.ts";

describe("batch codec", () => {
  it("round-trips slices of several runs, each job's transaction, input, script and flags", () => {
    const runA = spendJobs(["p2pkh", "multisig", "p2pkh"]);
    const runB = [
      ...spendJobs(["multisig"], STANDARD_SCRIPT_FLAGS),
      ...spendJobs(["p2pkh", "p2pkh"]),
    ];
    const slices = [
      { jobs: runA, start: 1, end: 3 },
      { jobs: runB, start: 0, end: 3 },
    ];
    const segments = decodeBatch(encodeBatch(slices));
    assert.equal(segments.length, 2);
    slices.forEach(({ jobs, start, end }, s) => {
      const expected = jobs.slice(start, end);
      const decoded = segments[s]!;
      assert.equal(decoded.length, expected.length);
      decoded.forEach((job, i) => {
        const want = expected[i]!;
        assert.equal(job.tx.txid(), want.tx.txid());
        assert.equal(job.inputIndex, want.inputIndex);
        assert.deepEqual(job.scriptPubKey, want.scriptPubKey);
        assert.equal(job.flags, want.flags);
      });
    });
  });

  it("writes a transaction once however many of its inputs the batch holds", () => {
    const tx = spendJobs(["p2pkh", "p2pkh", "p2pkh", "p2pkh"]);
    const once = encodeBatch([{ jobs: tx, start: 0, end: 1 }]);
    const four = encodeBatch([{ jobs: tx, start: 0, end: 4 }]);
    assert.equal(new DataView(four).getUint32(0, true), 1, "one transaction in the table");
    const scriptsAndFields = tx.slice(1).reduce((n, job) => n + 16 + job.scriptPubKey.length, 0);
    assert.equal(four.byteLength - once.byteLength, scriptsAndFields);
    const [segment] = decodeBatch(four);
    assert.equal(new Set(segment!.map((job) => job.tx)).size, 1);
  });

  it("refuses a batch with trailing bytes", () => {
    const encoded = new Uint8Array(encodeBatch([{ jobs: spendJobs(["p2pkh"]), start: 0, end: 1 }]));
    const longer = new Uint8Array(encoded.length + 1);
    longer.set(encoded);
    assert.throws(() => decodeBatch(longer.buffer), RangeError);
  });
});
