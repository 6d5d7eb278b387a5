import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { equalBytes, hashToHex, sha256d } from "@starling/chain";
import type {
  GossipFirstSightEvent,
  GossipMessageEvent,
  GossipValidatedEvent,
} from "../../src/index.ts";
import {
  connect,
  makeBlock,
  makeTx,
  nextEvent,
  startNode,
  stopAll,
  type TestNode,
  waitFor,
  waitForMesh,
} from "../utils/fixtures.ts";

const LINE = 5;

describe("gossip across a line of 5 hosts", () => {
  const nodes: TestNode[] = [];
  before(async () => {
    // No DHT and a small target: the topology must stay a line for the test to mean anything.
    for (let i = 0; i < LINE; i++) nodes.push(await startNode({ dht: false, targetPeers: 2 }));
    for (let i = 0; i + 1 < LINE; i++) await connect(nodes[i]!, nodes[i + 1]!);
    for (let i = 0; i + 1 < LINE; i++) {
      await waitForMesh(nodes[i]!, nodes[i + 1]!, "block");
      await waitForMesh(nodes[i]!, nodes[i + 1]!, "tx");
    }
  });
  after(() => stopAll(nodes));

  it("a block reaches the end of the line under its block hash, with first-sight records", async () => {
    const block = makeBlock(new Uint8Array(32), 1001, 5000);
    const blockHash = hashToHex(sha256d(block.subarray(0, 80)));
    const last = nodes[LINE - 1]!;
    const sights = nodes
      .slice(1)
      .map((n) =>
        nextEvent<GossipFirstSightEvent>(
          n.network,
          "gossip:first-sight",
          (e) => e.msgId === blockHash,
        ),
      );
    const validated = nextEvent<GossipValidatedEvent>(
      last.network,
      "gossip:validated",
      (e) => e.msgId === blockHash,
    );
    const received = nextEvent<GossipMessageEvent>(
      last.network,
      "gossip:block",
      (e) => e.msgId === blockHash,
    );
    const published = await nodes[0]!.network.publishBlock(block);
    assert.equal(published.msgId, blockHash);
    assert.equal(published.duplicate, false);
    assert.equal(published.recipients, 1);
    const got = await received;
    assert.ok(equalBytes(got.bytes, block));
    assert.equal(got.from, nodes[LINE - 2]!.network.peerId, "came from its neighbour");
    for (const [i, sight] of (await Promise.all(sights)).entries()) {
      assert.equal(sight.kind, "block");
      assert.equal(sight.size, block.length);
      assert.equal(sight.from, nodes[i]!.network.peerId, `node ${i + 1} got it from node ${i}`);
      assert.ok(sight.receivedAt > 0);
    }
    const v = await validated;
    assert.equal(v.verdict, "accept");
    assert.ok(v.validationMs >= 0);
  });

  it("a transaction travels under its txid, and a duplicate publish sends nothing", async () => {
    const tx = makeTx(250);
    const txid = hashToHex(sha256d(tx));
    const last = nodes[LINE - 1]!;
    const received = nextEvent<GossipMessageEvent>(
      last.network,
      "gossip:tx",
      (e) => e.msgId === txid,
    );
    const first = await nodes[0]!.network.publishTx(tx);
    assert.equal(first.msgId, txid);
    assert.ok(equalBytes((await received).bytes, tx));
    const again = await nodes[0]!.network.publishTx(tx);
    assert.equal(again.duplicate, true);
    assert.equal(again.recipients, 0);
    // The node in the middle has seen it: publishing it there is a duplicate too.
    assert.equal((await nodes[2]!.network.publishTx(tx)).duplicate, true);
    const validatedOnce = nodes[2]!.validators.seen.filter(
      (s) => s.kind === "tx" && s.size === 250,
    );
    assert.equal(validatedOnce.length, 1, "each node validates a message once");
  });

  it("a reject stops propagation and lowers the sender's score", async () => {
    const judge = nodes[2]!;
    const sender = nodes[1]!;
    judge.validators.blockVerdict = (bytes) => (bytes[80] === 0xee ? "reject" : "accept");
    const bad = makeBlock(new Uint8Array(32), 2002, 300);
    bad[80] = 0xee;
    const good = makeBlock(new Uint8Array(32), 2003, 300);
    good[80] = 0x01;
    const badId = hashToHex(sha256d(bad.subarray(0, 80)));
    const goodId = hashToHex(sha256d(good.subarray(0, 80)));
    const beyond = nodes[3]!;
    const beyondSights: string[] = [];
    beyond.network.addEventListener("gossip:first-sight", (e) => beyondSights.push(e.detail.msgId));
    const rejected = nextEvent<GossipValidatedEvent>(
      judge.network,
      "gossip:validated",
      (e) => e.msgId === badId,
    );
    await nodes[0]!.network.publishBlock(bad);
    const verdict = await rejected;
    assert.equal(verdict.verdict, "reject");
    assert.equal(verdict.from, sender.network.peerId);
    // The good block follows the same path; by the time it arrives, the bad one would have too.
    const goodArrived = nextEvent<GossipMessageEvent>(
      beyond.network,
      "gossip:block",
      (e) => e.msgId === goodId,
    );
    await nodes[0]!.network.publishBlock(good);
    await goodArrived;
    assert.ok(!beyondSights.includes(badId), "the rejected block went no further");
    await waitFor(() => {
      const info = judge.network.peers().find((p) => p.peer === sender.network.peerId);
      return info !== undefined && info.score < 0 && info.misbehaviour > 0;
    }, "the sender's score at the judge falls below zero");
    const honest = judge.network.peers().find((p) => p.peer === nodes[3]!.network.peerId);
    assert.ok(honest !== undefined && honest.score >= 0, "the other neighbour keeps a score >= 0");
  });
});
