import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fromHex, toHex } from "@starling/chain";
import {
  createMnemonic,
  ENGLISH_WORDLIST,
  hdRootFromSeed,
  isValidMnemonic,
  mnemonicFromEntropy,
  mnemonicToWalletSeed,
  WalletError,
  WalletErrorCode,
} from "../../src/wallet/index.ts";
import { readVector, readVectorText, VECTORS_MISSING, vectorsDir } from "./vectors.ts";

const haveVectors = vectorsDir() !== undefined;

describe("BIP39 vectors (python-mnemonic, English, passphrase TREZOR)", {
  skip: haveVectors ? false : VECTORS_MISSING,
}, () => {
  it("entropy -> mnemonic -> seed -> BIP32 root xprv", async () => {
    const english = (readVector("bip39/vectors.json") as { english: string[][] }).english;
    assert.ok(english.length >= 24, "expected the 24 English vectors");
    for (const [entropy, mnemonic, seed, xprv] of english) {
      assert.equal(mnemonicFromEntropy(fromHex(entropy!)), mnemonic, `mnemonic of ${entropy}`);
      assert.ok(isValidMnemonic(mnemonic!), `valid: ${mnemonic}`);
      const derived = await mnemonicToWalletSeed(mnemonic!, "TREZOR");
      assert.equal(toHex(derived), seed, `seed of ${entropy}`);
      assert.equal(hdRootFromSeed(derived).privateExtendedKey, xprv, `xprv of ${entropy}`);
    }
  });

  it("english.txt is the wordlist the wallet uses", () => {
    const words = readVectorText("bip39/english.txt")
      .split("\n")
      .filter((w) => w.length > 0);
    assert.equal(words.length, 2048);
    assert.deepEqual([...ENGLISH_WORDLIST], words);
  });
});

describe("mnemonics", () => {
  it("creates valid 12- and 24-word mnemonics, different each time", () => {
    const twelve = createMnemonic(12);
    const twentyFour = createMnemonic(24);
    assert.equal(twelve.split(" ").length, 12);
    assert.equal(twentyFour.split(" ").length, 24);
    assert.ok(isValidMnemonic(twelve) && isValidMnemonic(twentyFour));
    assert.notEqual(createMnemonic(12), twelve);
    assert.ok(twelve.split(" ").every((w) => ENGLISH_WORDLIST.includes(w)));
  });

  it("refuses other word counts", () => {
    assert.throws(
      () => createMnemonic(15 as 12),
      (e: unknown) => e instanceof WalletError && e.code === WalletErrorCode.INVALID_PARAMETER,
    );
  });

  it("rejects a bad checksum and an unknown word without echoing the words", async () => {
    const good = mnemonicFromEntropy(new Uint8Array(16));
    const words = good.split(" ");
    const badChecksum = [...words.slice(0, 11), words[11] === "zoo" ? "zone" : "zoo"].join(" ");
    assert.equal(isValidMnemonic(badChecksum), false);
    const unknown = [...words.slice(0, 11), "starling"].join(" ");
    for (const bad of [badChecksum, unknown]) {
      await assert.rejects(mnemonicToWalletSeed(bad), (e: unknown) => {
        assert.ok(e instanceof WalletError);
        assert.equal(e.code, WalletErrorCode.INVALID_PARAMETER);
        assert.ok(!e.message.includes("abandon"), "the message must not repeat the words");
        return true;
      });
    }
  });

  it("normalises case and spacing, and the passphrase changes the seed", async () => {
    const mnemonic = mnemonicFromEntropy(fromHex("7f".repeat(16)));
    const messy = `  ${mnemonic.toUpperCase().split(" ").join("   ")}\n`;
    assert.equal(
      toHex(await mnemonicToWalletSeed(messy)),
      toHex(await mnemonicToWalletSeed(mnemonic)),
    );
    assert.notEqual(
      toHex(await mnemonicToWalletSeed(mnemonic, "x")),
      toHex(await mnemonicToWalletSeed(mnemonic)),
    );
  });
});
