import assert from "node:assert/strict";
import { join } from "node:path";
import { it } from "node:test";
import { InvalidRequestError } from "../../src/errors.ts";
import { DEFAULT_NETWORK_OPTIONS, resolveNetworkOptions } from "../../src/options.ts";
import { DecayingPoints } from "../../src/peers/penalties.ts";

const genesisHash = "00".repeat(32);

it("defaults fill every option; dataDir places the state files", () => {
  const o = resolveNetworkOptions({ network: "devnet", genesisHash, dataDir: "/data" });
  assert.equal(o.maxConnections, DEFAULT_NETWORK_OPTIONS.maxConnections);
  assert.equal(o.peerKeyPath, join("/data", "peer-key"));
  assert.equal(o.banListPath, join("/data", "bans.json"));
  assert.equal(o.gossip.D, 8);
  assert.equal(o.gossip.heartbeatIntervalMs, 700);
  assert.equal(o.rateLimits.blocks.capacity, 256);
  const bare = resolveNetworkOptions({
    network: "regtest",
    genesisHash,
    rateLimits: { status: { capacity: 1, refillPerSecond: 1 } },
  });
  assert.equal(bare.peerKeyPath, null, "no dataDir: nothing on disk");
  assert.equal(bare.rateLimits.status.capacity, 1);
  assert.equal(bare.rateLimits.headers.capacity, 20, "other buckets keep their defaults");
});

it("bad options are refused up front", () => {
  assert.throws(
    () => resolveNetworkOptions({ network: "Bad Name", genesisHash }),
    InvalidRequestError,
  );
  assert.throws(
    () => resolveNetworkOptions({ network: "regtest", genesisHash: "00" }),
    InvalidRequestError,
  );
  assert.throws(
    () => resolveNetworkOptions({ network: "regtest", genesisHash, requestTimeoutMs: 0 }),
    InvalidRequestError,
  );
  assert.throws(
    () =>
      resolveNetworkOptions({
        network: "regtest",
        genesisHash,
        targetPeers: 100,
        maxConnections: 10,
      }),
    InvalidRequestError,
  );
});

it("misbehaviour points halve every half-life", () => {
  const points = new DecayingPoints(0, 1000);
  assert.equal(points.add(80, 0), 80);
  assert.equal(points.value(1000), 40);
  assert.equal(points.add(10, 2000), 30);
});
