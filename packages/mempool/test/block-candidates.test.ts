import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getBlockSubsidy, type Transaction } from "@starling/chain";
import type { BlockCandidate } from "../src/index.ts";
import { createFixture, output, spend } from "./helpers/fixture.ts";

/** What a block assembler does with the candidates: each with its missing ancestors first. */
function assemble(candidates: readonly BlockCandidate[]): { txs: Transaction[]; fees: bigint } {
  const byTxid = new Map(candidates.map((c) => [c.txid, c]));
  const included = new Set<string>();
  const txs: Transaction[] = [];
  let fees = 0n;
  const include = (c: BlockCandidate): void => {
    if (included.has(c.txid)) return;
    for (const parent of c.parents) include(byTxid.get(parent)!);
    included.add(c.txid);
    txs.push(c.tx);
    fees += c.fee;
  };
  for (const c of candidates) include(c);
  return { txs, fees };
}

describe("block candidates", () => {
  it("come by ancestor score: a child paying for its parent goes before a medium one", async () => {
    const f = createFixture();
    const parent = spend({ inputs: [f.coins[0]!], fee: 1_000n });
    const child = spend({ inputs: [output(parent, 0)], fee: 100_000n });
    const medium = spend({ inputs: [f.coins[1]!], fee: 20_000n });
    const high = spend({ inputs: [f.coins[2]!], fee: 80_000n });
    for (const tx of [parent, child, medium, high]) await f.mempool.submit(tx);
    const candidates = f.mempool.getBlockCandidates();
    assert.deepEqual(
      candidates.map((c) => c.txid),
      [high, child, medium, parent].map((tx) => tx.txid()),
    );
    const c = candidates[1]!;
    assert.deepEqual(c.parents, [parent.txid()]);
    assert.equal(c.fee, 100_000n);
    assert.equal(c.ancestorFee, 101_000n);
    assert.equal(c.ancestorSize, parent.size() + child.size());
    assert.equal(c.ancestorCount, 2);
    assert.equal(c.sigops, 1);
    assert.equal(c.ancestorScore, (101_000n * 1000n) / BigInt(c.ancestorSize));
    // Scores never increase down the list.
    for (let i = 1; i < candidates.length; i++) {
      assert.ok(candidates[i - 1]!.ancestorScore >= candidates[i]!.ancestorScore);
    }
  });

  it("use modified fees for the order and base fees for the coinbase", async () => {
    const f = createFixture();
    const a = spend({ inputs: [f.coins[0]!], fee: 10_000n });
    const b = spend({ inputs: [f.coins[1]!], fee: 20_000n });
    await f.mempool.submit(a);
    await f.mempool.submit(b);
    f.mempool.prioritise(a.txid(), 50_000n);
    const [first] = f.mempool.getBlockCandidates();
    assert.equal(first!.txid, a.txid());
    assert.equal(first!.fee, 10_000n);
    assert.equal(first!.modifiedFee, 60_000n);
  });

  it("make a block that connects, parents first, the coinbase claiming subsidy plus fees", async () => {
    const f = createFixture({ coins: 20 });
    const txs: Transaction[] = [];
    for (let i = 0; i < 10; i++) {
      const parent = spend({ inputs: [f.coins[i]!], fee: BigInt(1_000 + i * 3_000) });
      txs.push(parent, spend({ inputs: [output(parent, 0)], fee: BigInt(40_000 - i * 3_500) }));
    }
    for (const tx of txs.reverse()) await f.mempool.submit(tx, { peer: "p" });
    await f.mempool.idle();
    assert.equal(f.mempool.count, 20);
    const { txs: template, fees } = assemble(f.mempool.getBlockCandidates());
    const expectedFees = f.mempool.info().total_fee;
    assert.equal(fees, expectedFees);
    const block = f.chain.mine(template, { fees });
    f.chain.connect(block);
    const height = f.chain.height;
    assert.equal(
      block.transactions[0]!.outputs[0]!.value,
      getBlockSubsidy(height, f.chain.params) + fees,
    );
    f.mempool.blockConnected(block, height);
    assert.equal(f.mempool.count, 0);
  });
});
