import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import {
  type Block,
  checkBlock,
  checkProofOfWork,
  devnet,
  type NetworkParams,
  nextWorkRequired,
  regtest,
} from "@starling/chain";
import {
  type BlockTemplate,
  buildBlockTemplate,
  type ChainTip,
  createMiner,
  HeaderScanner,
  type MinerLogger,
  mineBlock,
  PowWorkerPool,
  templateCoinbase,
  templateHeader,
} from "../src/index.ts";

const payout = Uint8Array.of(0x51); // OP_TRUE

function genesisTip(params: NetworkParams): ChainTip {
  const header = params.genesis.header;
  return { height: 0, hash: params.genesis.hash(), time: header.time, medianTimePast: header.time };
}

/** An empty template on a network's genesis. */
function emptyTemplate(params: NetworkParams): BlockTemplate {
  const tip = genesisTip(params);
  return buildBlockTemplate({
    tip,
    bits: nextWorkRequired(params, tip),
    now: tip.time + 1,
    candidates: [],
    payoutScript: payout,
    network: params,
  });
}

/** The same template with a target no hash will meet in a test's lifetime. */
function impossible(template: BlockTemplate): BlockTemplate {
  return { ...template, bits: 0x03000001, target: 1n };
}

function assertMined(block: Block, template: BlockTemplate, params: NetworkParams): void {
  assert.equal(block.header.bits, template.bits);
  assert.ok(checkProofOfWork(block.hash(), block.header.bits, params.powLimitBits));
  checkBlock(block, params);
}

const messagePorts = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === "MessagePort").length;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("the proof-of-work search on worker threads", () => {
  const pool = new PowWorkerPool({ threads: 2 });
  after(() => pool.close());

  it("finds regtest blocks (powLimit 0x207fffff)", async () => {
    const template = emptyTemplate(regtest);
    assert.equal(template.bits, 0x207fffff);
    for (let i = 0; i < 3; i++) {
      const block = await mineBlock(template, { pool, extraNonce: BigInt(i) });
      assertMined(block, template, regtest);
    }
  });

  it("finds devnet-difficulty blocks (0x1f00ffff, about 65k hashes)", async () => {
    const template = emptyTemplate(devnet);
    assert.equal(template.bits, 0x1f00ffff);
    const before = pool.totalHashes();
    const block = await mineBlock(template, { pool });
    assertMined(block, template, devnet);
    assert.ok(pool.totalHashes() > before);
  });

  it("rolls the extra-nonce when a header's nonces hold no solution", async () => {
    const template = emptyTemplate(devnet);
    const perHeader = 4096;
    // Start at an extra-nonce whose header has no solution among its first nonces.
    let start = 0n;
    for (;;) {
      const header = templateHeader(template, templateCoinbase(template, start), template.time);
      const scan = new HeaderScanner(header.toBytes(), template.target).scan(0, perHeader);
      if (scan.nonce === undefined) break;
      start++;
    }
    const headers: { extraNonce: bigint; time: number }[] = [];
    const block = await mineBlock(template, {
      pool,
      extraNonce: start,
      noncesPerHeader: perHeader,
      now: () => template.time, // a clock that stands still: only the extra-nonce can roll
      onHeader: (job) => headers.push(job),
    });
    assertMined(block, template, devnet);
    assert.ok(headers.length >= 2, "at least one roll");
    headers.forEach((h, i) => {
      assert.equal(h.extraNonce, start + BigInt(i));
      assert.equal(h.time, template.time);
    });
    const last = headers[headers.length - 1]!;
    assert.equal(block.transactions[0]!.txid(), templateCoinbase(template, last.extraNonce).txid());
    assert.ok(block.header.nonce < perHeader);
  });

  it("rolls the time instead when the clock has moved", async () => {
    const template = impossible(emptyTemplate(regtest));
    let clock = template.time;
    const headers: { extraNonce: bigint; time: number }[] = [];
    const controller = new AbortController();
    const mining = mineBlock(template, {
      pool,
      signal: controller.signal,
      noncesPerHeader: 64,
      now: () => ++clock,
      onHeader: (job) => {
        headers.push(job);
        if (headers.length === 5) controller.abort();
      },
    });
    await assert.rejects(mining, { name: "AbortError" });
    assert.deepEqual(
      headers.map((h) => [h.extraNonce, h.time]),
      [0, 1, 2, 3, 4].map((i) => [0n, template.time + i]),
    );
  });

  it("stops on abort: the search rejects with AbortError and no worker keeps hashing", async () => {
    const controller = new AbortController();
    const mining = mineBlock(impossible(emptyTemplate(regtest)), {
      pool,
      signal: controller.signal,
    });
    const before = pool.totalHashes();
    await until(() => pool.totalHashes() > before);
    controller.abort();
    await assert.rejects(mining, { name: "AbortError" });
    assert.equal(pool.busy, false);
    const settled = pool.totalHashes();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(pool.totalHashes(), settled, "no hashing after the search settled");
    // The workers are free at once: the next search runs and finds.
    const block = await mineBlock(emptyTemplate(regtest), { pool });
    assert.ok(checkProofOfWork(block.hash(), block.header.bits, regtest.powLimitBits));
  });

  it("without a pool, starts its own workers and lets them exit when aborted", async () => {
    const portsBefore = messagePorts();
    const controller = new AbortController();
    const mining = mineBlock(impossible(emptyTemplate(regtest)), {
      threads: 2,
      signal: controller.signal,
    });
    await until(() => messagePorts() > portsBefore); // the workers are searching
    controller.abort();
    await assert.rejects(mining, { name: "AbortError" });
    assert.equal(messagePorts(), portsBefore);
  });

  it("rejects at once when the signal is already aborted", async () => {
    await assert.rejects(mineBlock(emptyTemplate(regtest), { pool, signal: AbortSignal.abort() }), {
      name: "AbortError",
    });
  });

  it("closes: the workers exit", async () => {
    const own = new PowWorkerPool({ threads: 2 });
    assert.equal(own.liveWorkers, 2);
    await own.close();
    assert.equal(own.liveWorkers, 0);
    await assert.rejects(own.search({ header: new Uint8Array(80), target: 1n }), {
      name: "MinerBusyError",
    });
  });
});

/** A chain stub whose tip tests replace, with hard bits so that the search never ends by itself. */
class MovingTip {
  tip: ChainTip = genesisTip(regtest);
  getTip(): ChainTip {
    return this.tip;
  }
  now(): number {
    return this.tip.time + 1;
  }
  nextBits(): number {
    return 0x1b00ffff;
  }
}

describe("the continuous miner", () => {
  it("mines blocks one after another and reports its hash rate", async () => {
    const connected: Block[] = [];
    let tip = genesisTip(regtest);
    const chain = {
      getTip: () => tip,
      now: () => tip.time + 1,
    };
    const metrics = { hashes: 0, rate: -1, found: 0, templates: [] as string[] };
    const miner = createMiner({
      chain,
      txSource: { getBlockCandidates: () => [] },
      network: regtest,
      payoutScript: payout,
      threads: 2,
      reportIntervalMs: 20,
      metrics: {
        addHashes: (n) => {
          metrics.hashes += n;
        },
        setHashRate: (r) => {
          metrics.rate = r;
        },
        blockFound: () => {
          metrics.found++;
        },
        templateBuilt: ({ reason }) => metrics.templates.push(reason),
      },
      onBlockFound: (block) => {
        assert.equal(block.header.prevBlock, tip.hash);
        connected.push(block);
        tip = {
          height: tip.height + 1,
          hash: block.hash(),
          time: block.header.time,
          medianTimePast: block.header.time,
        };
        miner.newTip();
      },
    });
    miner.start();
    assert.ok(miner.mining);
    await until(() => connected.length >= 3 && metrics.rate >= 0);
    await miner.stop();
    assert.equal(miner.mining, false);
    assert.ok(connected.length >= 3);
    for (const block of connected) {
      assert.ok(checkProofOfWork(block.hash(), block.header.bits, regtest.powLimitBits));
    }
    assert.equal(metrics.found, connected.length);
    assert.equal(metrics.templates[0], "first");
    assert.ok(metrics.templates.includes("new-tip"));
    assert.ok(metrics.hashes > 0);
    assert.ok(miner.totalHashes() >= connected.length);
  });

  it("moves to a new tip at once and stops promptly", async () => {
    const chain = new MovingTip();
    const searched: number[] = [];
    const logger: MinerLogger = {
      debug: (fields, message) => {
        if (message === "header") searched.push(fields.height as number);
      },
      info: () => {},
      warn: () => {},
      error: (fields) => assert.fail(String(fields.err)),
    };
    const miner = createMiner({
      chain,
      txSource: { getBlockCandidates: () => [] },
      network: regtest,
      payoutScript: payout,
      threads: 2,
      logger,
      onBlockFound: () => assert.fail("no block can be found at these bits"),
    });
    miner.start();
    await until(() => searched.length > 0 && miner.hashRate() > 0);
    assert.equal(miner.currentTemplate()?.height, 1);
    chain.tip = {
      height: 7,
      hash: "ab".repeat(32),
      time: chain.tip.time + 60,
      medianTimePast: chain.tip.time,
    };
    miner.newTip();
    await until(() => searched.includes(8));
    assert.equal(miner.currentTemplate()?.prevBlock, "ab".repeat(32));
    await miner.stop();
    await assert.rejects(miner.mineOne({ signal: AbortSignal.abort() }), { name: "AbortError" });
  });

  it("mines one block on demand, paying the script it is given", async () => {
    const other = Uint8Array.of(0x52); // OP_2
    const miner = createMiner({
      chain: { getTip: () => genesisTip(regtest), now: () => regtest.genesis.header.time + 1 },
      txSource: { getBlockCandidates: () => [] },
      network: regtest,
      payoutScript: payout,
      threads: 1,
      onBlockFound: () => assert.fail("mineOne does not hand blocks over"),
    });
    try {
      const block = await miner.mineOne({ payoutScript: other });
      assert.deepEqual(block.transactions[0]!.outputs[0]!.scriptPubKey, other);
      assert.equal(block.header.prevBlock, regtest.genesisHash);
      assert.ok(checkProofOfWork(block.hash(), block.header.bits, regtest.powLimitBits));
    } finally {
      await miner.close();
    }
  });

  it("refuses on-demand mining while mining continuously", async () => {
    const miner = createMiner({
      chain: new MovingTip(),
      txSource: { getBlockCandidates: () => [] },
      network: regtest,
      payoutScript: payout,
      threads: 1,
      onBlockFound: () => {},
    });
    miner.start();
    try {
      await assert.rejects(miner.mineOne(), { name: "MinerBusyError" });
      await assert.rejects(miner.generate(1), { name: "MinerBusyError" });
    } finally {
      await miner.stop();
    }
  });
});
