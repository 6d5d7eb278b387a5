import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  devnet,
  mineGenesis,
  NetworkDefinitionError,
  networkDefinitionToJson,
} from "@starling/chain";
import { ConfigError, envName, resolveCliConfig } from "../../src/cli/config.ts";
import { networkParamsOf, resolveNodeOptions } from "../../src/node/options.ts";

test("env names are STARLING_ and upper snake case", () => {
  assert.equal(envName("maxPeers"), "STARLING_MAX_PEERS");
  assert.equal(envName("rpcPort"), "STARLING_RPC_PORT");
});

test("precedence: flag > env > file > network default", async () => {
  const datadir = await mkdtemp(join(tmpdir(), "starling-config-"));
  try {
    await writeFile(
      join(datadir, "starling.json"),
      JSON.stringify({ "rpc-port": 1111, maxPeers: 7, dbcache: 64 }),
    );
    const env = { STARLING_RPC_PORT: "2222", STARLING_MAX_PEERS: "9" };
    const resolved = await resolveCliConfig({ network: "regtest", datadir, rpcPort: 3333 }, env);
    const options = resolveNodeOptions(resolved);
    assert.equal(options.rpcPort, 3333, "flag wins");
    assert.equal(options.maxPeers, 9, "env beats file");
    assert.equal(options.dbcache, 64, "file beats default");
    assert.equal(options.metricsPort, 27734, "network default");
  } finally {
    await rm(datadir, { recursive: true, force: true });
  }
});

test("mistakes fail before anything opens", async () => {
  const base = { network: "regtest", datadir: join(tmpdir(), "starling-config-none") };
  await assert.rejects(
    resolveCliConfig({ ...base, bootstrap: ["/ip4/127.0.0.1/tcp/1"] }, {}),
    ConfigError,
  );
  await assert.rejects(resolveCliConfig({ ...base, listen: ["not a multiaddr"] }, {}), ConfigError);
  await assert.rejects(
    resolveCliConfig({ ...base, miningAddress: "1BoatSLRHtKNngkdXEeobR76b53LETtpyT" }, {}),
    ConfigError,
  );
  await assert.rejects(resolveCliConfig({ ...base, network: "mainnet" }, {}), ConfigError);
  await assert.rejects(resolveCliConfig(base, { STARLING_MAX_PEERS: "many" }), ConfigError);
});

test("--network-file alone selects its network, genesis and bootstrap list", async () => {
  const dir = await mkdtemp(join(tmpdir(), "starling-netfile-"));
  try {
    const genesis = mineGenesis({
      message: "config test devnet",
      time: 1_800_000_000,
      bits: devnet.powLimitBits,
      reward: devnet.initialSubsidy,
    });
    const bootstrap = [
      "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWJWoaqZhDaoEFshF7Rh1bpY9ohihFhzcW6d69Lr2NASuq",
    ];
    const file = join(dir, "network.json");
    await writeFile(
      file,
      JSON.stringify(networkDefinitionToJson({ network: "devnet", genesis, bootstrap })),
    );
    const resolved = await resolveCliConfig({ networkFile: file, datadir: dir }, {});
    assert.equal(resolved.network, "devnet");
    const options = resolveNodeOptions(resolved);
    assert.deepEqual(options.bootstrap, bootstrap);
    assert.equal(networkParamsOf(options).genesisHash, genesis.hash);

    await assert.rejects(
      resolveCliConfig({ network: "regtest", networkFile: file, datadir: dir }, {}),
      (err: unknown) =>
        err instanceof NetworkDefinitionError && /devnet, not regtest/.test(err.message),
    );
    await writeFile(
      file,
      JSON.stringify({ network: "devnet", genesis: { ...genesis, reward: "1" } }),
    );
    await assert.rejects(
      resolveCliConfig({ networkFile: file, datadir: dir }, {}),
      (err: unknown) => err instanceof NetworkDefinitionError && err.message.includes(file),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
