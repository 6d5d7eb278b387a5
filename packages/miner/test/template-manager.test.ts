import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NULL_HASH_HEX, regtest, Transaction } from "@starling/chain";
import {
  type BlockCandidate,
  type BlockTemplate,
  type ChainTip,
  type TemplateChange,
  TemplateManager,
} from "../src/index.ts";

/** A candidate with no parents; its bytes only need to be unique. */
function candidate(id: number, fee: bigint): BlockCandidate {
  const tx = new Transaction({
    version: 2,
    inputs: [{ prevTxid: NULL_HASH_HEX, prevIndex: id, scriptSig: Uint8Array.of(1), sequence: 0 }],
    outputs: [],
    locktime: 0,
  });
  return {
    tx,
    txid: tx.txid(),
    fee,
    size: tx.size(),
    sigops: 0,
    ancestorFee: fee,
    ancestorSize: tx.size(),
    parents: [],
  };
}

function setup(options: { feeRiseThreshold?: bigint; withRevision?: boolean } = {}) {
  const state = {
    tip: {
      height: 0,
      hash: regtest.genesisHash,
      time: regtest.genesis.header.time,
      medianTimePast: regtest.genesis.header.time,
    } as ChainTip,
    candidates: [] as BlockCandidate[],
    revision: 0,
    selections: 0,
  };
  const built: [BlockTemplate, TemplateChange][] = [];
  const txSource = {
    getBlockCandidates: () => {
      state.selections++;
      return state.candidates;
    },
    ...(options.withRevision === false ? {} : { transactionsUpdated: () => state.revision }),
  };
  const manager = new TemplateManager({
    chain: { getTip: () => state.tip, now: () => state.tip.time + 1 },
    txSource,
    network: regtest,
    payoutScript: Uint8Array.of(0x51),
    ...(options.feeRiseThreshold === undefined
      ? {}
      : { feeRiseThreshold: options.feeRiseThreshold }),
    onTemplate: (template, reason) => built.push([template, reason]),
  });
  return { state, manager, built };
}

describe("TemplateManager", () => {
  it("builds once, then keeps the template while nothing changed", () => {
    const { manager, built } = setup();
    const first = manager.current();
    assert.equal(manager.current(), first);
    assert.deepEqual(
      built.map(([, r]) => r),
      ["first"],
    );
  });

  it("rebuilds on a new tip", () => {
    const { state, manager } = setup();
    manager.current();
    state.tip = { ...state.tip, height: 1, hash: "11".repeat(32), time: state.tip.time + 5 };
    const result = manager.refresh();
    assert.equal(result.changed, "new-tip");
    assert.equal(result.template.height, 2);
    assert.equal(result.template.prevBlock, "11".repeat(32));
  });

  it("rebuilds when fees rose by more than the threshold, not for less", () => {
    const { state, manager } = setup({ feeRiseThreshold: 1_000n });
    manager.current();
    state.candidates = [candidate(1, 600n)];
    state.revision++;
    assert.equal(manager.refresh().changed, null); // +600: not enough
    state.candidates = [candidate(1, 600n), candidate(2, 500n)];
    state.revision++;
    const result = manager.refresh();
    assert.equal(result.changed, "fees"); // +1,100 over the template's 0
    assert.equal(result.template.fees, 1_100n);
    assert.equal(result.template.transactions.length, 2);
  });

  it("skips the selection when the mempool's revision has not moved", () => {
    const { state, manager } = setup();
    manager.current();
    const selections = state.selections;
    manager.refresh();
    manager.refresh();
    assert.equal(state.selections, selections);
    state.revision++;
    manager.refresh();
    assert.equal(state.selections, selections + 1);
    manager.refresh(); // the same revision again: no new selection
    assert.equal(state.selections, selections + 1);
  });

  it("selects again on every refresh when the source has no revision counter", () => {
    const { state, manager } = setup({ withRevision: false, feeRiseThreshold: 0n });
    manager.current();
    state.candidates = [candidate(1, 1n)];
    assert.equal(manager.refresh().changed, "fees");
  });

  it("rebuilds after invalidate or a new payout script", () => {
    const { manager } = setup();
    manager.current();
    manager.invalidate();
    assert.equal(manager.refresh().changed, "forced");
    manager.setPayoutScript(Uint8Array.of(0x52));
    const result = manager.refresh();
    assert.equal(result.changed, "forced");
    assert.deepEqual(result.template.payoutScript, Uint8Array.of(0x52));
  });

  it("refreshes on its optional interval", async () => {
    const { state, manager, built } = setup();
    manager.current();
    manager.start(5);
    state.tip = { ...state.tip, height: 1, hash: "22".repeat(32) };
    while (built.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    manager.stop();
    assert.equal(built[1]![1], "new-tip");
  });
});
