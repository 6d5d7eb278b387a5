import assert from "node:assert/strict";
import { test } from "node:test";
import { runBench } from "@starling/bench";
import { loadBenches } from "./bench.ts";

// Every benchmark runs once in smoke mode so that none of them rots; no timing is asserted.
const benches = await loadBenches();

test("at least one benchmark is registered", () => {
  assert.ok(benches.length > 0);
});

for (const bench of benches) {
  test(`benchmark ${bench.name} runs (smoke)`, { timeout: 120_000 }, async () => {
    const r = await runBench(bench, "smoke");
    assert.equal(r.bench, bench.name);
    assert.ok(Number.isFinite(r.value) && r.value > 0, `value ${r.value}`);
    assert.ok(Number.isFinite(r.limit) && r.limit > 0, `limit ${r.limit}`);
    assert.ok(Number.isFinite(r.ratio) && r.ratio > 0, `ratio ${r.ratio}`);
    assert.ok(r.limitName.length > 0);
  });
}
