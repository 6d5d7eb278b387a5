import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fromHex, getNetwork, NETWORK_NAMES, regtest } from "@starling/chain";
import { hdRootFromSeed, WalletError, WalletKeys } from "../../src/wallet/index.ts";
import { readVector, VECTORS_MISSING, vectorsDir } from "./vectors.ts";

const haveVectors = vectorsDir() !== undefined;

interface Bip32Vectors {
  valid: { seed: string; path: string; xprv: string; xpub: string }[];
  invalid: { key: string; reason: string }[];
}

describe("BIP32 vectors (@scure/bip32's packaging)", {
  skip: haveVectors ? false : VECTORS_MISSING,
}, () => {
  const vectors = haveVectors ? (readVector("bip32/bip32.json") as Bip32Vectors) : undefined;

  it("seed + path -> xprv and xpub", () => {
    assert.ok(vectors!.valid.length >= 17);
    for (const { seed, path, xprv, xpub } of vectors!.valid) {
      const key = hdRootFromSeed(fromHex(seed)).derive(path);
      assert.equal(key.privateExtendedKey, xprv, `${seed} ${path} xprv`);
      assert.equal(key.publicExtendedKey, xpub, `${seed} ${path} xpub`);
    }
  });

  it("the wallet refuses every invalid extended key as its account key", () => {
    const network = getNetwork(NETWORK_NAMES[0]!);
    for (const { key, reason } of vectors!.invalid) {
      assert.throws(
        () => new WalletKeys({ accountXpub: key, network }),
        (e: unknown) => e instanceof WalletError && e.code === -4,
        reason,
      );
    }
  });

  it("the wallet refuses a valid key that is private or not at account depth", () => {
    const root = hdRootFromSeed(fromHex(vectors!.valid[0]!.seed));
    for (const key of [
      root.privateExtendedKey,
      root.derive("m/44'/1'/0'").privateExtendedKey,
      root.publicExtendedKey,
    ]) {
      assert.throws(() => new WalletKeys({ accountXpub: key, network: regtest }), WalletError);
    }
  });
});
