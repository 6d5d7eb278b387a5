import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeAddress,
  decodeBase58Check,
  fromHex,
  getNetwork,
  NETWORK_NAMES,
  p2pkhScript,
  publicKeyFromPrivate,
  publicKeyHash,
  publicKeyToAddress,
  regtest,
  toHex,
} from "@starling/chain";
import {
  CHANGE_CHAIN,
  GAP_LIMIT,
  hdRootFromSeed,
  mnemonicFromEntropy,
  mnemonicToWalletSeed,
  RECEIVE_CHAIN,
  WalletKeys,
} from "../../src/wallet/index.ts";
import { deriveAccountKey } from "../../src/wallet/wallet-keys.ts";

const seed = await mnemonicToWalletSeed(mnemonicFromEntropy(fromHex("0c".repeat(16))));

describe("WalletKeys", () => {
  for (const name of NETWORK_NAMES) {
    it(`derives P2PKH addresses on m/44'/coin'/0'/{0,1}/i with ${name}'s prefixes`, () => {
      const network = getNetwork(name);
      const keys = new WalletKeys({
        accountXpub: WalletKeys.accountXpubOf(seed, network.bip44CoinType),
        network,
      });
      const root = hdRootFromSeed(seed);
      for (const chain of [RECEIVE_CHAIN, CHANGE_CHAIN] as const) {
        for (const index of [0, 1, 19]) {
          const path = `m/44'/${network.bip44CoinType}'/0'/${chain}/${index}`;
          const privateKey = root.derive(path).privateKey!;
          const publicKey = publicKeyFromPrivate(privateKey);
          const key = keys.key(chain, index);
          assert.equal(key.path, path);
          assert.equal(toHex(key.publicKey), toHex(publicKey), path);
          assert.equal(key.address, publicKeyToAddress(publicKey, network.prefixes), path);
          assert.equal(key.scriptHex, toHex(p2pkhScript(publicKeyHash(publicKey))));
          assert.equal(decodeBase58Check(key.address)[0], network.prefixes.pubkeyHash);
          assert.equal(decodeAddress(key.address, network.prefixes).type, "p2pkh");
          // The signing path (seed -> account -> child) agrees with the watch-only one.
          const account = deriveAccountKey(seed, network.bip44CoinType);
          assert.equal(toHex(keys.privateKey(key, account)), toHex(privateKey));
        }
      }
    });
  }

  it("networks with different prefixes give different address strings for the same key", () => {
    const addresses = NETWORK_NAMES.map((name) => {
      const network = getNetwork(name);
      return new WalletKeys({ accountXpub: WalletKeys.accountXpubOf(seed, 1), network }).key(0, 0)
        .address;
    });
    const prefixes = new Set(NETWORK_NAMES.map((n) => getNetwork(n).prefixes.pubkeyHash));
    assert.equal(new Set(addresses).size, prefixes.size);
  });

  it("watches the gap limit ahead on each chain and looks scripts up", () => {
    const keys = new WalletKeys({
      accountXpub: WalletKeys.accountXpubOf(seed, 1),
      network: regtest,
    });
    assert.equal(keys.watched().length, 2 * GAP_LIMIT);
    const last = keys.key(RECEIVE_CHAIN, GAP_LIMIT - 1);
    assert.equal(keys.lookup(last.scriptPubKey), last);
    assert.equal(keys.lookup(last.scriptHex), last);
    const beyond = hdRootFromSeed(seed).derive(`m/44'/1'/0'/0/${GAP_LIMIT}`).publicKey!;
    assert.equal(keys.lookup(p2pkhScript(publicKeyHash(beyond))), undefined, "not yet watched");

    const added = keys.markUsed(keys.key(RECEIVE_CHAIN, 5));
    assert.equal(added.length, 6, "used index 5 watches up to 5 + 20");
    assert.equal(keys.watched().length, 2 * GAP_LIMIT + 6);
    assert.ok(keys.lookup(p2pkhScript(publicKeyHash(beyond))) !== undefined);
    assert.deepEqual(keys.state(RECEIVE_CHAIN), { issued: 6, used: 5 });
    assert.equal(keys.issue(RECEIVE_CHAIN).index, 6, "a used address is not handed out again");
    assert.deepEqual(keys.state(CHANGE_CHAIN), { issued: 0, used: -1 });
  });

  it("restores counters and refuses a key of another seed when signing", () => {
    const keys = new WalletKeys({
      accountXpub: WalletKeys.accountXpubOf(seed, 1),
      network: regtest,
      receive: { issued: 30, used: 25 },
      change: { issued: 2, used: -1 },
    });
    assert.equal(keys.watched().length, 50 + 22);
    const other = deriveAccountKey(new Uint8Array(32).fill(7), 1);
    assert.throws(() => keys.privateKey(keys.key(0, 0), other), /does not match/);
  });
});
