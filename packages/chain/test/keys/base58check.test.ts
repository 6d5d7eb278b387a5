import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { sha256 } from "@noble/hashes/sha2.js";
import { createBase58check } from "@scure/base";
import fc from "fast-check";
import { fromHex, toHex } from "../../src/encoding/hex.ts";
import { DecodeError, DecodeReason } from "../../src/errors.ts";
import {
  decodeBase58,
  decodeBase58Check,
  encodeBase58,
  encodeBase58Check,
} from "../../src/keys/base58check.ts";

const VECTORS = fileURLToPath(
  new URL("../../../../../shared/vectors/bitcoin-core/base58_encode_decode.json", import.meta.url),
);
const noVectors = existsSync(VECTORS) ? false : "../shared/vectors not found";

function decodeError(reason: DecodeReason) {
  return (err: unknown) => err instanceof DecodeError && err.reason === reason;
}

describe("base58 (Core's base58_encode_decode.json)", { skip: noVectors }, () => {
  it("encodes and decodes every vector", () => {
    const rows = JSON.parse(readFileSync(VECTORS, "utf8")) as [string, string][];
    assert.ok(rows.length >= 10);
    for (const [hex, text] of rows) {
      assert.equal(encodeBase58(fromHex(hex)), text, hex);
      assert.equal(toHex(decodeBase58(text)), hex, text);
    }
  });
});

describe("base58", () => {
  it("round-trips any bytes, leading zeros included", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (bytes) => {
        assert.deepEqual(decodeBase58(encodeBase58(bytes)), bytes);
      }),
    );
  });

  it("rejects characters outside the alphabet, and whitespace, with a DecodeError", () => {
    for (const text of ["0", "O", "I", "l", "abc+", " 2g", "2g\n", "2g 2g", "é"]) {
      assert.throws(() => decodeBase58(text), decodeError(DecodeReason.INVALID_ENCODING), text);
    }
  });
});

describe("base58check", () => {
  const reference = createBase58check(sha256);

  it("agrees with @scure/base's base58check over @noble/hashes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (payload) => {
        const text = encodeBase58Check(payload);
        assert.equal(text, reference.encode(payload));
        assert.deepEqual(decodeBase58Check(text), payload);
      }),
    );
  });

  it("rejects any single-character change", () => {
    const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.nat({ max: 56 }),
        (payload, at, shift) => {
          const text = encodeBase58Check(payload);
          const i = at % text.length;
          const replaced = alphabet[(alphabet.indexOf(text[i]!) + 1 + shift) % 58]!;
          const changed = text.slice(0, i) + replaced + text.slice(i + 1);
          assert.throws(() => decodeBase58Check(changed), DecodeError);
        },
      ),
    );
  });

  it("names a short input and a bad checksum", () => {
    assert.throws(() => decodeBase58Check(""), decodeError(DecodeReason.INVALID_LENGTH));
    assert.throws(() => decodeBase58Check("2g"), decodeError(DecodeReason.INVALID_LENGTH));
    const good = encodeBase58Check(Uint8Array.from([1, 2, 3]));
    const data = decodeBase58(good);
    data[data.length - 1] = data[data.length - 1]! ^ 1;
    assert.throws(
      () => decodeBase58Check(encodeBase58(data)),
      (err: unknown) =>
        err instanceof DecodeError &&
        err.reason === DecodeReason.INVALID_ENCODING &&
        /checksum/.test(err.message),
    );
  });
});
