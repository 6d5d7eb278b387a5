/**
 * Issue 5's end-to-end check across packages: transactions admitted by the real mempool (scripts on
 * the real worker pool) are mined by the real miner into a regtest block that a full consensus
 * check accepts: packages by ancestor fee rate, parents before children, and a coinbase claiming
 * exactly subsidy plus fees. The chain here is a small in-memory one; the node's RocksDB-backed
 * chain state is tested in @starling/storage.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  type Block,
  type Coin,
  checkBlock,
  connectBlockChecks,
  contextualCheckBlock,
  generatePrivateKey,
  medianTimePast,
  outpointKey,
  p2pkhScript,
  p2pkhScriptSig,
  publicKeyFromPrivate,
  publicKeyHash,
  regtest,
  signInput,
  Transaction,
} from "@starling/chain";
import { createMempool, type Mempool } from "@starling/mempool";
import { type ChainTip, createBlockTemplate, mineBlock } from "@starling/miner";
import { createVerifyPool, type VerifyPool } from "../../src/index.ts";

const params = regtest;
const key = generatePrivateKey();
const publicKey = publicKeyFromPrivate(key);
const payout = p2pkhScript(publicKeyHash(publicKey));

/** A regtest chain in memory: blocks, times, and the UTXO set, every block fully checked. */
class MemoryChain {
  readonly blocks: Block[] = [params.genesis];
  readonly times: number[] = [params.genesis.header.time];
  readonly coins = new Map<string, Coin>();
  private clock = params.genesis.header.time;
  private readonly pool: VerifyPool;

  constructor(pool: VerifyPool) {
    this.pool = pool;
  }

  get height(): number {
    return this.blocks.length - 1;
  }

  now(): number {
    return this.clock;
  }

  mtpAt = (height: number): number => medianTimePast(this.times.slice(0, height + 1));

  tip(): ChainTip {
    const block = this.blocks[this.height]!;
    return {
      height: this.height,
      hash: block.hash(),
      time: block.header.time,
      medianTimePast: this.mtpAt(this.height),
    };
  }

  async connect(block: Block): Promise<void> {
    const height = this.height + 1;
    assert.equal(block.header.prevBlock, this.tip().hash);
    checkBlock(block, params);
    contextualCheckBlock(block, height, this.mtpAt(this.height));
    const view = {
      getCoin: (txid: string, index: number) => this.coins.get(outpointKey(txid, index)),
    };
    const result = connectBlockChecks(block, height, view, {
      params,
      medianTimePastAt: this.mtpAt,
    });
    assert.equal(await this.pool.run(result.scriptJobs), null, "every script of the block passes");
    for (const spent of result.spent) this.coins.delete(outpointKey(spent.txid, spent.index));
    for (const created of result.created)
      this.coins.set(outpointKey(created.txid, created.index), created.coin);
    this.blocks.push(block);
    this.times.push(block.header.time);
    this.clock = Math.max(this.clock, block.header.time) + 1;
  }
}

let pool: VerifyPool;
let chain: MemoryChain;
let mempool: Mempool;

async function mineNext(): Promise<Block> {
  const template = createBlockTemplate({
    chain: { getTip: () => chain.tip(), now: () => chain.now() },
    txSource: mempool,
    network: params,
    payoutScript: payout,
  });
  const block = await mineBlock(template, { threads: 1 });
  await chain.connect(block);
  mempool.blockConnected(block, chain.height);
  return block;
}

/** Spends `outpoint` (paying `value` to our key) into two outputs, leaving `fee`. */
function spend(prevTxid: string, prevIndex: number, value: bigint, fee: bigint): Transaction {
  const half = (value - fee) / 2n;
  const unsigned = new Transaction({
    version: 2,
    inputs: [{ prevTxid, prevIndex, scriptSig: new Uint8Array(), sequence: 0xffffffff }],
    outputs: [
      { value: half, scriptPubKey: payout },
      { value: value - fee - half, scriptPubKey: payout },
    ],
    locktime: 0,
  });
  const scriptSig = p2pkhScriptSig(signInput(unsigned, 0, key, payout), publicKey);
  return new Transaction({ ...unsigned, inputs: [{ ...unsigned.inputs[0]!, scriptSig }] });
}

before(async () => {
  pool = createVerifyPool({ threads: 2 });
  await pool.start();
  chain = new MemoryChain(pool);
  mempool = createMempool({
    chain: {
      params,
      tip: () => chain.tip(),
      getCoins: async (outpoints) =>
        outpoints.map((o) => chain.coins.get(outpointKey(o.txid, o.index))),
      medianTimePastAt: chain.mtpAt,
    },
    runner: pool,
    now: () => chain.now(),
  });
});

after(async () => {
  await pool.close();
});

test("mempool transactions are mined by ancestor fee rate, parents first, for subsidy plus fees", {
  timeout: 300_000,
}, async () => {
  // Coinbases mature after 100 blocks: mine 103 so that three are spendable.
  for (let i = 0; i < 103; i++) await mineNext();
  const coinbase = (height: number) => chain.blocks[height]!.transactions[0]!;
  const value = (height: number) => coinbase(height).outputs[0]!.value;

  const parent = spend(coinbase(1).txid(), 0, value(1), 2_000n); // cheap on its own
  const child = spend(parent.txid(), 0, parent.outputs[0]!.value, 60_000n); // pays for its parent
  const medium = spend(coinbase(2).txid(), 0, value(2), 10_000n);
  const rich = spend(coinbase(3).txid(), 0, value(3), 45_000n);
  for (const tx of [parent, child, medium, rich]) {
    const result = await mempool.submit(tx);
    assert.equal(result.status, "accepted", `${tx.txid()} accepted`);
  }
  assert.equal(mempool.count, 4);

  const block = await mineNext();
  const order = block.transactions.slice(1).map((t) => t.txid());
  const rate = (fee: bigint, size: number) => Number(fee) / size;
  const packageRate = rate(2_000n + 60_000n, parent.size() + child.size());
  assert.ok(
    rate(45_000n, rich.size()) > packageRate && packageRate > rate(10_000n, medium.size()),
    "fixture rates are ordered",
  );
  assert.deepEqual(order, [rich.txid(), parent.txid(), child.txid(), medium.txid()]);

  const fees = 2_000n + 60_000n + 10_000n + 45_000n;
  const subsidy = 50n * 100_000_000n; // regtest's first halving is at height 150
  const claimed = block.transactions[0]!.outputs.reduce((sum, o) => sum + o.value, 0n);
  assert.equal(claimed, subsidy + fees);
  assert.equal(mempool.count, 0, "the block's transactions left the mempool");
});
