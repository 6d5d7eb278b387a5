import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { equalBytes } from "@starling/chain";
import type { PeerStatusEvent } from "../../src/index.ts";
import {
  isConnected,
  nextEvent,
  OTHER_GENESIS,
  startNode,
  stopAll,
  TestChain,
  type TestNode,
  waitFor,
} from "../utils/fixtures.ts";

describe("status handshake", () => {
  const nodes: TestNode[] = [];
  after(() => stopAll(nodes));

  it("two hosts exchange their status on connect", async () => {
    const a = await startNode({ chain: new TestChain(3) });
    const b = await startNode({ chain: new TestChain(7) });
    nodes.push(a, b);
    const atA = nextEvent<PeerStatusEvent>(
      a.network,
      "peer:status",
      (e) => e.peer === b.network.peerId,
    );
    const atB = nextEvent<PeerStatusEvent>(
      b.network,
      "peer:status",
      (e) => e.peer === a.network.peerId,
    );
    await a.network.dial(b.address);
    const [seenByA, seenByB] = await Promise.all([atA, atB]);
    assert.equal(seenByA.status.bestHeight, 6);
    assert.ok(equalBytes(seenByA.status.bestHash, b.chain.status().bestHash));
    assert.equal(seenByA.status.chainWork, b.chain.status().chainWork);
    assert.equal(seenByA.direction, "outbound");
    assert.equal(seenByB.status.bestHeight, 2);
    assert.equal(seenByB.direction, "inbound");
    const info = a.network.peers().find((p) => p.peer === b.network.peerId);
    assert.ok(info, "b is listed among a's peers");
    assert.equal(info.status?.network, "regtest");
    assert.ok(info.addresses.length > 0);
    assert.ok(info.score >= 0, `honest peer score ${info.score}`);
  });

  it("a host of another genesis is disconnected and scored down", async () => {
    const a = await startNode();
    const stranger = await startNode({ genesisHash: OTHER_GENESIS });
    nodes.push(a, stranger);
    const penalty = nextEvent<{ peer: string; reason: string }>(
      a.network,
      "peer:penalty",
      (e) => e.peer === stranger.network.peerId,
    );
    await stranger.network.dial(a.address).catch(() => {});
    const event = await penalty;
    assert.equal(event.reason, "wrong-chain");
    await waitFor(
      () =>
        a.network.libp2p
          .getConnections()
          .every((c) => !c.remotePeer.equals(stranger.network.libp2p.peerId)),
      "the stranger's connection is closed",
    );
    assert.ok(!isConnected(a, stranger));
    assert.ok(!isConnected(stranger, a));
  });

  it("a host of another network (other protocol ids) is disconnected too", async () => {
    const a = await startNode();
    const stranger = await startNode({ network: "devnet" });
    nodes.push(a, stranger);
    const penalty = nextEvent<{ peer: string; reason: string }>(
      a.network,
      "peer:penalty",
      (e) => e.peer === stranger.network.peerId,
    );
    await a.network.dial(stranger.address).catch(() => {});
    assert.equal((await penalty).reason, "wrong-chain");
    await waitFor(
      () => a.network.libp2p.getConnections(stranger.network.libp2p.peerId).length === 0,
      "the connection to the other network is closed",
    );
  });
});
