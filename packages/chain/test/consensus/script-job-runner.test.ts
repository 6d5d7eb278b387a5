import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CONSENSUS_SCRIPT_FLAGS,
  createInlineScriptJobRunner,
  Op,
  Transaction,
} from "../../src/index.ts";

function spending(scriptSig: Uint8Array): Transaction {
  return new Transaction({
    version: 1,
    inputs: [{ prevTxid: "11".repeat(32), prevIndex: 0, scriptSig, sequence: 0xffffffff }],
    outputs: [{ value: 1n, scriptPubKey: new Uint8Array([Op.OP_1]) }],
    locktime: 0,
  });
}

test("the inline runner passes good jobs and names the failing one", async () => {
  const runner = createInlineScriptJobRunner();
  const good = {
    tx: spending(new Uint8Array([Op.OP_1])),
    inputIndex: 0,
    scriptPubKey: new Uint8Array([Op.OP_1]),
    flags: CONSENSUS_SCRIPT_FLAGS,
  };
  const bad = {
    ...good,
    tx: spending(new Uint8Array([Op.OP_0])),
    scriptPubKey: new Uint8Array([Op.OP_VERIFY]),
  };
  assert.equal(await runner.run([good, good]), null);
  const failure = await runner.run([good, bad]);
  assert.equal(failure?.job, bad);
  assert.equal(failure?.error, "VERIFY");
});

test("the inline runner stops when aborted", async () => {
  const runner = createInlineScriptJobRunner();
  const job = {
    tx: spending(new Uint8Array([Op.OP_1])),
    inputIndex: 0,
    scriptPubKey: new Uint8Array([Op.OP_1]),
    flags: 0,
  };
  await assert.rejects(runner.run([job], { signal: AbortSignal.abort() }), { name: "AbortError" });
});
