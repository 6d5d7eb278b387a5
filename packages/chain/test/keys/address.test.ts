import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { hash160 } from "../../src/crypto/hash.ts";
import { DecodeError, DecodeReason } from "../../src/errors.ts";
import {
  addressToScript,
  decodeAddress,
  encodeAddress,
  isValidAddress,
  publicKeyToAddress,
  redeemScriptToAddress,
  scriptToAddress,
  scriptToDecodedAddress,
} from "../../src/keys/address.ts";
import { decodeBase58Check, encodeBase58Check } from "../../src/keys/base58check.ts";
import type { AddressPrefixes } from "../../src/params/prefixes.ts";
import { p2pkhScript, p2shScript } from "../../src/script/builder.ts";

const NET: AddressPrefixes = { pubkeyHash: 63, scriptHash: 125, wif: 191 };
const OTHER: AddressPrefixes = { pubkeyHash: 0, scriptHash: 5, wif: 128 };

const hash = fc.uint8Array({ minLength: 20, maxLength: 20 });
const type = fc.constantFrom("p2pkh" as const, "p2sh" as const);

describe("addresses", () => {
  it("round-trip through text and script", () => {
    fc.assert(
      fc.property(type, hash, (t, h) => {
        const text = encodeAddress({ type: t, hash: h }, NET);
        assert.deepEqual(decodeAddress(text, NET), { type: t, hash: h });
        const script = addressToScript(text, NET);
        assert.equal(scriptToAddress(script, NET), text);
        assert.deepEqual(scriptToDecodedAddress(script), { type: t, hash: h });
      }),
    );
  });

  it("carry the network's version byte", () => {
    fc.assert(
      fc.property(type, hash, (t, h) => {
        const payload = decodeBase58Check(encodeAddress({ type: t, hash: h }, NET));
        assert.equal(payload[0], t === "p2pkh" ? NET.pubkeyHash : NET.scriptHash);
        assert.equal(isValidAddress(encodeAddress({ type: t, hash: h }, NET), OTHER), false);
      }),
    );
  });

  it("hash keys and redeem scripts with HASH160", () => {
    const key = Uint8Array.from([2, ...new Uint8Array(32).fill(7)]);
    assert.deepEqual(decodeAddress(publicKeyToAddress(key, NET), NET), {
      type: "p2pkh",
      hash: hash160(key),
    });
    const redeem = Uint8Array.from([0x51]);
    assert.deepEqual(decodeAddress(redeemScriptToAddress(redeem, NET), NET), {
      type: "p2sh",
      hash: hash160(redeem),
    });
  });

  it("map only the exact templates back to addresses", () => {
    const h = new Uint8Array(20).fill(1);
    const p2pkh = p2pkhScript(h);
    const longer = Uint8Array.from([...p2pkh, 0x61]);
    const altered = p2pkh.slice();
    altered[24] = 0xad; // OP_CHECKSIGVERIFY
    const p2sh = p2shScript(h);
    const wrongPush = p2sh.slice();
    wrongPush[1] = 21;
    for (const script of [longer, altered, wrongPush, new Uint8Array(0), Uint8Array.from([0x51])]) {
      assert.equal(scriptToAddress(script, NET), undefined);
    }
  });

  it("reject wrong payload lengths and unknown version bytes with DecodeError", () => {
    const withPayload = (bytes: number[]) => encodeBase58Check(Uint8Array.from(bytes));
    const h = [...new Uint8Array(20).fill(3)];
    assert.throws(
      () => decodeAddress(withPayload([NET.pubkeyHash, ...h, 0]), NET),
      (e: unknown) => e instanceof DecodeError && e.reason === DecodeReason.INVALID_LENGTH,
    );
    assert.throws(
      () => decodeAddress(withPayload([NET.pubkeyHash, ...h.slice(1)]), NET),
      (e: unknown) => e instanceof DecodeError && e.reason === DecodeReason.INVALID_LENGTH,
    );
    assert.throws(
      () => decodeAddress(withPayload([NET.wif, ...h]), NET),
      (e: unknown) => e instanceof DecodeError && e.reason === DecodeReason.INVALID_ENCODING,
    );
    assert.throws(() => decodeAddress("not an address", NET), DecodeError);
    assert.throws(() => encodeAddress({ type: "p2sh", hash: new Uint8Array(19) }, NET), RangeError);
  });
});
