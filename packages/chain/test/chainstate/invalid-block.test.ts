import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  Block,
  BlockValidationError,
  ChainState,
  concatBytes,
  getBlockSubsidy,
  heightPushScript,
  MemoryChainStateStore,
  regtest,
  type Transaction,
  type UtxoCommitment,
} from "../../src/index.ts";
import {
  ALICE,
  blockOn,
  GENESIS,
  MALLORY,
  mine,
  NOW,
  type Point,
  pointOf,
  spend,
  spendP2pkh,
  storedCommitment,
} from "../../src/testing/chain-builder.ts";

async function rejects(promise: Promise<unknown>, code: string): Promise<BlockValidationError> {
  let caught: unknown;
  await promise.catch((error: unknown) => {
    caught = error;
  });
  assert.ok(caught instanceof BlockValidationError, `expected BlockValidationError, got ${caught}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

/** 110 blocks whose coinbases at heights 1..10 pay ALICE, so that they can be spent at 111. */
function baseChain(): Block[] {
  const blocks: Block[] = [];
  let tip = GENESIS;
  for (let h = 1; h <= 110; h++) {
    const script = h <= 10 ? ALICE.script : undefined;
    const block = blockOn(tip, [], {
      coinbaseOutputs: [
        { value: getBlockSubsidy(h, regtest), ...(script ? { scriptPubKey: script } : {}) },
      ],
    });
    blocks.push(block);
    tip = pointOf(block, h);
  }
  return blocks;
}

describe("invalid blocks", () => {
  const base = baseChain();
  const tip: Point = pointOf(base.at(-1)!, base.length);
  const coinbaseOf = (h: number) => ({ txid: base[h - 1]!.transactions[0]!.txid(), index: 0 });
  const value = (h: number) => getBlockSubsidy(h, regtest);
  let store: MemoryChainStateStore;
  let chain: ChainState;
  let commitmentBefore: UtxoCommitment;
  const invalidEvents: { hash: string; code: string; source: string | undefined }[] = [];

  before(async () => {
    store = new MemoryChainStateStore();
    chain = await ChainState.open({ params: regtest, store });
    for (const block of base) await chain.processBlock(block, { now: NOW });
    commitmentBefore = await storedCommitment(store);
    chain.events.on("block:invalid", (e) =>
      invalidEvents.push({ hash: e.hash, code: e.code, source: e.source }),
    );
  });

  async function assertUntouched(context: string): Promise<void> {
    assert.equal(chain.tip.hash, tip.hash, `${context}: tip`);
    assert.deepEqual(await storedCommitment(store), commitmentBefore, `${context}: UTXO set`);
  }

  /**
   * `bad` is rejected with `code` and marked invalid, its child is refused as `bad-prevblk` and
   * marked too, both are refused again at once, and the state is what it was.
   */
  async function assertInvalid(bad: Block, code: string): Promise<void> {
    const before = invalidEvents.length;
    await rejects(chain.processBlock(bad, { now: NOW, source: "peer-1" }), code);
    assert.ok(chain.isKnownInvalid(bad.hash()), `${code}: marked invalid`);
    assert.equal(store.header(bad.hash())!.status & 16, 16, `${code}: FAILED stored`);
    assert.deepEqual(invalidEvents.slice(before), [{ hash: bad.hash(), code, source: "peer-1" }]);
    const child = blockOn(pointOf(bad, tip.height + 1));
    await rejects(chain.processBlock(child, { now: NOW }), "bad-prevblk");
    assert.ok(chain.isKnownInvalid(child.hash()), `${code}: child marked invalid`);
    assert.equal(store.header(child.hash())!.status & 32, 32, `${code}: FAILED_CHILD stored`);
    await rejects(chain.processBlock(bad, { now: NOW }), "duplicate");
    await rejects(chain.acceptHeader(child.header, { now: NOW }), "duplicate");
    await assertUntouched(code);
  }

  it("a merkle root that does not match: mutated, rejected but not remembered", async () => {
    const good = blockOn(tip, []);
    // Same header, so same hash, but another transaction list.
    const mutated = new Block(good.header, [
      ...good.transactions,
      spend({ inputs: [coinbaseOf(3)], outputs: [{ value: 1n }] }),
    ]);
    assert.equal(mutated.hash(), good.hash());
    const error = await rejects(chain.processBlock(mutated, { now: NOW }), "bad-txnmrklroot");
    assert.equal(error.corruptionPossible, true);
    assert.equal(chain.isKnownInvalid(good.hash()), false);
    assert.equal(chain.hasBlock(good.hash()), false);
    assert.equal(invalidEvents.length, 0);
    await assertUntouched("mutated");
    // The genuine block with that hash is still welcome.
    const result = await chain.processBlock(good, { now: NOW });
    assert.equal(result.status, "connected");
    assert.equal(chain.tip.hash, good.hash());
  });

  describe("each rule violation marks the block and its descendants, and changes nothing", () => {
    before(async () => {
      // Back to the base chain: a fresh chain state over a fresh store.
      store = new MemoryChainStateStore();
      chain = await ChainState.open({ params: regtest, store });
      for (const block of base) await chain.processBlock(block, { now: NOW });
      chain.events.on("block:invalid", (e) =>
        invalidEvents.push({ hash: e.hash, code: e.code, source: e.source }),
      );
    });

    it("bad-cb-amount: the coinbase pays more than subsidy plus fees", async () => {
      const bad = blockOn(tip, [], {
        coinbaseOutputs: [{ value: getBlockSubsidy(tip.height + 1, regtest) + 1n }],
      });
      await assertInvalid(bad, "bad-cb-amount");
    });

    it("double spend inside one block", async () => {
      const first = spend({ inputs: [coinbaseOf(5)], outputs: [{ value: 1000n }] });
      const second = spend({ inputs: [coinbaseOf(5)], outputs: [{ value: 2000n }] });
      const bad = blockOn(tip, [
        spendP2pkh(coinbaseOf(5), ALICE, [{ value: value(5) - 1000n }]),
        first,
        second,
      ] as Transaction[]);
      await assertInvalid(bad, "bad-txns-inputs-missingorspent");
    });

    it("double spend of a coin spent in an earlier block", async () => {
      // `good` spends the coin on a side branch (equal work: stored, not connected); `bad`, on
      // top of it, spends it again and would make that branch the longest.
      const parent = pointOf(base.at(-2)!, tip.height - 1);
      const spendIt = spendP2pkh(coinbaseOf(6), ALICE, [{ value: value(6) - 1000n }]);
      const good = blockOn(parent, [spendIt], { tag: 7 });
      const again = spendP2pkh(coinbaseOf(6), ALICE, [{ value: value(6) - 2000n }]);
      const bad = blockOn(pointOf(good, tip.height), [again]);
      assert.equal((await chain.processBlock(good, { now: NOW })).status, "stored");
      await rejects(chain.processBlock(bad, { now: NOW }), "bad-txns-inputs-missingorspent");
      assert.ok(chain.isKnownInvalid(bad.hash()));
      assert.equal(chain.isKnownInvalid(good.hash()), false);
      await assertUntouched("double spend across blocks");
    });

    it("missing input", async () => {
      const bad = blockOn(tip, [
        spend({ inputs: [{ txid: "ab".repeat(32), index: 0 }], outputs: [{ value: 1n }] }),
      ]);
      await assertInvalid(bad, "bad-txns-inputs-missingorspent");
    });

    it("bad script signature (blk-bad-inputs)", async () => {
      const forged = spendP2pkh(coinbaseOf(7), ALICE, [{ value: value(7) - 1000n }], MALLORY);
      const bad = blockOn(tip, [forged]);
      const error = await rejects(chain.processBlock(bad, { now: NOW }), "blk-bad-inputs");
      assert.match(error.message, /mandatory-script-verify-flag-failed/);
      assert.ok(chain.isKnownInvalid(bad.hash()));
      await assertUntouched("bad signature");
    });

    it("bad BIP34 height in the coinbase", async () => {
      const bad = blockOn(tip, [], {
        coinbaseScriptSig: concatBytes(heightPushScript(tip.height + 2), Uint8Array.of(1, 9)),
      });
      await assertInvalid(bad, "bad-cb-height");
    });

    it("non-final transaction (BIP113 locktime)", async () => {
      const locked = spend({
        inputs: [{ ...coinbaseOf(20), sequence: 0 }],
        outputs: [{ value: 1000n }],
        locktime: tip.height + 10,
      });
      await assertInvalid(blockOn(tip, [locked]), "bad-txns-nonfinal");
    });

    it("bad bits: the header is remembered as invalid", async () => {
      const bad = mine(tip, blockOn(tip).transactions, { bits: 0x207ffffe });
      await assertInvalid(bad, "bad-diffbits");
    });

    it("an invalid block deep in a heavier fork: the chain falls back to the old tip", async () => {
      const before = chain.tip.hash;
      const fork: Block[] = [];
      let at = pointOf(base[base.length - 3]!, base.length - 2);
      for (let i = 0; i < 5; i++) {
        const txs =
          i === 2
            ? [spend({ inputs: [{ txid: "cd".repeat(32), index: 1 }], outputs: [{ value: 5n }] })]
            : [];
        const block = blockOn(at, txs, { tag: 40 + i });
        fork.push(block);
        at = pointOf(block, at.height + 1);
      }
      const disconnected: number[] = [];
      const stop = chain.events.on("block:disconnected", (e) => disconnected.push(e.height));
      for (const block of fork.slice(0, 2)) {
        assert.equal((await chain.processBlock(block, { now: NOW })).status, "stored");
      }
      // The third fork block has more work than the tip: the chain switches, connects the first
      // two, fails on the third, and goes back to the old tip.
      await rejects(chain.processBlock(fork[2]!, { now: NOW }), "bad-txns-inputs-missingorspent");
      assert.deepEqual(disconnected, [base.length, base.length - 1, base.length, base.length - 1]);
      assert.equal(chain.tip.hash, before);
      assert.ok(chain.isKnownInvalid(fork[2]!.hash()));
      assert.equal(chain.isKnownInvalid(fork[1]!.hash()), false);
      await rejects(chain.processBlock(fork[3]!, { now: NOW }), "bad-prevblk");
      assert.equal(chain.tip.hash, before);
      stop();
      await assertUntouched("fallback");
    });
  });
});
