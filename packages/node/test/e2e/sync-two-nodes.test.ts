import assert from "node:assert/strict";
import { after, test } from "node:test";
import { type HarnessNode, mine, startNode, waitFor } from "../sync/harness.ts";

const nodes: HarnessNode[] = [];
after(() => Promise.all(nodes.map((n) => n.close())));

test("an empty node bootstraps to a peer with 300 blocks and reaches its tip and UTXO set", async () => {
  const a = await startNode();
  nodes.push(a);
  const started = performance.now();
  const mined = await mine(a.chain, 300);
  const txs = mined.reduce((n, b) => n + b.transactions.length - 1, 0);
  assert.ok(txs > 300, `the chain holds transactions (${txs})`);
  const mineMs = performance.now() - started;

  const b = await startNode({ network: { bootstrap: [a.address] } });
  nodes.push(b);
  assert.equal(b.chain.height, 0);
  const syncStarted = performance.now();
  const synced = new Promise((resolve) => b.sync.events.addEventListener("synced", resolve));
  await waitFor(() => b.chain.tip.hash === a.chain.tip.hash, "B reaches A's tip");
  await synced;
  const syncMs = performance.now() - syncStarted;
  assert.equal(b.sync.status().state, "synced");
  assert.equal(b.sync.status().blockHeight, 300);
  assert.equal(b.sync.status().progress, 1);
  assert.deepEqual(await b.commitment(), await a.commitment());
  // Nobody was charged for anything.
  const aPeer = b.network.peers().find((p) => p.peer === a.peerId);
  assert.equal(aPeer?.misbehaviour ?? 0, 0);
  console.log(
    `mined 300 blocks / ${txs} txs in ${mineMs.toFixed(0)} ms; synced in ${syncMs.toFixed(0)} ms`,
  );
});
