/**
 * Issue 4's hostile peer against a full node: a libp2p peer on the right network gossips a block
 * with valid proof of work that breaks a consensus rule. The node rejects it, bans the sender with
 * a reason and an expiry, refuses its reconnection, and stays synced and responsive.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { hexToHash, regtest } from "@starling/chain";
import { blockOn } from "@starling/chain/testing";
import { createNetwork, type Network } from "@starling/network";
import { type SpawnedNode, spawnNode } from "./spawn-node.ts";

const dirs: string[] = [];
let node: SpawnedNode | undefined;
let hostile: Network | undefined;
after(async () => {
  await hostile?.stop().catch(() => {});
  if (node !== undefined && node.child.exitCode === null) {
    node.child.kill("SIGTERM");
    await node.exited;
  }
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a peer gossiping an invalid block with valid work is banned; the node stays synced", {
  timeout: 90_000,
}, async () => {
  dirs.push(await mkdtemp(join(tmpdir(), "starling-hostile-")));
  node = await spawnNode(dirs[0]!);
  const target = node;
  await target.rpc("generatetoaddress", [5, await target.rpc("getnewaddress")]);
  const tipHash = (await target.rpc("getbestblockhash")) as string;
  const tipHeader = (await target.rpc("getblockheader", [tipHash])) as {
    time: number;
    height: number;
  };
  const info = (await target.rpc("getnetworkinfo")) as {
    peerid: string;
    listenaddresses: string[];
  };
  const address = info.listenaddresses.find((m) => m.startsWith("/ip4/127.0.0.1/"))!;

  // The attacker claims the node's own network and genesis, so the handshake lets it in.
  hostile = await createNetwork(
    {
      network: "regtest",
      genesisHash: regtest.genesisHash,
      listen: ["/ip4/127.0.0.1/tcp/0"],
      allowPrivateAddresses: true,
      dht: false,
      gossip: { heartbeatIntervalMs: 200 },
    },
    {
      chainStatus: () => ({
        bestHeight: 0,
        bestHash: hexToHash(regtest.genesisHash),
        chainWork: 2n,
      }),
      validators: { validateBlock: async () => "accept", validateTx: async () => "accept" },
      handlers: {
        getHeaders: () => [],
        getBlocks: async () => [],
        getMempoolTxids: () => [],
        getTxs: () => [],
      },
    },
  );
  await hostile.start();
  const attacker = hostile;
  await attacker.dial(address);
  await waitFor(
    "the attacker to join the node's block mesh",
    () => attacker.meshPeers("block").length > 0,
  );

  // Valid header, valid work, on the node's tip; the coinbase claims twice the subsidy.
  const parent = { hash: tipHash, height: tipHeader.height, time: tipHeader.time };
  const bad = blockOn(parent, [], { coinbaseOutputs: [{ value: 100n * 100_000_000n }] });
  await attacker.publishBlock(bad.toBytes());

  await waitFor("the attacker to be banned", async () => {
    const bans = (await target.rpc("listbanned")) as { address: string; ban_reason?: string }[];
    return bans.some((b) => b.address.includes(attacker.peerId.toString()));
  });
  const bans = (await target.rpc("listbanned")) as Record<string, unknown>[];
  const ban = bans.find((b) => String(b.address).includes(attacker.peerId.toString()))!;
  assert.ok(
    Number(ban.banned_until) > Date.now() / 1000,
    `an expiry in the future: ${JSON.stringify(ban)}`,
  );
  await waitFor("the attacker to be disconnected", async () => {
    const peers = (await target.rpc("getpeerinfo")) as { peerid: string }[];
    return !peers.some((p) => p.peerid === attacker.peerId.toString());
  });

  // Still synced and responsive: same tip, the bad block unknown as a tip, RPC answering.
  assert.equal(await target.rpc("getbestblockhash"), tipHash);
  assert.equal(await target.rpc("getblockcount"), 5);
  await target.rpc("generatetoaddress", [1, await target.rpc("getnewaddress")]);
  assert.equal(await target.rpc("getblockcount"), 6);

  // A redial is refused: the node never lists the banned peer again.
  await attacker.dial(address).catch(() => {});
  const peersAfter = (await target.rpc("getpeerinfo")) as { peerid: string }[];
  assert.ok(
    !peersAfter.some((p) => p.peerid === attacker.peerId.toString()),
    "the banned peer is not let back in",
  );
});
