import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { peerIdFromString } from "@libp2p/peer-id";
import { Block } from "@starling/chain";
import {
  type BanEntry,
  type PeerPenaltyEvent,
  RemoteError,
  RequestTimeoutError,
} from "../../src/index.ts";
import {
  connect,
  makeBlock,
  nextEvent,
  type RecordingValidators,
  startNode,
  stopAll,
  type TestNode,
  waitFor,
  waitForMesh,
} from "../utils/fixtures.ts";

const ZERO = new Uint8Array(32);

/** A validator as the node would have it: bytes that do not decode as a block are rejected. */
function decodingValidator(validators: RecordingValidators): void {
  validators.blockVerdict = (bytes) => {
    Block.fromBytes(bytes);
    return "accept";
  };
}

function penaltyFor(node: TestNode, offender: TestNode, reason: string): Promise<PeerPenaltyEvent> {
  return nextEvent<PeerPenaltyEvent>(
    node.network,
    "peer:penalty",
    (e) => e.peer === offender.network.peerId && e.reason === reason,
  );
}

describe("hostile peers", () => {
  let nodes: TestNode[] = [];
  afterEach(async () => {
    await stopAll(nodes);
    nodes = [];
  });

  async function pair(): Promise<[TestNode, TestNode]> {
    const victim = await startNode({ dht: false });
    const attacker = await startNode({ dht: false });
    nodes.push(victim, attacker);
    await connect(attacker, victim);
    return [victim, attacker];
  }

  it("an oversized frame resets the stream and costs the sender", async () => {
    const [victim, attacker] = await pair();
    const penalty = penaltyFor(victim, attacker, "oversized-frame");
    const stream = await attacker.network.libp2p.dialProtocol(
      peerIdFromString(victim.network.peerId),
      "/starling/regtest/headers/1",
    );
    const closed = new Promise<Event & { error?: Error }>((resolve) =>
      stream.addEventListener("close", (e) => resolve(e as Event & { error?: Error }), {
        once: true,
      }),
    );
    // A varint length prefix of 10 MB, then a first slice of the "payload".
    stream.send(Uint8Array.of(0x80, 0xad, 0xe2, 0x04));
    stream.send(new Uint8Array(4096));
    const event = await penalty;
    assert.equal(event.points, 50);
    const close = await closed;
    assert.ok(close.error !== undefined, "the stream was reset, not closed cleanly");
  });

  it("a request flood is rate limited and penalised", async () => {
    const [victim, attacker] = await pair();
    const penalty = penaltyFor(victim, attacker, "rate-limited");
    let ok = 0;
    let limited = 0;
    for (let i = 0; i < 30; i++) {
      try {
        await attacker.network.requestHeaders(victim.network.peerId, [], ZERO, { max: 1 });
        ok++;
      } catch (err) {
        assert.ok(err instanceof RemoteError, `unexpected ${String(err)}`);
        assert.equal(err.code, "RATE_LIMITED");
        limited++;
      }
      if (limited >= 3) break;
    }
    assert.ok(ok >= 20 && ok <= 24, `the burst of 20 went through (${ok})`);
    assert.equal(limited, 3);
    await penalty;
    const info = victim.network.peers().find((p) => p.peer === attacker.network.peerId);
    assert.ok(info !== undefined && info.misbehaviour > 29, `misbehaviour ${info?.misbehaviour}`);
  });

  it("malformed gossip bytes are rejected and the sender's score falls", async () => {
    const [victim, attacker] = await pair();
    decodingValidator(victim.validators);
    await waitForMesh(victim, attacker, "block");
    const penalty = penaltyFor(victim, attacker, "invalid-gossip");
    const verdict = nextEvent<{ verdict: string; from: string }>(
      victim.network,
      "gossip:validated",
    );
    await attacker.network.publishBlock(makeBlock(ZERO, 77, 3));
    assert.equal((await verdict).verdict, "reject");
    await penalty;
    await waitFor(() => {
      const info = victim.network.peers().find((p) => p.peer === attacker.network.peerId);
      return info !== undefined && info.gossipScore < 0 && info.score < 0;
    }, "gossipsub's score of the sender turns negative");
    assert.equal(victim.validators.seen.length, 1);
  });

  it("a peer that opens a stream and never answers: the deadline fires and nothing hangs", async () => {
    const [victim, silent] = await pair();
    const protocol = "/starling/regtest/headers/1";
    await silent.network.libp2p.unhandle(protocol);
    await silent.network.libp2p.handle(protocol, () => {
      // Accepts the stream, reads nothing, answers nothing.
    });
    const started = Date.now();
    await assert.rejects(
      victim.network.requestHeaders(silent.network.peerId, [], ZERO, { timeoutMs: 400 }),
      RequestTimeoutError,
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 390 && elapsed < 3000, `deadline honoured (${elapsed} ms)`);
    const controller = new AbortController();
    const pending = victim.network.requestHeaders(silent.network.peerId, [], ZERO, {
      signal: controller.signal,
    });
    controller.abort();
    await assert.rejects(pending, (err: Error) => err.name === "AbortError");
    const info = victim.network.peers().find((p) => p.peer === silent.network.peerId);
    assert.ok(info !== undefined && info.misbehaviour > 0, "a timeout costs a little");
    // The victim still answers others.
    const other = await startNode({ dht: false });
    nodes.push(other);
    await connect(other, victim);
    assert.equal((await other.network.requestHeaders(victim.network.peerId, [], ZERO)).length, 5);
  });

  it("repeated invalid data ends in a ban with reason and expiry, and reconnects are refused", async () => {
    const [victim, attacker] = await pair();
    victim.validators.blockVerdict = () => "reject";
    await waitForMesh(victim, attacker, "block");
    const banned = nextEvent<BanEntry>(victim.network, "peer:ban");
    const before = Date.now();
    // After the first reject the victim prunes the attacker from its mesh; a hostile node keeps
    // sending anyway, which flood publishing does.
    const pubsub = attacker.network.libp2p.services.pubsub as unknown as {
      publish(topic: string, data: Uint8Array, opts: { floodPublish: boolean }): Promise<unknown>;
    };
    for (let i = 0; i < 5; i++) {
      const bad = makeBlock(ZERO, 300 + i);
      await pubsub.publish(attacker.network.topics.block, bad, { floodPublish: true });
    }
    const ban = await banned;
    assert.equal(ban.peer, attacker.network.peerId);
    assert.match(ban.reason, /invalid-gossip/);
    const listed = victim.network.listBans();
    assert.equal(listed.length, 1);
    assert.equal(listed[0]!.peer, attacker.network.peerId);
    assert.ok(listed[0]!.expiresAt >= before + victim.network.options.banDurationMs);
    await waitFor(
      () => !victim.network.peers().some((p) => p.peer === attacker.network.peerId),
      "the banned peer is disconnected",
    );
    const reconnects: string[] = [];
    victim.network.libp2p.addEventListener("peer:connect", (e) =>
      reconnects.push(e.detail.toString()),
    );
    // The attacker's dial may get as far as the noise handshake; the victim's gater then refuses it.
    await attacker.network.dial(victim.address).catch(() => {});
    const victimId = victim.network.libp2p.peerId;
    await waitFor(
      () => attacker.network.libp2p.getConnections(victimId).length === 0,
      "the victim closes the banned peer's connection",
    );
    await assert.rejects(victim.network.dial(attacker.address), "no dial to a banned peer");
    assert.deepEqual(reconnects, [], "the banned peer never got a connection through");
    assert.ok(!victim.network.peers().some((p) => p.peer === attacker.network.peerId));
    assert.equal(await victim.network.unban(attacker.network.peerId), true);
    await connect(attacker, victim);
  });
});
