import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compactSizeLength, MAX_COMPACT_SIZE } from "../../src/encoding/compact-size.ts";
import { fromHex, toHex } from "../../src/encoding/hex.ts";
import { ByteReader } from "../../src/encoding/reader.ts";
import { ByteWriter } from "../../src/encoding/writer.ts";
import { DecodeError, DecodeReason } from "../../src/errors.ts";

function encode(n: number): Uint8Array {
  return new ByteWriter().compactSize(n).finish();
}

function decode(bytes: Uint8Array, max?: number): number {
  const reader = new ByteReader(bytes);
  const value = max === undefined ? reader.compactSize() : reader.compactSize(max);
  reader.end("compact size");
  return value;
}

function decodeFails(bytes: Uint8Array, reason: string): void {
  assert.throws(
    () => decode(bytes),
    (err: unknown) => err instanceof DecodeError && err.reason === reason,
    `${toHex(bytes)} should fail with ${reason}`,
  );
}

/** Values spread over every encoding size, edges included. */
const arbSize = fc.oneof(
  fc.integer({ min: 0, max: 0xfc }),
  fc.integer({ min: 0xfd, max: 0xffff }),
  fc.integer({ min: 0x10000, max: MAX_COMPACT_SIZE }),
  fc.constantFrom(0, 0xfc, 0xfd, 0xffff, 0x10000, MAX_COMPACT_SIZE),
);

describe("CompactSize", () => {
  it("encodes Bitcoin's forms", () => {
    assert.equal(toHex(encode(0)), "00");
    assert.equal(toHex(encode(0xfc)), "fc");
    assert.equal(toHex(encode(0xfd)), "fdfd00");
    assert.equal(toHex(encode(0xffff)), "fdffff");
    assert.equal(toHex(encode(0x10000)), "fe00000100");
    assert.equal(toHex(encode(0xffffffff)), "feffffffff");
    assert.equal(toHex(encode(0x100000000)), "ff0000000001000000");
  });

  it("round-trips every size up to MAX_SIZE in the shortest form", () => {
    fc.assert(
      fc.property(arbSize, (n) => {
        const bytes = encode(n);
        assert.equal(bytes.length, compactSizeLength(n));
        assert.equal(decode(bytes), n);
      }),
    );
  });

  it("refuses every longer-than-needed form with NON_CANONICAL_SIZE", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xfc }), (n) => {
        decodeFails(fromHex(`fd${hexLE(n, 2)}`), DecodeReason.NON_CANONICAL_SIZE);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (n) => {
        decodeFails(fromHex(`fe${hexLE(n, 4)}`), DecodeReason.NON_CANONICAL_SIZE);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => {
        decodeFails(fromHex(`ff${hexLE(n, 8)}`), DecodeReason.NON_CANONICAL_SIZE);
      }),
    );
    // The boundaries themselves: 0xfd needs 0xfd..., 0xfe needs 0x10000..., 0xff needs 2^32...
    decodeFails(fromHex("fdfc00"), DecodeReason.NON_CANONICAL_SIZE);
    decodeFails(fromHex("feffff0000"), DecodeReason.NON_CANONICAL_SIZE);
    decodeFails(fromHex("ffffffffff00000000"), DecodeReason.NON_CANONICAL_SIZE);
  });

  it("refuses sizes above MAX_SIZE (32 MiB) with SIZE_TOO_LARGE, as Core's ReadCompactSize", () => {
    decodeFails(encode(MAX_COMPACT_SIZE + 1), DecodeReason.SIZE_TOO_LARGE);
    decodeFails(fromHex("feffffffff"), DecodeReason.SIZE_TOO_LARGE);
    decodeFails(fromHex("ff0000000001000000"), DecodeReason.SIZE_TOO_LARGE);
    decodeFails(fromHex("ffffffffffffffffff"), DecodeReason.SIZE_TOO_LARGE);
    assert.equal(decode(encode(MAX_COMPACT_SIZE)), MAX_COMPACT_SIZE);
    // A caller's tighter limit applies too.
    assert.throws(
      () => decode(encode(1001), 1000),
      (e: unknown) => e instanceof DecodeError && e.reason === DecodeReason.SIZE_TOO_LARGE,
    );
  });

  it("reports a cut-off CompactSize as TRUNCATED at every length", () => {
    fc.assert(
      fc.property(arbSize, (n) => {
        const bytes = encode(n);
        for (let cut = 0; cut < bytes.length; cut++) {
          decodeFails(bytes.subarray(0, cut), DecodeReason.TRUNCATED);
        }
      }),
    );
  });

  it("writer refuses values that are not non-negative safe integers (programmer errors)", () => {
    for (const bad of [-1, 1.5, 2 ** 53, Number.NaN]) {
      assert.throws(() => encode(bad), RangeError);
    }
  });
});

/** Little-endian hex of `n` in `bytes` bytes. */
function hexLE(n: number, bytes: number): string {
  let out = "";
  let v = BigInt(n);
  for (let i = 0; i < bytes; i++) {
    out += (v & 0xffn).toString(16).padStart(2, "0");
    v >>= 8n;
  }
  return out;
}
