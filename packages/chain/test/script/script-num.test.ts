import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ScriptFailure } from "../../src/script/script-error.ts";
import {
  castToBool,
  clampToInt32,
  decodeScriptNum,
  encodeScriptNum,
} from "../../src/script/script-num.ts";

const MAX_4 = 2 ** 31 - 1;
const MAX_5 = 2 ** 39 - 1;

function failsWith(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof ScriptFailure && e.code === code);
}

describe("script numbers", () => {
  it("encode minimally and decode back, within 4 and 5 bytes", () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_4, max: MAX_4 }), (n) => {
        const bytes = encodeScriptNum(n);
        assert.ok(bytes.length <= 4);
        assert.equal(decodeScriptNum(bytes, true), n);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: -MAX_5, max: MAX_5 }), (n) => {
        const bytes = encodeScriptNum(n);
        assert.ok(bytes.length <= 5);
        assert.equal(decodeScriptNum(bytes, true, 5), n);
      }),
    );
  });

  it("uses little-endian sign-magnitude with a sign byte only when needed", () => {
    assert.deepEqual(encodeScriptNum(0), new Uint8Array(0));
    assert.deepEqual(encodeScriptNum(1), Uint8Array.of(1));
    assert.deepEqual(encodeScriptNum(-1), Uint8Array.of(0x81));
    assert.deepEqual(encodeScriptNum(127), Uint8Array.of(0x7f));
    assert.deepEqual(encodeScriptNum(128), Uint8Array.of(0x80, 0x00));
    assert.deepEqual(encodeScriptNum(-128), Uint8Array.of(0x80, 0x80));
    assert.deepEqual(encodeScriptNum(255), Uint8Array.of(0xff, 0x00));
    assert.deepEqual(encodeScriptNum(256), Uint8Array.of(0x00, 0x01));
    assert.deepEqual(encodeScriptNum(-0x7fffffff), Uint8Array.of(0xff, 0xff, 0xff, 0xff));
    // Results of arithmetic may need a fifth byte.
    assert.deepEqual(encodeScriptNum(2 ** 32), Uint8Array.of(0, 0, 0, 0, 1));
  });

  it("refuses operands longer than the limit with UNKNOWN_ERROR, as Core's scriptnum_error", () => {
    failsWith(() => decodeScriptNum(Uint8Array.of(1, 2, 3, 4, 5), false), "UNKNOWN_ERROR");
    assert.equal(decodeScriptNum(Uint8Array.of(0, 0, 0, 0, 1), false, 5), 2 ** 32);
    failsWith(() => decodeScriptNum(new Uint8Array(6), false, 5), "UNKNOWN_ERROR");
  });

  it("accepts any padding without MINIMALDATA, refuses it with", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 23), max: 2 ** 23 }),
        fc.boolean(),
        (n, negativeZeroPad) => {
          const minimal = encodeScriptNum(n);
          if (minimal.length >= 4) return;
          // Pad with a zero byte carrying the sign: same value, not minimal.
          const padded = Uint8Array.from([...minimal, 0]);
          if (minimal.length > 0) {
            const signed = minimal[minimal.length - 1]! & 0x80;
            padded[minimal.length - 1] = minimal[minimal.length - 1]! & 0x7f;
            padded[minimal.length] = signed || (negativeZeroPad && n === 0) ? 0x80 : 0;
          }
          assert.equal(decodeScriptNum(padded, false), n);
          failsWith(() => decodeScriptNum(padded, true), "UNKNOWN_ERROR");
        },
      ),
    );
  });

  it("treats negative zero as zero, and as non-minimal", () => {
    assert.equal(decodeScriptNum(Uint8Array.of(0x80), false), 0);
    assert.equal(decodeScriptNum(Uint8Array.of(0, 0x80), false), 0);
    failsWith(() => decodeScriptNum(Uint8Array.of(0x80), true), "UNKNOWN_ERROR");
  });

  it("clamps to int32 as CScriptNum::getint", () => {
    assert.equal(clampToInt32(2 ** 32), 0x7fffffff);
    assert.equal(clampToInt32(-(2 ** 32)), -0x80000000);
    assert.equal(clampToInt32(-5), -5);
  });

  it("casts to bool: any non-zero byte is true, except a lone sign bit at the end", () => {
    assert.equal(castToBool(new Uint8Array(0)), false);
    assert.equal(castToBool(Uint8Array.of(0, 0, 0)), false);
    assert.equal(castToBool(Uint8Array.of(0, 0, 0x80)), false);
    assert.equal(castToBool(Uint8Array.of(0x80, 0)), true);
    assert.equal(castToBool(Uint8Array.of(0, 1)), true);
    fc.assert(
      fc.property(fc.integer({ min: -MAX_4, max: MAX_4 }), (n) => {
        assert.equal(castToBool(encodeScriptNum(n)), n !== 0);
      }),
    );
  });
});
