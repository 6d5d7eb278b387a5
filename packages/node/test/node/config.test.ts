import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError, envName, resolveCliConfig } from "../../src/cli/config.ts";
import { resolveNodeOptions } from "../../src/node/options.ts";

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
