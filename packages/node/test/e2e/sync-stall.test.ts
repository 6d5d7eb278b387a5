import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { PeerPenaltyEvent } from "@starling/network";
import { type HarnessNode, mine, nowMs, startNode, waitFor } from "../sync/harness.ts";

const nodes: HarnessNode[] = [];
after(() => Promise.all(nodes.map((n) => n.close())));

test("catching up from three peers when one stalls: sync completes and the staller is reported", async () => {
  const honest1 = await startNode({ noSync: true });
  const honest2 = await startNode({ noSync: true });
  // The staller has every block but its blocks handler never answers (until the request dies).
  const staller = await startNode({
    noSync: true,
    handlers: {
      getBlocks: (_hashes, context) =>
        new Promise<Uint8Array[]>((resolve) =>
          context.signal.addEventListener("abort", () => resolve([]), { once: true }),
        ),
    },
  });
  nodes.push(honest1, honest2, staller);
  const blocks = await mine(honest1.chain, 200);
  for (const node of [honest2, staller]) {
    for (const block of blocks) await node.chain.processBlock(block, { now: nowMs() / 1000 });
  }
  assert.equal(staller.chain.tip.hash, honest1.chain.tip.hash);

  const syncing = await startNode({ sync: { stallTimeoutMs: 1_000, requestTimeoutMs: 30_000 } });
  nodes.push(syncing);
  const penalties: PeerPenaltyEvent[] = [];
  syncing.network.addEventListener("peer:penalty", (e) => penalties.push(e.detail));

  // The staller first, alone: the head of the window goes to it.
  await syncing.network.dial(staller.address);
  await waitFor(() => syncing.chain.bestHeader.height === 200, "headers from the staller");
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(syncing.chain.height, 0, "nothing connects while only the staller serves blocks");

  const started = performance.now();
  await syncing.network.dial(honest1.address);
  await syncing.network.dial(honest2.address);
  await waitFor(() => syncing.chain.tip.hash === honest1.chain.tip.hash, "sync completes", 30_000);
  const ms = performance.now() - started;

  const reported = penalties.filter((p) => p.peer === staller.peerId);
  assert.ok(reported.length >= 1, "the staller was reported");
  assert.equal(reported[0]!.reason, "request-timeout");
  assert.ok(
    penalties.every((p) => p.peer === staller.peerId),
    "no honest peer was charged",
  );
  await waitFor(() => syncing.sync.status().state === "synced", "state becomes synced");
  assert.deepEqual(await syncing.commitment(), await honest1.commitment());
  console.log(`caught up 200 blocks past a staller in ${ms.toFixed(0)} ms`);
});
