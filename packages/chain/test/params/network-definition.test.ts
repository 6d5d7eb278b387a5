import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  devnet,
  gossipTopic,
  mineGenesis,
  NetworkDefinitionError,
  networkDefinitionToJson,
  networkFromDefinition,
  parseNetworkDefinition,
} from "../../src/index.ts";

const fresh = mineGenesis({
  message: "network definition test",
  time: 1_800_000_000,
  bits: devnet.powLimitBits,
  reward: devnet.initialSubsidy,
});

describe("network definitions", () => {
  it("round-trips through JSON and yields the network with the new genesis and ASERT anchor", () => {
    const json = JSON.parse(
      JSON.stringify(
        networkDefinitionToJson({
          network: "devnet",
          genesis: fresh,
          bootstrap: ["/ip4/127.0.0.1/tcp/1/p2p/x"],
        }),
      ),
    );
    const definition = parseNetworkDefinition(json);
    assert.deepEqual(definition.genesis, fresh);
    const params = networkFromDefinition(definition);
    assert.equal(params.name, "devnet");
    assert.equal(params.genesisHash, fresh.hash);
    assert.equal(params.genesis.hash(), fresh.hash);
    assert.equal(params.asert?.anchorParentTime, fresh.time - devnet.targetSpacing);
    assert.deepEqual(params.bootstrap, ["/ip4/127.0.0.1/tcp/1/p2p/x"]);
    assert.notEqual(gossipTopic(params, "block"), gossipTopic(devnet, "block"));
    assert.equal(params.targetSpacing, devnet.targetSpacing);
  });

  it("keeps the network's bootstrap list when the definition has none", () => {
    const params = networkFromDefinition({ network: "devnet", genesis: fresh });
    assert.deepEqual(params.bootstrap, devnet.bootstrap);
  });

  it("refuses a genesis whose hash does not match, naming the problem", () => {
    const forged = { ...fresh, nonce: fresh.nonce + 1 };
    assert.throws(
      () => networkFromDefinition({ network: "devnet", genesis: forged }),
      (err: unknown) => err instanceof NetworkDefinitionError && /does not match/.test(err.message),
    );
  });

  it("refuses bits other than the network's powLimit", () => {
    assert.throws(
      () => networkFromDefinition({ network: "testnet", genesis: fresh }),
      NetworkDefinitionError,
    );
  });

  for (const [name, mutate] of [
    ["an unknown network", (o: Record<string, unknown>) => ({ ...o, network: "mainnet" })],
    [
      "a numeric reward",
      (o: Record<string, unknown>) => ({ ...o, genesis: { ...(o.genesis as object), reward: 5 } }),
    ],
    [
      "a short hash",
      (o: Record<string, unknown>) => ({ ...o, genesis: { ...(o.genesis as object), hash: "00" } }),
    ],
    ["a non-list bootstrap", (o: Record<string, unknown>) => ({ ...o, bootstrap: "x" })],
    ["no genesis", (o: Record<string, unknown>) => ({ network: o.network })],
  ] as const) {
    it(`refuses ${name} with a typed error`, () => {
      const json = networkDefinitionToJson({ network: "devnet", genesis: fresh });
      assert.throws(() => parseNetworkDefinition(mutate(json)), NetworkDefinitionError);
    });
  }
});
