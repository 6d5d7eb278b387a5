/**
 * The `starling` CLI end to end: a regtest node in a child process, Bitcoin Core's RPC shapes, the
 * wallet receiving mined coins and sending, auth, a refused second node on the same datadir, and
 * SIGTERM leaving a datadir that restarts at the same height.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  loopbackNodeArgs,
  runCli,
  type SpawnedNode,
  STARLING_ENTRY,
  spawnNode,
} from "./spawn-node.ts";

let datadir: string;
let node: SpawnedNode;

before(async () => {
  datadir = await mkdtemp(join(tmpdir(), "starling-cli-"));
  node = await spawnNode(datadir);
});

after(async () => {
  if (node.child.exitCode === null) {
    node.child.kill("SIGKILL");
    await node.exited;
  }
  await rm(datadir, { recursive: true, force: true });
});

test("a regtest node answers Core's RPC shapes, mines, pays and restarts", {
  timeout: 90_000,
}, async () => {
  const info = (await node.rpc("getblockchaininfo")) as Record<string, unknown>;
  assert.equal(info.chain, "regtest");
  assert.equal(info.blocks, 0);
  for (const key of [
    "headers",
    "bestblockhash",
    "difficulty",
    "mediantime",
    "chainwork",
    "initialblockdownload",
  ]) {
    assert.ok(key in info, `getblockchaininfo has ${key}`);
  }
  assert.match(info.chainwork as string, /^[0-9a-f]{64}$/);

  const miner = (await node.rpc("getnewaddress")) as string;
  const hashes = (await node.rpc("generatetoaddress", [101, miner])) as string[];
  assert.equal(hashes.length, 101);
  assert.equal(await node.rpc("getblockcount"), 101);
  assert.equal(await node.rpc("getbestblockhash"), hashes[100]);
  assert.equal(await node.rpc("getblockhash", [101]), hashes[100]);
  // A coinbase is spendable once a block at the next height may spend it (maturity 100): at
  // height 101 those of heights 1 and 2.
  assert.equal(await node.rpc("getbalance"), 100);

  const block1 = (await node.rpc("getblock", [hashes[0], 1])) as Record<string, unknown>;
  assert.equal(block1.height, 1);
  assert.equal(block1.confirmations, 101);
  assert.equal(block1.nextblockhash, hashes[1]);
  assert.ok(Array.isArray(block1.tx) && typeof (block1.tx as unknown[])[0] === "string");
  const block2 = (await node.rpc("getblock", [hashes[0], 2])) as { tx: Record<string, unknown>[] };
  const coinbase = block2.tx[0]!;
  assert.ok("coinbase" in (coinbase.vin as Record<string, unknown>[])[0]!);
  const vout = (
    coinbase.vout as { value: number; scriptPubKey: { address: string; type: string } }[]
  )[0]!;
  assert.equal(vout.value, 50);
  assert.equal(vout.scriptPubKey.address, miner);
  assert.equal(vout.scriptPubKey.type, "pubkeyhash");
  const raw = (await node.rpc("getblock", [hashes[0], 0])) as string;
  assert.match(raw, /^[0-9a-f]+$/);

  // A second address (another wallet's in Core terms: a fresh key of ours here) receives 12.5.
  const recipient = (await node.rpc("getnewaddress")) as string;
  const txid = (await node.rpc("sendtoaddress", [recipient, 12.5])) as string;
  assert.deepEqual(await node.rpc("getrawmempool"), [txid]);
  const mempoolInfo = (await node.rpc("getmempoolinfo")) as Record<string, unknown>;
  assert.equal(mempoolInfo.size, 1);
  assert.equal(mempoolInfo.loaded, true);
  const verbose = (await node.rpc("getrawmempool", [true])) as Record<
    string,
    { fees: { base: number } }
  >;
  const fee = verbose[txid]!.fees.base;
  assert.ok(fee > 0 && fee < 0.001, `fee ${fee}`);

  const template = (await node.rpc("getblocktemplate")) as Record<string, unknown>;
  assert.equal(template.height, 102);
  assert.equal(template.previousblockhash, hashes[100]);
  assert.equal((template.transactions as { txid: string }[])[0]!.txid, txid);
  for (const key of ["bits", "target", "coinbasevalue", "curtime", "mintime", "sizelimit"]) {
    assert.ok(key in template, `getblocktemplate has ${key}`);
  }

  await node.rpc("generatetoaddress", [1, miner]);
  assert.deepEqual(await node.rpc("getrawmempool"), []);
  const unspent = (await node.rpc("listunspent")) as { address: string; amount: number }[];
  assert.equal(
    unspent.filter((u) => u.address === recipient).reduce((s, u) => s + u.amount, 0),
    12.5,
  );
  // Height 102: coinbases of heights 1 to 3 are spendable; the payment stayed in the wallet (a
  // fresh key of ours) and the fee went to block 102's still immature coinbase.
  const balance = (await node.rpc("getbalance")) as number;
  assert.equal(Math.round(balance * 1e8), Math.round((150 - fee) * 1e8));

  const help = (await node.rpc("help")) as string;
  for (const method of [
    "getblockchaininfo",
    "generatetoaddress",
    "sendtoaddress",
    "getpropagation",
  ]) {
    assert.ok(help.includes(method), `help lists ${method}`);
  }

  const noAuth = await fetch(node.rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"method":"getblockcount"}',
  });
  assert.equal(noAuth.status, 401);

  // A second node on the same datadir refuses, one line, non-zero exit.
  const second = await runCli(loopbackNodeArgs("regtest", datadir));
  assert.notEqual(second.code, 0);
  assert.equal(second.stderr.trim().split("\n").length, 1, second.stderr);
  assert.match(second.stderr, /in use by another Starling node/);

  // SIGTERM: graceful, exit 0; the datadir restarts at the same height.
  node.child.kill("SIGTERM");
  const exit = await node.exited;
  assert.equal(exit.code, 0, node.stderr());
  node = await spawnNode(datadir);
  assert.equal(await node.rpc("getblockcount"), 102);
  assert.equal(
    Math.round(((await node.rpc("getbalance")) as number) * 1e8),
    Math.round(balance * 1e8),
  );
  node.child.kill("SIGTERM");
  assert.equal((await node.exited).code, 0);
});

test("errors a person can act on: one line, non-zero exit", { timeout: 30_000 }, async () => {
  const badAddr = await runCli([
    "node",
    "--network",
    "regtest",
    "--datadir",
    datadir,
    "--bootstrap",
    "/ip4/1.2.3.4/tcp/x",
  ]);
  assert.notEqual(badAddr.code, 0);
  assert.match(badAddr.stderr, /not a valid multiaddr/);
  assert.equal(badAddr.stderr.trim().split("\n").length, 1);
  const wrongNet = await runCli([...loopbackNodeArgs("devnet", datadir), "--log-level", "silent"]);
  assert.notEqual(wrongNet.code, 0);
  assert.match(wrongNet.stderr, /belongs to network regtest, not devnet/);
  assert.ok(STARLING_ENTRY.endsWith("starling.ts"));
});
