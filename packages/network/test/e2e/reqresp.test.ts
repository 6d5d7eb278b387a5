import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { equalBytes, sha256d } from "@starling/chain";
import {
  InvalidRequestError,
  ProtocolViolationError,
  type ReqRespHandlers,
} from "../../src/index.ts";
import {
  connect,
  headerHash,
  makeTx,
  startNode,
  stopAll,
  TestChain,
  type TestNode,
} from "../utils/fixtures.ts";

const ZERO = new Uint8Array(32);

describe("request/response with injected handlers", () => {
  const serverChain = new TestChain(50, 1000);
  const mempool = [makeTx(150), makeTx(300), makeTx(90)];
  let server: TestNode;
  let client: TestNode;
  let liar: TestNode;

  before(async () => {
    const handlers: ReqRespHandlers = {
      ...serverChain.handlers(),
      getMempoolTxids: (max) => mempool.slice(0, max).map((tx) => sha256d(tx)),
      getTxs: (ids) => ids.flatMap((id) => mempool.filter((tx) => equalBytes(sha256d(tx), id))),
    };
    server = await startNode({ chain: serverChain, handlers, dht: false });
    client = await startNode({ chain: new TestChain(1), dht: false });
    // Answers every txs request with a transaction nobody asked for.
    liar = await startNode({
      dht: false,
      handlers: { ...new TestChain(1).handlers(), getTxs: () => [makeTx(100)] },
    });
    await connect(client, server);
    await connect(client, liar);
  });
  after(() => stopAll([server, client, liar]));

  it("headers by locator follow getheaders semantics", async () => {
    const peer = server.network.peerId;
    const all = await client.network.requestHeaders(peer, [], ZERO);
    assert.equal(all.length, 50);
    for (const [i, h] of all.entries()) {
      assert.ok(equalBytes(h, serverChain.blocks[i]!.subarray(0, 80)), `header ${i}`);
    }

    const unknown = new Uint8Array(32).fill(7);
    const after9 = await client.network.requestHeaders(
      peer,
      [unknown, serverChain.hashes[9]!],
      ZERO,
    );
    assert.equal(after9.length, 40, "starts after the first locator hash it knows");
    assert.ok(equalBytes(headerHash(after9[0]!), serverChain.hashes[10]!));

    const stopped = await client.network.requestHeaders(
      peer,
      [serverChain.hashes[9]!],
      serverChain.hashes[19]!,
    );
    assert.equal(stopped.length, 10, "ends at the stop hash");
    const capped = await client.network.requestHeaders(peer, [], ZERO, { max: 5 });
    assert.equal(capped.length, 5);
    await assert.rejects(
      client.network.requestHeaders(peer, [], ZERO, { max: 2001 }),
      InvalidRequestError,
    );
  });

  it("blocks by hash stream back in the order asked, unknown ones left out", async () => {
    const wanted = [serverChain.hashes[3]!, new Uint8Array(32).fill(9), serverChain.hashes[40]!];
    const got: Uint8Array[] = [];
    for await (const block of client.network.requestBlocks(server.network.peerId, wanted)) {
      got.push(block);
    }
    assert.equal(got.length, 2);
    assert.ok(equalBytes(got[0]!, serverChain.blocks[3]!));
    assert.ok(equalBytes(got[1]!, serverChain.blocks[40]!));
    const seventeen = serverChain.hashes.slice(0, 17);
    await assert.rejects(async () => {
      for await (const _ of client.network.requestBlocks(server.network.peerId, seventeen)) {
        // never reached
      }
    }, InvalidRequestError);
  });

  it("a consumer may stop reading blocks early", async () => {
    let n = 0;
    for await (const _ of client.network.requestBlocks(
      server.network.peerId,
      serverChain.hashes.slice(0, 16),
    )) {
      if (++n === 2) break;
    }
    assert.equal(n, 2);
    // The connection is still good for the next request.
    const again = await client.network.requestHeaders(server.network.peerId, [], ZERO, { max: 1 });
    assert.equal(again.length, 1);
  });

  it("mempool txids and transactions by id", async () => {
    const txids = await client.network.requestMempool(server.network.peerId);
    assert.equal(txids.length, 3);
    const txs = await client.network.requestTxs(server.network.peerId, [txids[2]!, txids[0]!]);
    assert.equal(txs.length, 2);
    assert.ok(equalBytes(txs[0]!, mempool[2]!));
    assert.ok(equalBytes(txs[1]!, mempool[0]!));
  });

  it("an answer with unrequested data is a protocol violation and costs the peer", async () => {
    await assert.rejects(
      client.network.requestTxs(liar.network.peerId, [sha256d(mempool[0]!)]),
      ProtocolViolationError,
    );
    const info = client.network.peers().find((p) => p.peer === liar.network.peerId);
    assert.ok(info !== undefined && info.misbehaviour > 0, "the liar was penalised");
  });
});
