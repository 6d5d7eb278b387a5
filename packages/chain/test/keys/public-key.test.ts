import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import fc from "fast-check";
import { SECP256K1_N } from "../../src/crypto/der.ts";
import { fromHex } from "../../src/encoding/hex.ts";
import { DecodeError } from "../../src/errors.ts";
import {
  generatePrivateKey,
  isValidPrivateKey,
  publicKeyFromPrivate,
} from "../../src/keys/private-key.ts";
import {
  compressPublicKey,
  decompressPublicKey,
  isCompressedPublicKey,
  isValidPublicKey,
} from "../../src/keys/public-key.ts";

interface NativeKeys {
  publicKeyCreate(privateKey: Uint8Array, compressed: boolean): Uint8Array;
  publicKeyConvert(publicKey: Uint8Array, compressed: boolean): Uint8Array;
}
function loadNative(): NativeKeys | undefined {
  try {
    return createRequire(import.meta.url)("secp256k1/bindings") as NativeKeys;
  } catch {
    return undefined;
  }
}
const native = loadNative();
const noNative = native === undefined ? "secp256k1 native binding not available" : false;

const privateKey = fc
  .bigInt({ min: 1n, max: SECP256K1_N - 1n })
  .map((k) => fromHex(k.toString(16).padStart(64, "0")));

function hybrid(uncompressed: Uint8Array): Uint8Array {
  const key = uncompressed.slice();
  key[0] = 0x06 | (key[64]! & 1);
  return key;
}

describe("private keys", () => {
  it("accept exactly 1..n-1 in 32 bytes", () => {
    const of = (k: bigint) => fromHex(k.toString(16).padStart(64, "0"));
    assert.ok(isValidPrivateKey(of(1n)));
    assert.ok(isValidPrivateKey(of(SECP256K1_N - 1n)));
    assert.equal(isValidPrivateKey(of(0n)), false);
    assert.equal(isValidPrivateKey(of(SECP256K1_N)), false);
    assert.equal(isValidPrivateKey(new Uint8Array(33).fill(1)), false);
    assert.equal(isValidPrivateKey(new Uint8Array(31).fill(1)), false);
  });

  it("generate valid keys, reproducibly from a seed", () => {
    assert.ok(isValidPrivateKey(generatePrivateKey()));
    const seed = new Uint8Array(48).fill(5);
    assert.deepEqual(generatePrivateKey(seed), generatePrivateKey(seed));
    assert.notDeepEqual(generatePrivateKey(), generatePrivateKey());
  });

  it("derive the same public keys as libsecp256k1", { skip: noNative }, () => {
    fc.assert(
      fc.property(privateKey, (k) => {
        assert.deepEqual(publicKeyFromPrivate(k), native!.publicKeyCreate(k, true));
        assert.deepEqual(publicKeyFromPrivate(k, false), native!.publicKeyCreate(k, false));
      }),
      { numRuns: 50 },
    );
  });
});

describe("public keys", () => {
  it("convert between compressed, uncompressed and hybrid forms", () => {
    fc.assert(
      fc.property(privateKey, (k) => {
        const c = publicKeyFromPrivate(k, true);
        const u = publicKeyFromPrivate(k, false);
        const h = hybrid(u);
        for (const key of [c, u, h]) {
          assert.ok(isValidPublicKey(key));
          assert.deepEqual(compressPublicKey(key), c);
          assert.deepEqual(decompressPublicKey(key), u);
        }
        assert.ok(isCompressedPublicKey(c));
        assert.equal(isCompressedPublicKey(u), false);
      }),
      { numRuns: 50 },
    );
  });

  it("accept exactly what secp256k1_ec_pubkey_parse accepts", { skip: noNative }, () => {
    const libsecpParses = (key: Uint8Array) => {
      if (key.length !== 33 && key.length !== 65) return false; // the binding's own length gate
      try {
        native!.publicKeyConvert(key, true);
        return true;
      } catch {
        return false;
      }
    };
    const validKey = fc.tuple(privateKey, fc.constantFrom("c", "u", "h")).map(([k, form]) => {
      if (form === "c") return publicKeyFromPrivate(k, true);
      const u = publicKeyFromPrivate(k, false);
      return form === "u" ? u : hybrid(u);
    });
    const mutated = fc
      .tuple(validKey, fc.nat(), fc.integer({ min: 1, max: 255 }))
      .map(([key, at, xor]) => {
        const out = key.slice();
        const i = at % out.length;
        out[i] = out[i]! ^ xor;
        return out;
      });
    const random = fc
      .tuple(fc.constantFrom(33, 65), fc.integer({ min: 0, max: 8 }))
      .chain(([len, tag]) =>
        fc.uint8Array({ minLength: len, maxLength: len }).map((k) => {
          k[0] = tag;
          return k;
        }),
      );
    fc.assert(
      fc.property(fc.oneof(validKey, mutated, random, fc.uint8Array({ maxLength: 70 })), (key) => {
        assert.equal(isValidPublicKey(key), libsecpParses(key));
      }),
      { numRuns: 1000 },
    );
  });

  it("throw DecodeError when converting an invalid key", () => {
    const bad = Uint8Array.from([0x02, ...new Uint8Array(32).fill(0xff)]); // x >= p
    assert.equal(isValidPublicKey(bad), false);
    assert.throws(() => compressPublicKey(bad), DecodeError);
    assert.throws(() => decompressPublicKey(new Uint8Array(0)), DecodeError);
    const u = secp256k1.getPublicKey(new Uint8Array(32).fill(1), false);
    const wrongParity = hybrid(u);
    wrongParity[0] = wrongParity[0]! ^ 1;
    assert.throws(() => compressPublicKey(wrongParity), DecodeError);
  });
});
