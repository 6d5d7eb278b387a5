import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COIN } from "../../src/consensus/constants.ts";
import { publicKeyToAddress } from "../../src/keys/address.ts";
import { encodeWif } from "../../src/keys/wif.ts";
import { mineGenesis } from "../../src/params/genesis.ts";
import {
  devnet,
  getNetwork,
  isNetworkName,
  NETWORK_NAMES,
  NETWORKS,
  regtest,
  testnet,
} from "../../src/params/index.ts";
import {
  dhtProtocol,
  gossipTopic,
  gossipTopicPrefix,
  withGenesis,
} from "../../src/params/network-params.ts";
import { bitsToTarget } from "../../src/pow/compact.ts";

const all = Object.values(NETWORKS);

function distinct<T>(values: T[], what: string): void {
  assert.equal(new Set(values).size, values.length, `${what} must differ between networks`);
}

describe("network parameters", () => {
  it("match DESIGN.md §4's spacing, powLimit and difficulty adjustment", () => {
    assert.deepEqual(
      all.map((p) => [p.name, p.targetSpacing, p.powLimitBits, p.asert?.halfLife ?? null]),
      [
        ["regtest", 1, 0x207fffff, null],
        ["devnet", 5, 0x1f00ffff, 600],
        ["testnet", 30, 0x1e0fffff, 3600],
      ],
    );
    assert.equal(regtest.halvingInterval, 150);
  });

  it("share Bitcoin's money: 50-coin initial subsidy, 100-block maturity, test coin type", () => {
    for (const p of all) {
      assert.equal(p.initialSubsidy, 50n * COIN, p.name);
      assert.equal(p.coinbaseMaturity, 100, p.name);
      assert.equal(p.bip44CoinType, 1, p.name);
    }
  });

  it("order powLimits from easiest (regtest) to hardest (testnet)", () => {
    assert.ok(bitsToTarget(regtest.powLimitBits) > bitsToTarget(devnet.powLimitBits));
    assert.ok(bitsToTarget(devnet.powLimitBits) > bitsToTarget(testnet.powLimitBits));
  });

  it("keep genesis, magic, ports and address prefixes apart", () => {
    distinct(
      all.map((p) => p.genesisHash),
      "genesis",
    );
    distinct(
      all.map((p) => p.magic.join(",")),
      "magic",
    );
    distinct(
      all.flatMap((p) => [p.ports.p2p, p.ports.rpc, p.ports.metrics]),
      "ports",
    );
    distinct(
      all.flatMap((p) => [p.prefixes.pubkeyHash, p.prefixes.scriptHash]),
      "address prefixes",
    );
    distinct(
      all.map((p) => p.prefixes.wif),
      "WIF prefixes",
    );
    // And from Bitcoin's (0/5/128 main, 111/196/239 test).
    const bitcoin = new Set([0, 5, 128, 111, 196, 239]);
    for (const p of all) {
      for (const v of Object.values(p.prefixes))
        assert.ok(!bitcoin.has(v), `${p.name} reuses ${v}`);
      assert.equal(p.magic.length, 4);
    }
  });

  it("give addresses a leading character naming the network", () => {
    const key = new Uint8Array(33).fill(2);
    assert.match(publicKeyToAddress(key, regtest.prefixes), /^r/);
    assert.match(publicKeyToAddress(key, devnet.prefixes), /^d/);
    assert.match(publicKeyToAddress(key, testnet.prefixes), /^t/);
    assert.match(encodeWif(new Uint8Array(32).fill(1), testnet.prefixes), /^T/);
  });

  it("leave bootstrap lists empty until public nodes exist", () => {
    for (const p of all) assert.deepEqual(p.bootstrap, []);
  });

  it("are frozen", () => {
    assert.ok(Object.isFrozen(regtest));
    assert.ok(Object.isFrozen(regtest.genesisSpec));
  });
});

describe("network lookup and protocol names", () => {
  it("finds every network by name and refuses others", () => {
    assert.deepEqual(NETWORK_NAMES, ["regtest", "devnet", "testnet"]);
    for (const name of NETWORK_NAMES) assert.equal(getNetwork(name).name, name);
    assert.throws(() => getNetwork("mainnet"), RangeError);
    assert.throws(() => getNetwork("toString"), RangeError);
    assert.equal(isNetworkName("devnet"), true);
    assert.equal(isNetworkName("constructor"), false);
  });

  it("derives gossip topics from the name and the genesis hash", () => {
    assert.equal(
      gossipTopicPrefix(regtest),
      `/starling/regtest/${regtest.genesisHash.slice(0, 8)}`,
    );
    assert.equal(
      gossipTopic(testnet, "block"),
      `/starling/testnet/${testnet.genesisHash.slice(0, 8)}/block`,
    );
    assert.equal(
      gossipTopic(devnet, "tx"),
      `/starling/devnet/${devnet.genesisHash.slice(0, 8)}/tx`,
    );
    assert.equal(dhtProtocol(devnet), "/starling/devnet/kad/1.0.0");
  });

  it("rebuilds a network around another genesis, moving the ASERT anchor with it", () => {
    const template = { ...devnet.genesisSpec, time: devnet.genesisSpec.time + 86_400 };
    const local = withGenesis(devnet, mineGenesis(template));
    assert.notEqual(local.genesisHash, devnet.genesisHash);
    assert.equal(local.genesis.hash(), local.genesisHash);
    assert.equal(local.asert?.anchorParentTime, template.time - devnet.targetSpacing);
    assert.equal(local.asert?.halfLife, devnet.asert?.halfLife);
    assert.notEqual(gossipTopicPrefix(local), gossipTopicPrefix(devnet));
    assert.equal(local.ports.p2p, devnet.ports.p2p);
  });

  it("refuses a genesis spec whose hash does not match its block", () => {
    const spec = { ...devnet.genesisSpec, time: devnet.genesisSpec.time + 1 };
    assert.throws(() => withGenesis(devnet, spec), /genesis hashes to/);
  });
});
