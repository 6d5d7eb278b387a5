import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { bitsToTarget, decodeCompact, targetToBits } from "../../src/pow/compact.ts";

const MAX_UINT256 = (1n << 256n) - 1n;

/** 256-bit hex as arith_uint256::GetHex prints it (64 digits, big-endian). */
function hex256(value: bigint): string {
  return value.toString(16).padStart(64, "0");
}

interface SetCompactCase {
  bits: number;
  /** GetHex() after SetCompact. */
  hex: string;
  /** GetCompact(negative) after SetCompact, where Core's test checks it. */
  compact?: number;
  negative: boolean;
  overflow: boolean;
}

const ZERO = "0".repeat(64);

// Bitcoin Core src/test/arith_uint256_tests.cpp, bignum_SetCompact, reconstructed. Each line
// re-derived from SetCompact (size = bits >> 24, word = bits & 0x7fffff, shifted by 8*(size-3))
// and GetCompact (shortest size, and one byte more when the mantissa's 0x800000 bit would be set).
const CORE_CASES: SetCompactCase[] = [
  // Zero mantissas: zero, neither negative nor overflowing, whatever the size or sign bit.
  { bits: 0x00000000, hex: ZERO, compact: 0, negative: false, overflow: false },
  // size 0: 0x123456 >> 24 = 0.
  { bits: 0x00123456, hex: ZERO, compact: 0, negative: false, overflow: false },
  // size 1: 0x003456 >> 16 = 0; size 2: 0x000056 >> 8 = 0.
  { bits: 0x01003456, hex: ZERO, compact: 0, negative: false, overflow: false },
  { bits: 0x02000056, hex: ZERO, compact: 0, negative: false, overflow: false },
  { bits: 0x03000000, hex: ZERO, compact: 0, negative: false, overflow: false },
  { bits: 0x04000000, hex: ZERO, compact: 0, negative: false, overflow: false },
  // Sign bit set but the shifted word is 0, so not negative.
  { bits: 0x00923456, hex: ZERO, compact: 0, negative: false, overflow: false },
  { bits: 0x01803456, hex: ZERO, compact: 0, negative: false, overflow: false },
  { bits: 0x02800056, hex: ZERO, compact: 0, negative: false, overflow: false },
  { bits: 0x03800000, hex: ZERO, compact: 0, negative: false, overflow: false },
  { bits: 0x04800000, hex: ZERO, compact: 0, negative: false, overflow: false },
  // size 1: 0x123456 >> 16 = 0x12; GetCompact: 1 byte, 0x12 << 16 = 0x120000 | 0x01000000.
  {
    bits: 0x01123456,
    hex: `${"0".repeat(62)}12`,
    compact: 0x01120000,
    negative: false,
    overflow: false,
  },
  // word 0x7edcba >> 16 = 0x7e, sign bit set: negative; GetCompact(true) = 0x017e0000 | 0x800000.
  {
    bits: 0x01fedcba,
    hex: `${"0".repeat(62)}7e`,
    compact: 0x01fe0000,
    negative: true,
    overflow: false,
  },
  {
    bits: 0x02123456,
    hex: `${"0".repeat(60)}1234`,
    compact: 0x02123400,
    negative: false,
    overflow: false,
  },
  {
    bits: 0x03123456,
    hex: `${"0".repeat(58)}123456`,
    compact: 0x03123456,
    negative: false,
    overflow: false,
  },
  {
    bits: 0x04123456,
    hex: `${"0".repeat(56)}12345600`,
    compact: 0x04123456,
    negative: false,
    overflow: false,
  },
  // Same magnitude with the sign bit: negative, and GetCompact(true) gives the bits back.
  {
    bits: 0x04923456,
    hex: `${"0".repeat(56)}12345600`,
    compact: 0x04923456,
    negative: true,
    overflow: false,
  },
  // 0x9234 << 16 = 0x92340000: 4 bytes, whose top mantissa byte 0x92 has the sign bit, so
  // GetCompact spends a 5th byte: 0x009234 with size 5.
  {
    bits: 0x05009234,
    hex: `${"0".repeat(56)}92340000`,
    compact: 0x05009234,
    negative: false,
    overflow: false,
  },
  // size 32: 0x123456 << 232, the top 3 bytes of the 256-bit number.
  {
    bits: 0x20123456,
    hex: `123456${"0".repeat(58)}`,
    compact: 0x20123456,
    negative: false,
    overflow: false,
  },
  // size 255 overflows; the shift moves every bit out of 256, so the stored value is 0.
  { bits: 0xff123456, hex: ZERO, negative: false, overflow: true },
];

describe("decodeCompact / bitsToTarget: Bitcoin Core's SetCompact", () => {
  for (const c of CORE_CASES) {
    it(`0x${c.bits.toString(16).padStart(8, "0")}`, () => {
      const decoded = decodeCompact(c.bits);
      assert.equal(hex256(decoded.target), c.hex);
      assert.equal(decoded.negative, c.negative, "negative");
      assert.equal(decoded.overflow, c.overflow, "overflow");
      assert.equal(bitsToTarget(c.bits), decoded.target);
      if (c.compact !== undefined)
        assert.equal(targetToBits(decoded.target, c.negative), c.compact);
    });
  }

  it("GetCompact never sets the sign bit for a positive number: 0x80 is 0x02008000", () => {
    assert.equal(targetToBits(0x80n), 0x02008000);
  });

  // The overflow rule: the mantissa's significant bytes plus (size - 3) must fit 32 bytes.
  const overflowEdges: [number, boolean][] = [
    [0x2100ffff, false], // 0xffff << 240 fits
    [0x21010000, true], // 0x10000 << 240 = 2^256
    [0x220000ff, false], // 0xff << 248 fits
    [0x22000100, true], // 0x100 << 248 = 2^256
    [0x23000001, true], // size 35 overflows whatever the mantissa
    [0x23000000, false], // a zero mantissa never overflows
    [0x22800000, false], // nor a zero mantissa with the sign bit
  ];
  for (const [bits, overflow] of overflowEdges) {
    it(`overflow edge 0x${bits.toString(16)} → ${overflow}`, () => {
      assert.equal(decodeCompact(bits).overflow, overflow);
    });
  }

  it("keeps the magnitude of a negative encoding and truncates an overflowing one to 256 bits", () => {
    assert.equal(bitsToTarget(0x04923456), 0x12345600n);
    assert.equal(bitsToTarget(0x21010000), 0n); // 2^256 mod 2^256
    assert.equal(bitsToTarget(0x21018000), 1n << 255n); // (0x18000 << 240) mod 2^256
  });

  it("Bitcoin's and the Starling networks' powLimits", () => {
    assert.equal(bitsToTarget(0x1d00ffff), 0xffffn << 208n);
    assert.equal(bitsToTarget(0x207fffff), 0x7fffffn << 232n);
    assert.equal(bitsToTarget(0x1f00ffff), 0xffffn << 224n);
    assert.equal(bitsToTarget(0x1e0fffff), 0x0fffffn << 216n);
  });

  it("refuses bits that are not a uint32 (a programmer error)", () => {
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) {
      assert.throws(() => decodeCompact(bad), RangeError);
    }
  });
});

describe("targetToBits: Bitcoin Core's GetCompact", () => {
  const arbTarget = fc.oneof(
    fc.bigInt({ min: 0n, max: MAX_UINT256 }),
    fc.bigInt({ min: 0n, max: 1n << 40n }),
    fc
      .tuple(fc.bigInt({ min: 1n, max: 0xffffffn }), fc.integer({ min: 0, max: 232 }))
      .map(([m, s]) => m << BigInt(s)),
  );

  it("keeps the most significant bytes and drops the rest, rounding toward zero", () => {
    fc.assert(
      fc.property(arbTarget, (target) => {
        const bits = targetToBits(target);
        const back = bitsToTarget(bits);
        assert.ok(back <= target);
        if (target === 0n) {
          assert.equal(bits, 0);
          return;
        }
        // Whole low bytes are cleared: all but the top 3 bytes, or the top 2 when the third
        // would land on the sign bit.
        const bytes = Math.ceil(target.toString(2).length / 8);
        let shift = BigInt(8 * Math.max(0, bytes - 3));
        if ((target >> shift) & 0x800000n) shift += 8n;
        assert.equal(back, (target >> shift) << shift);
        // So at least 16 significant bits survive.
        assert.ok(back > 0n && (target - back) * 0x8000n < target, "lost more than 2^-15");
      }),
    );
  });

  it("produces canonical, positive, non-overflowing bits that encode themselves", () => {
    fc.assert(
      fc.property(arbTarget, (target) => {
        const bits = targetToBits(target);
        const decoded = decodeCompact(bits);
        assert.equal(decoded.negative, false);
        assert.equal(decoded.overflow, false);
        assert.equal(bits & 0x00800000, 0);
        assert.equal(targetToBits(decoded.target), bits);
      }),
    );
  });

  it("sets the sign bit on request unless the mantissa is zero", () => {
    fc.assert(
      fc.property(arbTarget, (target) => {
        const bits = targetToBits(target, true);
        const decoded = decodeCompact(bits);
        assert.equal(decoded.target, bitsToTarget(targetToBits(target)));
        assert.equal(decoded.negative, decoded.target !== 0n);
        assert.equal(targetToBits(decoded.target, true), bits);
      }),
    );
  });

  it("refuses values outside [0, 2^256)", () => {
    assert.throws(() => targetToBits(-1n), RangeError);
    assert.throws(() => targetToBits(1n << 256n), RangeError);
    assert.equal(targetToBits(MAX_UINT256), 0x2100ffff);
  });
});
