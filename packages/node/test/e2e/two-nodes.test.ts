/**
 * Two `starling` processes on loopback: B bootstraps to A by the multiaddr A reports, catches up,
 * then a block mined on A reaches B through gossip (B's first-sight record names A), and a
 * transaction sent on A reaches B's mempool.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { type SpawnedNode, spawnNode, waitFor } from "./spawn-node.ts";

const nodes: SpawnedNode[] = [];
const dirs: string[] = [];

after(async () => {
  for (const node of nodes) {
    if (node.child.exitCode === null) {
      node.child.kill("SIGTERM");
      await node.exited;
    }
  }
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

interface FirstSight {
  hash: string;
  kind: string;
  via: string;
  fromPeer: string | null;
  firstSeenMs: number;
}

test("a block and a transaction from A reach B by gossip", { timeout: 90_000 }, async () => {
  for (let i = 0; i < 2; i++) dirs.push(await mkdtemp(join(tmpdir(), `starling-two-${i}-`)));
  const a = await spawnNode(dirs[0]!);
  nodes.push(a);
  const payout = (await a.rpc("getnewaddress")) as string;
  await a.rpc("generatetoaddress", [101, payout]);

  const info = (await a.rpc("getnetworkinfo")) as { peerid: string; listenaddresses: string[] };
  const address = info.listenaddresses.find((m) => m.startsWith("/ip4/127.0.0.1/"));
  assert.ok(address !== undefined, "a loopback listen address");
  assert.ok(address.endsWith(`/p2p/${info.peerid}`), `ends in /p2p/<id>: ${address}`);

  const b = await spawnNode(dirs[1]!, ["--bootstrap", address]);
  nodes.push(b);
  await waitFor(
    "B connects to A",
    async () => ((await b.rpc("getconnectioncount")) as number) >= 1,
  );
  const peers = (await b.rpc("getpeerinfo")) as { peerid: string }[];
  assert.ok(peers.some((p) => p.peerid === info.peerid));
  await waitFor("B catches up with A", async () => (await b.rpc("getblockcount")) === 101, 60_000);
  // Blocks that came by the initial download name the peer that served them.
  const synced = (await b.rpc("getpropagation", [
    await a.rpc("getblockhash", [50]),
  ])) as FirstSight[];
  assert.equal(synced[0]?.via, "sync");
  assert.equal(synced[0]?.fromPeer, info.peerid);

  // The gossip mesh forms on gossipsub's heartbeat: mine until one block arrives by gossip.
  let gossiped: FirstSight | undefined;
  for (let attempt = 0; attempt < 20 && gossiped === undefined; attempt++) {
    const [hash] = (await a.rpc("generatetoaddress", [1, payout])) as string[];
    await waitFor("B reaches A's tip", async () => (await b.rpc("getbestblockhash")) === hash);
    const records = (await b.rpc("getpropagation", [hash])) as FirstSight[];
    assert.equal(records.length, 1, "one first sight per block");
    if (records[0]!.via === "gossip") gossiped = records[0];
  }
  assert.ok(gossiped !== undefined, "a block arrived through gossip");
  assert.equal(gossiped.kind, "block");
  assert.equal(gossiped.fromPeer, info.peerid);
  assert.equal(await b.rpc("getbestblockhash"), await a.rpc("getbestblockhash"));

  const since = gossiped.firstSeenMs;
  const inRange = (await b.rpc("getpropagation", [null, since, since])) as FirstSight[];
  assert.ok(
    inRange.some((r) => r.hash === gossiped.hash),
    "found by time range",
  );

  const recipient = (await b.rpc("getnewaddress")) as string;
  const txid = (await a.rpc("sendtoaddress", [recipient, 3])) as string;
  await waitFor("the transaction reaches B's mempool", async () =>
    ((await b.rpc("getrawmempool")) as string[]).includes(txid),
  );
  const [txSight] = (await b.rpc("getpropagation", [txid])) as FirstSight[];
  assert.equal(txSight?.via, "gossip");
  assert.equal(txSight?.kind, "tx");

  // Mined on A, the payment confirms on B and B's wallet sees it.
  await a.rpc("generatetoaddress", [1, payout]);
  await waitFor(
    "B confirms the payment",
    async () => ((await b.rpc("getrawmempool")) as string[]).length === 0,
  );
  await waitFor("B's wallet has the coins", async () => (await b.rpc("getbalance")) === 3);
});
