import assert from "node:assert/strict";
import { it } from "node:test";
import { equalBytes, hashToHex, sha256d } from "@starling/chain";
import type { GossipMessageEvent } from "../../src/index.ts";
import {
  makeBlock,
  makeTx,
  nextEvent,
  startNode,
  stopAll,
  type TestNode,
  waitFor,
} from "../utils/fixtures.ts";

const HOSTS = 8;

/** Peers with a completed handshake, other than `except`. */
function peersBesides(node: TestNode, except: string): number {
  return node.network.peers().filter((p) => p.status !== null && p.peer !== except).length;
}

it("8 hosts that know one bootstrap host find each other through the DHT and gossip blocks and txs", async (t) => {
  const nodes: TestNode[] = [];
  t.after(() => stopAll(nodes));
  const boot = await startNode();
  nodes.push(boot);
  const hosts: TestNode[] = [];
  for (let i = 0; i < HOSTS; i++) {
    const host = await startNode({ bootstrap: [boot.address] });
    hosts.push(host);
    nodes.push(host);
  }
  const bootId = boot.network.peerId;
  await waitFor(
    () => hosts.every((h) => peersBesides(h, bootId) >= 3),
    `every host has >= 3 peers besides the bootstrap host (${hosts.map((h) => peersBesides(h, bootId))})`,
    45_000,
  );

  await boot.network.stop();
  await waitFor(
    () => hosts.every((h) => !h.network.peers().some((p) => p.peer === bootId)),
    "the bootstrap host is gone from every table",
  );
  for (const [i, h] of hosts.entries()) {
    assert.ok(
      peersBesides(h, bootId) >= 3,
      `host ${i} stays connected (${peersBesides(h, bootId)})`,
    );
  }

  // And the remaining graph still carries gossip to everyone.
  const block = makeBlock(new Uint8Array(32), 4242, 1000);
  const id = hashToHex(sha256d(block.subarray(0, 80)));
  const arrivals = hosts
    .slice(1)
    .map((h) =>
      nextEvent<GossipMessageEvent>(h.network, "gossip:block", (e) => e.msgId === id, 20_000),
    );
  // Gossipsub learns subscriptions over its own streams, a little after the connections: publish
  // once every host knows at least three subscribers and has a mesh.
  await waitFor(
    () =>
      hosts.every(
        (h) => h.network.topicPeers("block").length >= 3 && h.network.meshPeers("block").length > 0,
      ),
    "every host has a block mesh",
  );
  await hosts[0]!.network.publishBlock(block);
  for (const got of await Promise.all(arrivals)) assert.ok(equalBytes(got.bytes, block));

  // A transaction reaches every host too, from another origin.
  const tx = makeTx(200);
  const txid = hashToHex(sha256d(tx));
  const txArrivals = hosts
    .filter((_, i) => i !== 3)
    .map((h) =>
      nextEvent<GossipMessageEvent>(h.network, "gossip:tx", (e) => e.msgId === txid, 20_000),
    );
  await waitFor(
    () =>
      hosts.every(
        (h) => h.network.topicPeers("tx").length >= 3 && h.network.meshPeers("tx").length > 0,
      ),
    "every host has a tx mesh",
  );
  await hosts[3]!.network.publishTx(tx);
  for (const got of await Promise.all(txArrivals)) assert.ok(equalBytes(got.bytes, tx));
});
