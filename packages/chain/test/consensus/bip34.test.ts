import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  checkCoinbaseHeight,
  hasCoinbaseHeight,
  heightPushScript,
} from "../../src/consensus/bip34.ts";
import { toHex } from "../../src/encoding/hex.ts";
import { BlockValidationError } from "../../src/errors.ts";
import { decodeScriptNum } from "../../src/script/script-num.ts";
import { coinbase } from "./regtest-chain.ts";

describe("heightPushScript (CScript() << height)", () => {
  it("uses OP_0 and OP_1..OP_16 for the small heights", () => {
    assert.equal(toHex(heightPushScript(0)), "00");
    assert.equal(toHex(heightPushScript(1)), "51");
    assert.equal(toHex(heightPushScript(16)), "60");
  });

  it("pushes the minimal little-endian number above 16, with a sign byte when needed", () => {
    assert.equal(toHex(heightPushScript(17)), "0111");
    assert.equal(toHex(heightPushScript(127)), "017f");
    assert.equal(toHex(heightPushScript(128)), "028000");
    assert.equal(toHex(heightPushScript(255)), "02ff00");
    assert.equal(toHex(heightPushScript(256)), "020001");
    assert.equal(toHex(heightPushScript(32_768)), "03008000");
    assert.equal(toHex(heightPushScript(8_388_608)), "0400008000");
  });

  it("pushes a number the script interpreter reads back as the height", () => {
    fc.assert(
      fc.property(fc.integer({ min: 17, max: 0x7fffffff }), (height) => {
        const script = heightPushScript(height);
        assert.equal(script[0], script.length - 1);
        assert.equal(decodeScriptNum(script.subarray(1), true, 5), height);
      }),
    );
  });

  it("refuses negative heights", () => {
    assert.throws(() => heightPushScript(-1), RangeError);
  });
});

describe("checkCoinbaseHeight", () => {
  it("accepts the push followed by anything", () => {
    checkCoinbaseHeight(coinbase({ height: 300 }), 300);
    assert.equal(hasCoinbaseHeight(Uint8Array.of(0x02, 0x2c, 0x01, 0xff), 300), true);
  });

  it("rejects another height, a short script and a non-minimal push", () => {
    const reject = (scriptSig: Uint8Array, height: number) =>
      assert.throws(
        () => checkCoinbaseHeight(coinbase({ height, scriptSig }), height),
        (e: unknown) =>
          e instanceof BlockValidationError && e.code === "bad-cb-height" && e.score === 100,
      );
    reject(Uint8Array.of(0x02, 0x2d, 0x01, 0xff), 300);
    reject(Uint8Array.of(0x02, 0x2c), 300);
    // 5 as a one-byte push instead of OP_5.
    reject(Uint8Array.of(0x01, 0x05, 0xff), 5);
    // 300 with a superfluous zero byte.
    reject(Uint8Array.of(0x03, 0x2c, 0x01, 0x00), 300);
  });
});
