import assert from "node:assert/strict";
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { inspect } from "node:util";
import { devnet, fromHex, regtest, toHex } from "@starling/chain";
import {
  createWallet,
  hdRootFromSeed,
  loadWallet,
  mnemonicFromEntropy,
  mnemonicToWalletSeed,
  type Wallet,
  WalletError,
  walletFilePath,
} from "../../src/wallet/index.ts";
import { FakeNode } from "./fake-node.ts";

const dir = mkdtempSync(join(tmpdir(), "starling-wallet-file-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const ENTROPY = "5c".repeat(16);
const MNEMONIC = mnemonicFromEntropy(fromHex(ENTROPY));
const PASSPHRASE = "correct horse battery staple";
let counter = 0;

function freshPath(): string {
  return walletFilePath(join(dir, `datadir-${counter++}`), "default");
}

function code(expected: number): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof WalletError, `expected a WalletError, got ${String(e)}`);
    assert.equal(e.code, expected, e.message);
    return true;
  };
}

/** Every string a leak of the wallet's secret could take. */
async function secretForms(): Promise<string[]> {
  const seed = await mnemonicToWalletSeed(MNEMONIC);
  const root = hdRootFromSeed(seed);
  return [
    MNEMONIC,
    MNEMONIC.split(" ").slice(0, 3).join(" "),
    ENTROPY,
    toHex(seed),
    root.privateExtendedKey,
    root.derive("m/44'/1'/0'").privateExtendedKey,
    toHex(root.derive("m/44'/1'/0'/0/0").privateKey!),
  ];
}

async function assertNoSecrets(text: string, what: string): Promise<void> {
  for (const secret of await secretForms()) {
    assert.ok(!text.includes(secret), `${what} contains a secret (${secret.slice(0, 8)}…)`);
  }
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

describe("wallet file", () => {
  it("is written with mode 0600 in a 0700 folder whatever the umask, with no temporary left", async () => {
    const path = freshPath();
    const previous = process.umask(0o000);
    let wallet: Wallet;
    try {
      wallet = await createWallet({
        path,
        network: regtest,
        source: new FakeNode(),
        mnemonic: MNEMONIC,
      });
      await wallet.getNewAddress();
    } finally {
      process.umask(previous);
    }
    assert.equal(mode(path), 0o600);
    assert.equal(mode(join(path, "..")), 0o700);
    assert.deepEqual(readdirSync(join(path, "..")), ["default.json"]);
    const json = JSON.parse(readFileSync(path, "utf8"));
    assert.equal(json.format, "starling-wallet");
    assert.equal(json.network, "regtest");
    assert.equal(json.account.path, "m/44'/1'/0'");
    assert.deepEqual(json.chains.receive, { issued: 1, used: -1 });
    assert.equal(json.secret.encrypted, false);
    await wallet.close();

    chmodSync(path, 0o644);
    const again = await loadWallet({ path, network: regtest, source: new FakeNode() });
    assert.equal(mode(path), 0o600, "loading puts the mode back to 0600");
    await again.close();
  });

  it("refuses to create over an existing wallet", async () => {
    const path = freshPath();
    const wallet = await createWallet({ path, network: regtest, source: new FakeNode() });
    await assert.rejects(
      createWallet({ path, network: regtest, source: new FakeNode() }),
      code(-36),
    );
    await wallet.close();
  });

  it("an encrypted file holds no mnemonic, seed or private key in any form", async () => {
    const path = freshPath();
    const wallet = await createWallet({
      path,
      network: regtest,
      source: new FakeNode(),
      mnemonic: MNEMONIC,
      encryptionPassphrase: PASSPHRASE,
    });
    assert.equal(wallet.isEncrypted, true);
    assert.equal(wallet.isLocked, true);
    const text = readFileSync(path, "utf8");
    await assertNoSecrets(text, "the encrypted file");
    assert.ok(!text.includes(PASSPHRASE));
    const json = JSON.parse(text);
    assert.deepEqual(
      {
        name: json.secret.kdf.name,
        n: json.secret.kdf.n,
        r: json.secret.kdf.r,
        p: json.secret.kdf.p,
      },
      { name: "scrypt", n: 32768, r: 8, p: 1 },
    );
    assert.equal(json.secret.cipher, "aes-256-gcm");
    await wallet.close();
  });

  it("encryptwallet, walletpassphrase, walletlock: Core's codes and a locked wallet never signs", async () => {
    const path = freshPath();
    const node = new FakeNode();
    const wallet = await createWallet({ path, network: regtest, source: node, mnemonic: MNEMONIC });
    const address = await wallet.getNewAddress();
    assert.throws(() => wallet.walletLock(), code(-15));
    await assert.rejects(wallet.walletPassphrase(PASSPHRASE, 60), code(-15));
    await assert.rejects(wallet.encryptWallet(""), code(-8));

    await wallet.encryptWallet(PASSPHRASE);
    await assertNoSecrets(readFileSync(path, "utf8"), "the file after encryptwallet");
    assert.equal(wallet.isLocked, true);
    await assert.rejects(wallet.encryptWallet(PASSPHRASE), code(-15));
    assert.throws(() => wallet.revealMnemonic(), code(-13));
    await assert.rejects(wallet.createTransaction([{ address, amount: 1000n }]), (e: unknown) => {
      code(-13)(e);
      assert.equal(
        (e as Error).message,
        "Error: Please enter the wallet passphrase with walletpassphrase first.",
      );
      return true;
    });
    await assert.rejects(wallet.sendToAddress(address, 1000n), code(-13));
    assert.equal(node.broadcasts.length, 0);

    await assert.rejects(wallet.walletPassphrase("wrong", 60), (e: unknown) => {
      code(-14)(e);
      assert.equal((e as Error).message, "Error: The wallet passphrase entered was incorrect.");
      return true;
    });
    await assert.rejects(wallet.walletPassphrase(PASSPHRASE, -1), code(-8));
    assert.equal(wallet.isLocked, true);

    const before = Math.floor(Date.now() / 1000);
    await wallet.walletPassphrase(PASSPHRASE, 60);
    assert.equal(wallet.isLocked, false);
    assert.ok(wallet.unlockedUntil >= before + 59 && wallet.unlockedUntil <= before + 61);
    assert.equal(wallet.revealMnemonic(), MNEMONIC);
    // Unlocked, it gets as far as coin selection (no coins: -6, not -13).
    await assert.rejects(wallet.createTransaction([{ address, amount: 1000n }]), code(-6));
    wallet.walletLock();
    assert.equal(wallet.isLocked, true);
    assert.equal(wallet.unlockedUntil, 0);
    await wallet.close();
  });

  it("relocks when the timeout passes", async () => {
    const wallet = await createWallet({
      path: freshPath(),
      network: regtest,
      source: new FakeNode(),
      encryptionPassphrase: PASSPHRASE,
    });
    await wallet.walletPassphrase(PASSPHRASE, 0.05);
    assert.equal(wallet.isLocked, false);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(wallet.isLocked, true);
    await wallet.close();
  });

  it("walletpassphrasechange re-encrypts under the new passphrase", async () => {
    const path = freshPath();
    const wallet = await createWallet({
      path,
      network: regtest,
      source: new FakeNode(),
      mnemonic: MNEMONIC,
      encryptionPassphrase: PASSPHRASE,
    });
    await assert.rejects(wallet.walletPassphraseChange("wrong", "new one"), code(-14));
    await wallet.walletPassphraseChange(PASSPHRASE, "new one");
    await wallet.close();
    const loaded = await loadWallet({ path, network: regtest, source: new FakeNode() });
    await assert.rejects(loaded.walletPassphrase(PASSPHRASE, 10), code(-14));
    await loaded.walletPassphrase("new one", 10);
    assert.equal(loaded.revealMnemonic(), MNEMONIC);
    await loaded.close();
  });

  it("loads back the same keys and counters; an encrypted wallet loads locked", async () => {
    const path = freshPath();
    const wallet = await createWallet({
      path,
      network: regtest,
      source: new FakeNode(),
      mnemonic: MNEMONIC,
    });
    const first = await wallet.getNewAddress();
    const second = await wallet.getNewAddress();
    await wallet.encryptWallet(PASSPHRASE);
    await wallet.close();
    const loaded = await loadWallet({ path, network: regtest, source: new FakeNode() });
    assert.equal(loaded.isEncrypted, true);
    assert.equal(loaded.isLocked, true);
    assert.equal(loaded.getAddressInfo(first).ismine, true);
    assert.equal(loaded.getAddressInfo(second).hdkeypath, "m/44'/1'/0'/0/1");
    const third = await loaded.getNewAddress();
    assert.notEqual(third, first);
    assert.equal(loaded.getAddressInfo(third).hdkeypath, "m/44'/1'/0'/0/2");
    await loaded.close();
  });

  it("refuses a missing file (-18), another network's file, damaged JSON and a swapped account key", async () => {
    const path = freshPath();
    await assert.rejects(loadWallet({ path, network: regtest, source: new FakeNode() }), code(-18));
    const wallet = await createWallet({
      path,
      network: regtest,
      source: new FakeNode(),
      mnemonic: MNEMONIC,
      encryptionPassphrase: PASSPHRASE,
    });
    await wallet.close();
    await assert.rejects(loadWallet({ path, network: devnet, source: new FakeNode() }), code(-4));

    const good = readFileSync(path, "utf8");
    writeFileSync(path, good.slice(0, 100));
    await assert.rejects(loadWallet({ path, network: regtest, source: new FakeNode() }), code(-4));

    // Another seed's account key in place of ours: the ciphertext is bound to the xpub.
    const otherSeed = await mnemonicToWalletSeed(mnemonicFromEntropy(new Uint8Array(16)));
    const otherXpub = hdRootFromSeed(otherSeed).derive("m/44'/1'/0'").publicExtendedKey;
    const json = JSON.parse(good);
    json.account.xpub = otherXpub;
    writeFileSync(path, JSON.stringify(json));
    const swapped = await loadWallet({ path, network: regtest, source: new FakeNode() });
    await assert.rejects(swapped.walletPassphrase(PASSPHRASE, 10), code(-14));
    await swapped.close();
  });

  it("toJSON, inspection and error messages show no secret", async () => {
    const wallet = await createWallet({
      path: freshPath(),
      network: regtest,
      source: new FakeNode(),
      mnemonic: MNEMONIC,
    });
    await assertNoSecrets(JSON.stringify(wallet), "toJSON");
    await assertNoSecrets(inspect(wallet, { depth: 10, showHidden: true }), "inspect");
    assert.deepEqual(Object.keys(wallet.toJSON()).sort(), [
      "changeIndex",
      "encrypted",
      "locked",
      "name",
      "network",
      "receiveIndex",
      "transactions",
    ]);
    const messages: string[] = [];
    for (const attempt of [
      () => wallet.createTransaction([{ address: "not-an-address", amount: 1n }]),
      () => wallet.createTransaction([{ address: "x", amount: -1n }]),
      () => wallet.walletPassphrase("x", 1),
      () =>
        createWallet({
          path: freshPath(),
          network: regtest,
          source: new FakeNode(),
          mnemonic: `${MNEMONIC} zoo`,
        }),
    ]) {
      await attempt().then(
        () => assert.fail("expected a rejection"),
        (e: Error) => messages.push(`${e.message} ${inspect(e)}`),
      );
    }
    await assertNoSecrets(messages.join("\n"), "error messages");
    await wallet.close();
  });
});
