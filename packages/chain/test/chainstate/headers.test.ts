import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BlockValidationError,
  ChainState,
  MemoryChainStateStore,
  NonContinuousHeadersError,
  regtest,
  UnknownParentError,
} from "../../src/index.ts";
import {
  blockOn,
  emptyChain,
  GENESIS,
  mine,
  NOW,
  pointOf,
  tipOf,
} from "../../src/testing/chain-builder.ts";

async function open(): Promise<{ chain: ChainState; store: MemoryChainStateStore }> {
  const store = new MemoryChainStateStore();
  return { chain: await ChainState.open({ params: regtest, store }), store };
}

describe("header acceptance", () => {
  it("a new store starts with the genesis block connected", async () => {
    const { chain, store } = await open();
    assert.equal(chain.tip.hash, regtest.genesisHash);
    assert.equal(chain.height, 0);
    assert.equal(store.storedTip?.hash, regtest.genesisHash);
    assert.equal((await chain.getBlock(regtest.genesisHash))?.hash(), regtest.genesisHash);
  });

  it("header sync: continuity checked first, best header tracked, entries stored", async () => {
    const { chain, store } = await open();
    const blocks = emptyChain(GENESIS, 20);
    const headers = blocks.map((b) => b.header);
    await assert.rejects(
      chain.acceptHeaders([headers[0]!, headers[2]!], { now: NOW }),
      (e: unknown) => e instanceof NonContinuousHeadersError && e.position === 1,
    );
    assert.equal(chain.hasHeader(headers[0]!.hash()), false, "nothing accepted on a gap");

    const accepted: number[] = [];
    chain.events.on("header:accepted", (e) => accepted.push(e.height));
    const infos = await chain.acceptHeaders(headers, { now: NOW });
    assert.deepEqual(
      infos.map((i) => i.height),
      blocks.map((_, i) => i + 1),
    );
    assert.deepEqual(
      accepted,
      blocks.map((_, i) => i + 1),
    );
    assert.equal(chain.bestHeader.hash, blocks.at(-1)!.hash());
    assert.equal(chain.height, 0, "headers alone do not move the tip");
    assert.equal(store.header(blocks[5]!.hash())?.status, 4);
    // Known headers are accepted again without events.
    await chain.acceptHeaders(headers.slice(0, 5), { now: NOW });
    assert.equal(accepted.length, 20);
  });

  it("an unknown parent is a typed error, not a rule violation", async () => {
    const { chain } = await open();
    const blocks = emptyChain(GENESIS, 2);
    await assert.rejects(
      chain.acceptHeader(blocks[1]!.header, { now: NOW }),
      (e: unknown) => e instanceof UnknownParentError && e.parent === blocks[0]!.hash(),
    );
  });

  it("time-too-new is refused but not remembered; the same header passes later", async () => {
    const { chain } = await open();
    const future = blockOn(GENESIS, [], { time: GENESIS.time + 10_000 });
    const early = GENESIS.time + 10_000 - 7201;
    await assert.rejects(
      chain.acceptHeader(future.header, { now: early }),
      (e: unknown) => e instanceof BlockValidationError && e.code === "time-too-new",
    );
    assert.equal(chain.isKnownInvalid(future.hash()), false);
    assert.equal(chain.hasHeader(future.hash()), false);
    const info = await chain.acceptHeader(future.header, { now: early + 1 });
    assert.equal(info.height, 1);
  });

  it("a header at or below median-time-past is remembered as invalid, with its descendants", async () => {
    const { chain } = await open();
    const blocks = emptyChain(GENESIS, 11);
    await chain.acceptHeaders(
      blocks.map((b) => b.header),
      { now: NOW },
    );
    const parent = tipOf(GENESIS, blocks);
    const old = mine(parent, blockOn(parent).transactions, { time: GENESIS.time + 6 });
    await assert.rejects(
      chain.acceptHeader(old.header, { now: NOW }),
      (e: unknown) => e instanceof BlockValidationError && e.code === "time-too-old",
    );
    assert.ok(chain.isKnownInvalid(old.hash()));
    const child = blockOn(pointOf(old, 12));
    await assert.rejects(
      chain.acceptHeader(child.header, { now: NOW }),
      (e: unknown) => e instanceof BlockValidationError && e.code === "bad-prevblk",
    );
    assert.ok(chain.isKnownInvalid(child.hash()));
    assert.equal(chain.bestHeader.hash, blocks.at(-1)!.hash());
  });

  it("locators and headers after a locator follow the main chain", async () => {
    const { chain } = await open();
    const blocks = emptyChain(GENESIS, 40);
    for (const block of blocks) await chain.processBlock(block, { now: NOW });
    const locator = chain.getLocator();
    assert.equal(locator[0], blocks.at(-1)!.hash());
    assert.equal(locator.at(-1), regtest.genesisHash);
    // Core's steps: one at a time while fewer than 11 hashes, then doubling; genesis last.
    assert.deepEqual(
      locator.map((h) => chain.getBlockInfo(h)!.height),
      [40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 27, 23, 15, 0],
    );
    const after = chain.headersAfter([blocks[9]!.hash(), "ff".repeat(32)], { max: 5 });
    assert.deepEqual(
      after.map((h) => h.hash()),
      blocks.slice(10, 15).map((b) => b.hash()),
    );
    const untilStop = chain.headersAfter([blocks[9]!.hash()], { stop: blocks[11]!.hash() });
    assert.equal(untilStop.length, 2);
    // An unknown locator starts from genesis.
    assert.equal(chain.headersAfter(["ee".repeat(32)])[0]!.hash(), blocks[0]!.hash());
  });
});
