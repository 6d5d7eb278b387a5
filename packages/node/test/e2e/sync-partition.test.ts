import assert from "node:assert/strict";
import { after, test } from "node:test";
import { type HarnessNode, mine, nowMs, startNode, waitFor } from "../sync/harness.ts";

const nodes: HarnessNode[] = [];
after(() => Promise.all(nodes.map((n) => n.close())));

test("a healed partition: every node ends on the heaviest chain with equal UTXO sets", async () => {
  // A shared history with matured coinbases, then two halves that mine apart.
  const sync = { statusRefreshIntervalMs: 500 };
  const [l1, l2, r1, r2] = await Promise.all([
    startNode({ sync }),
    startNode({ sync }),
    startNode({ sync }),
    startNode({ sync }),
  ]);
  nodes.push(l1!, l2!, r1!, r2!);
  const base = await mine(l1!.chain, 110);
  for (const node of [l2!, r1!, r2!]) {
    for (const block of base) await node.chain.processBlock(block, { now: nowMs() / 1000 });
  }
  await mine(l1!.chain, 20, { tag: 1 });
  await mine(r1!.chain, 26, { tag: 2 });
  assert.notEqual(l1!.chain.tip.hash, r1!.chain.tip.hash);

  // Each half connects and agrees on its own chain.
  await l2!.network.dial(l1!.address);
  await r2!.network.dial(r1!.address);
  await waitFor(() => l2!.chain.tip.hash === l1!.chain.tip.hash, "left half agrees");
  await waitFor(() => r2!.chain.tip.hash === r1!.chain.tip.hash, "right half agrees");
  assert.equal(l1!.chain.height, 130);
  assert.equal(r1!.chain.height, 136);

  // One link heals the partition; the far left node learns of it from its own peer's status.
  const started = performance.now();
  await l2!.network.dial(r1!.address);
  const heaviest = r1!.chain.tip;
  await waitFor(
    () => [l1!, l2!, r2!].every((n) => n.chain.tip.hash === heaviest.hash),
    "every node on the heaviest chain",
    40_000,
  );
  const ms = performance.now() - started;
  const commitments = await Promise.all([l1!, l2!, r1!, r2!].map((n) => n.commitment()));
  for (const c of commitments.slice(1)) assert.deepEqual(c, commitments[0]);
  for (const n of [l1!, l2!]) assert.equal(n.chain.bestHeader.hash, heaviest.hash);
  console.log(`partition healed in ${ms.toFixed(0)} ms (reorg of 20 blocks onto 26)`);
});
