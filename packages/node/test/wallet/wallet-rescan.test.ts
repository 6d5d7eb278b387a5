import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { COIN, regtest } from "@starling/chain";
import {
  CHANGE_CHAIN,
  createWallet,
  GAP_LIMIT,
  loadWallet,
  mnemonicFromEntropy,
  RECEIVE_CHAIN,
  restoreWallet,
  type Wallet,
  WalletKeys,
  walletFilePath,
} from "../../src/wallet/index.ts";
import { FakeNode } from "./fake-node.ts";

const dir = mkdtempSync(join(tmpdir(), "starling-wallet-rescan-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const SUBSIDY = 50n * COIN;
const MATURITY = regtest.coinbaseMaturity;
const MNEMONIC = mnemonicFromEntropy(new Uint8Array(16).fill(0x42));
let counter = 0;

function path(): string {
  return walletFilePath(join(dir, `d${counter++}`), "default");
}

/** Views that must survive a save and load, or a restore (time of first sight aside). */
function views(wallet: Wallet): unknown {
  return {
    balance: wallet.getBalance(),
    unspent: wallet.listUnspent({ minconf: 0 }),
  };
}

describe("rescan from the address index", () => {
  it("restore finds coins on both chains across the gap limit, and not beyond it", async () => {
    const node = new FakeNode();
    const original = await createWallet({
      path: path(),
      network: regtest,
      source: node,
      mnemonic: MNEMONIC,
    });
    node.follow(original);
    // Pay receive indexes 0, 15 and 30 (30 is only watched once 15 is seen), change index 3, and
    // receive index 51, more than a gap past 30: a restore must not find that one.
    // Derived apart: asking the wallet's own WalletKeys for an index would make it watch that far.
    const derive = new WalletKeys({ accountXpub: original.keys.accountXpub, network: regtest });
    const payTo = [
      derive.key(RECEIVE_CHAIN, 0),
      derive.key(RECEIVE_CHAIN, 15),
      derive.key(RECEIVE_CHAIN, 30),
      derive.key(CHANGE_CHAIN, 3),
    ];
    for (const key of payTo) await node.mine({ payTo: key.scriptPubKey });
    const lost = derive.key(RECEIVE_CHAIN, 30 + GAP_LIMIT + 1);
    await node.mine({ payTo: lost.scriptPubKey });
    await node.mineMany(MATURITY);
    assert.equal(
      original.getBalance().confirmed,
      4n * SUBSIDY,
      "the live wallet saw four (51 is past its gap)",
    );

    const queriesBefore = node.addressQueries;
    const restored = await restoreWallet({
      path: path(),
      network: regtest,
      source: node,
      mnemonic: MNEMONIC,
    });
    assert.ok(node.addressQueries - queriesBefore >= 3, "gap discovery asks in rounds");
    assert.deepEqual(views(restored), views(original));
    assert.deepEqual(
      restored.listTransactions(100).map((e) => [e.txid, e.category, e.amount, e.blockheight]),
      original.listTransactions(100).map((e) => [e.txid, e.category, e.amount, e.blockheight]),
    );
    // The next fresh address skips everything used.
    assert.equal(
      restored.getAddressInfo(await restored.getNewAddress()).hdkeypath,
      "m/44'/1'/0'/0/31",
    );

    // Spend from the restored wallet: it has the keys of discovered coins.
    node.follow(restored);
    await restored.sendToAddress(await original.getNewAddress(), 120n * COIN);
    const tx = node.broadcasts.at(-1)!;
    assert.equal(tx.inputs.length, 3);
    const fee = 3n * SUBSIDY - tx.outputs.reduce((sum, o) => sum + o.value, 0n);
    await node.mine();
    // Both copies of the seed see the whole transaction: only the fee left.
    assert.equal(original.getBalance().confirmed, 4n * SUBSIDY - fee);
    assert.equal(restored.getBalance().confirmed, 4n * SUBSIDY - fee);
  });

  it("a loaded wallet catches up with blocks it missed, including a reorganisation", async () => {
    const node = new FakeNode();
    const filePath = path();
    const wallet = await createWallet({
      path: filePath,
      network: regtest,
      source: node,
      mnemonic: MNEMONIC,
    });
    node.follow(wallet);
    const key = wallet.keys.key(RECEIVE_CHAIN, 0);
    await node.mine({ payTo: key.scriptPubKey });
    await node.mine({ payTo: key.scriptPubKey });
    assert.equal(wallet.getBalance().immature, 2n * SUBSIDY);
    await wallet.close();

    // While the wallet is closed: the last block is replaced and two more pay it.
    const offline = new FakeNode();
    for (const entry of node.entries.slice(1)) offline.entries.push(entry);
    offline.utxos = node.utxos;
    await offline.disconnectTip();
    await offline.mine({ payTo: key.scriptPubKey });
    await offline.mine({ payTo: wallet.keys.key(RECEIVE_CHAIN, 7).scriptPubKey });

    const loaded = await loadWallet({ path: filePath, network: regtest, source: offline });
    assert.equal(loaded.getBalance().immature, 2n * SUBSIDY, "before the rescan: the old view");
    await loaded.rescan();
    assert.equal(loaded.getBalance().immature, 3n * SUBSIDY);
    const heights = loaded.listTransactions().map((e) => e.blockheight);
    assert.deepEqual(heights, [1, 2, 3]);
    const hashes = loaded.listTransactions().map((e) => e.blockhash);
    assert.deepEqual(
      hashes,
      offline.entries.slice(1).map((e) => e.block.hash()),
    );
    await loaded.close();
  });

  it("history, balances and spent coins survive a save and load", async () => {
    const node = new FakeNode();
    const filePath = path();
    const wallet = await createWallet({
      path: filePath,
      network: regtest,
      source: node,
      mnemonic: MNEMONIC,
    });
    node.follow(wallet);
    await node.mineMany(2, wallet.keys.key(RECEIVE_CHAIN, 0).scriptPubKey);
    await node.mineMany(MATURITY);
    const other = mnemonicFromEntropy(new Uint8Array(16).fill(0x43));
    const receiver = await createWallet({
      path: path(),
      network: regtest,
      source: node,
      mnemonic: other,
    });
    await wallet.sendToAddress(await receiver.getNewAddress(), 7n * COIN);
    await node.mine();
    await wallet.sendToAddress(await receiver.getNewAddress(), 3n * COIN);
    const expected = { ...(views(wallet) as object), history: wallet.listTransactions(100) };
    await wallet.close();

    const loaded = await loadWallet({ path: filePath, network: regtest, source: node });
    assert.deepEqual(
      { ...(views(loaded) as object), history: loaded.listTransactions(100) },
      expected,
    );
    // A rescan agrees with what the file said.
    await loaded.rescan();
    assert.deepEqual(
      { ...(views(loaded) as object), history: loaded.listTransactions(100) },
      expected,
    );
    await loaded.close();
  });
});
