import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { SECP256K1_N } from "../../src/crypto/der.ts";
import { fromHex } from "../../src/encoding/hex.ts";
import { DecodeError, DecodeReason } from "../../src/errors.ts";
import { encodeBase58Check } from "../../src/keys/base58check.ts";
import { isValidPrivateKey } from "../../src/keys/private-key.ts";
import { decodeWif, encodeWif } from "../../src/keys/wif.ts";

const NET = { wif: 0xef };
const OTHER = { wif: 0x80 };

const privateKey = fc
  .bigInt({ min: 1n, max: SECP256K1_N - 1n })
  .map((k) => fromHex(k.toString(16).padStart(64, "0")));

function wifPayload(prefix: number, key: Uint8Array, suffix: number[] = []): string {
  return encodeBase58Check(Uint8Array.from([prefix, ...key, ...suffix]));
}

function rejects(text: string, reason: DecodeReason, pattern: RegExp) {
  assert.throws(
    () => decodeWif(text, NET),
    (err: unknown) =>
      err instanceof DecodeError && err.reason === reason && pattern.test(err.message),
  );
}

describe("WIF", () => {
  it("round-trips keys with either compression flag", () => {
    fc.assert(
      fc.property(privateKey, fc.boolean(), (key, compressed) => {
        const decoded = decodeWif(encodeWif(key, NET, compressed), NET);
        assert.deepEqual(decoded.privateKey, key);
        assert.equal(decoded.compressed, compressed);
      }),
    );
  });

  it("defaults to compressed", () => {
    const key = new Uint8Array(32).fill(9);
    assert.equal(decodeWif(encodeWif(key, NET), NET).compressed, true);
  });

  it("rejects another network's version byte", () => {
    const key = new Uint8Array(32).fill(9);
    assert.throws(() => decodeWif(encodeWif(key, OTHER), NET), DecodeError);
    rejects(wifPayload(0x80, key, [1]), DecodeReason.INVALID_ENCODING, /version byte 128/);
  });

  it("rejects bad lengths and a compression flag other than 1", () => {
    const key = new Uint8Array(32).fill(9);
    rejects(wifPayload(NET.wif, key.subarray(1)), DecodeReason.INVALID_LENGTH, /32-byte/);
    rejects(wifPayload(NET.wif, key, [1, 1]), DecodeReason.INVALID_LENGTH, /35-byte/);
    rejects(wifPayload(NET.wif, key, [0]), DecodeReason.INVALID_ENCODING, /compression flag/);
    rejects(wifPayload(NET.wif, key, [2]), DecodeReason.INVALID_ENCODING, /compression flag/);
  });

  it("rejects keys outside 1..n-1", () => {
    for (const k of [0n, SECP256K1_N, SECP256K1_N + 1n, 2n ** 256n - 1n]) {
      const key = fromHex(k.toString(16).padStart(64, "0"));
      assert.equal(isValidPrivateKey(key), false);
      rejects(wifPayload(NET.wif, key, [1]), DecodeReason.INVALID_ENCODING, /outside/);
    }
  });

  it("refuses to encode an invalid key (a programmer error)", () => {
    assert.throws(() => encodeWif(new Uint8Array(32), NET), RangeError);
    assert.throws(() => encodeWif(new Uint8Array(31).fill(1), NET), RangeError);
  });
});
