// Chain work (work.ts) and the proof-of-work check (check-pow.ts): both read targets from bits.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { fromHex, hashToHex } from "../../src/encoding/hex.ts";
import { DecodeError } from "../../src/errors.ts";
import {
  checkProofOfWork,
  checkProofOfWorkBytes,
  deriveTarget,
  hashMeetsTarget,
  hashToBigInt,
} from "../../src/pow/check-pow.ts";
import { bitsToTarget, targetToBits } from "../../src/pow/compact.ts";
import { addBlockWork, blockWork, chainWork, chainWorkToHex } from "../../src/pow/work.ts";
import { BlockHeader } from "../../src/primitives/block-header.ts";

const MAX_UINT256 = (1n << 256n) - 1n;
const BITCOIN_POW_LIMIT = 0x1d00ffff;
const INVALID_BITS = [
  0x00000000, // zero
  0x01003456, // zero after the shift
  0x04923456, // negative
  0x01fedcba, // negative
  0xff123456, // overflow
  0x21010000, // overflow
];

/** Bits of a valid target (positive, not overflowing, canonical). */
const arbValidBits = fc
  .tuple(fc.integer({ min: 0x8000, max: 0x7fffff }), fc.integer({ min: 3, max: 32 }))
  .map(([mantissa, size]) => targetToBits(BigInt(mantissa) << BigInt(8 * (size - 3))));

/** The display hex of the 256-bit number `value` (the way Bitcoin shows a hash). */
function numberToHashHex(value: bigint): string {
  return value.toString(16).padStart(64, "0");
}

describe("blockWork: Bitcoin Core's GetBlockProof", () => {
  it("is 0x100010001 at Bitcoin's powLimit (the genesis block's chainwork)", () => {
    assert.equal(blockWork(BITCOIN_POW_LIMIT), 0x100010001n);
  });

  it("is 2 at regtest's powLimit 0x207fffff, as Core's regtest adds 2 per block", () => {
    assert.equal(blockWork(0x207fffff), 2n);
  });

  it("is 0 for negative, zero and overflowing bits", () => {
    for (const bits of INVALID_BITS) assert.equal(blockWork(bits), 0n, bits.toString(16));
  });

  it("equals Core's 256-bit form ~target / (target + 1) + 1", () => {
    fc.assert(
      fc.property(arbValidBits, (bits) => {
        const target = bitsToTarget(bits);
        const notTarget = MAX_UINT256 ^ target;
        assert.equal(blockWork(bits), notTarget / (target + 1n) + 1n);
      }),
    );
  });

  it("grows as the target shrinks", () => {
    fc.assert(
      fc.property(arbValidBits, arbValidBits, (a, b) => {
        const [ta, tb] = [bitsToTarget(a), bitsToTarget(b)];
        if (ta < tb) assert.ok(blockWork(a) >= blockWork(b));
      }),
    );
  });

  it("adds up along a chain", () => {
    fc.assert(
      fc.property(fc.array(arbValidBits, { maxLength: 20 }), (list) => {
        let total = 0n;
        for (const bits of list) total = addBlockWork(total, bits);
        assert.equal(chainWork(list), total);
        assert.equal(
          total,
          list.reduce((sum, bits) => sum + blockWork(bits), 0n),
        );
      }),
    );
    assert.equal(chainWork([BITCOIN_POW_LIMIT, BITCOIN_POW_LIMIT]), 0x200020002n);
  });

  it("prints chain work as Core's 64-digit hex", () => {
    assert.equal(chainWorkToHex(0x100010001n), `${"0".repeat(55)}100010001`);
    assert.throws(() => chainWorkToHex(-1n), RangeError);
    assert.throws(() => chainWorkToHex(1n << 256n), RangeError);
  });
});

describe("checkProofOfWork: Bitcoin Core's CheckProofOfWork", () => {
  // Bitcoin's genesis and block 100000 headers: public chain data; their hashes are recomputed.
  const genesis = new BlockHeader({
    version: 1,
    prevBlock: "0".repeat(64),
    merkleRoot: "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b",
    time: 1231006505,
    bits: 0x1d00ffff,
    nonce: 2083236893,
  });
  const block100000 = new BlockHeader({
    version: 1,
    prevBlock: "000000000002d01c1fccc21636b607dfd930d31d01c3a62104612a1719011250",
    merkleRoot: "f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766",
    time: 1293623863,
    bits: 0x1b04864c,
    nonce: 274148111,
  });

  it("accepts real Bitcoin blocks", () => {
    assert.equal(
      genesis.hash(),
      "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f",
    );
    assert.equal(checkProofOfWork(genesis.hash(), genesis.bits, BITCOIN_POW_LIMIT), true);
    assert.equal(
      block100000.hash(),
      "000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506",
    );
    assert.equal(checkProofOfWork(block100000.hash(), block100000.bits, BITCOIN_POW_LIMIT), true);
    assert.equal(
      checkProofOfWorkBytes(block100000.hashBytes(), 0x1b04864c, bitsToTarget(BITCOIN_POW_LIMIT)),
      true,
    );
  });

  it("refuses a real block's hash against a harder target than it met", () => {
    // Block 100000's hash is about 0x3ba27 << 192; 0x1b03ba27 is just below it.
    assert.equal(checkProofOfWork(block100000.hash(), 0x1b03ba27, BITCOIN_POW_LIMIT), false);
    assert.equal(checkProofOfWork(block100000.hash(), 0x1b03ba28, BITCOIN_POW_LIMIT), true);
  });

  it("accepts a hash equal to the target and refuses target + 1", () => {
    fc.assert(
      fc.property(arbValidBits, (bits) => {
        const target = bitsToTarget(bits);
        const powLimit = targetToBits(MAX_UINT256 >> 1n);
        assert.equal(checkProofOfWork(numberToHashHex(target), bits, powLimit), true);
        assert.equal(checkProofOfWork(numberToHashHex(target + 1n), bits, powLimit), false);
        assert.equal(checkProofOfWork(numberToHashHex(0n), bits, powLimit), true);
      }),
    );
  });

  it("refuses negative, zero and overflowing bits even for the zero hash", () => {
    for (const bits of INVALID_BITS) {
      assert.equal(checkProofOfWork("0".repeat(64), bits, 0x207fffff), false, bits.toString(16));
      assert.equal(deriveTarget(bits, MAX_UINT256), undefined);
    }
  });

  it("refuses a target above powLimit, and accepts powLimit itself", () => {
    assert.equal(checkProofOfWork("0".repeat(64), 0x1d010000, BITCOIN_POW_LIMIT), false);
    assert.equal(checkProofOfWork("0".repeat(64), 0x1e00ffff, 0x1d00ffff), false);
    assert.equal(checkProofOfWork("0".repeat(64), 0x1d00ffff, BITCOIN_POW_LIMIT), true);
    // A non-canonical encoding of the same target is fine: Core compares numbers, not bits.
    // 0x1e0000ff is 0xff << 216 = 0xff00 << 208, canonically 0x1d00ff00.
    assert.equal(targetToBits(bitsToTarget(0x1e0000ff)), 0x1d00ff00);
    assert.equal(checkProofOfWork("0".repeat(64), 0x1e0000ff, BITCOIN_POW_LIMIT), true);
  });

  it("reads hashes as little-endian 256-bit numbers in both entry points", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), arbValidBits, (hash, bits) => {
        const hex = hashToHex(hash);
        assert.equal(hashToBigInt(hash), BigInt(`0x${hex}`));
        const expected = BigInt(`0x${hex}`) <= bitsToTarget(bits);
        assert.equal(checkProofOfWork(hex, bits, 0x2100ffff), expected);
        assert.equal(checkProofOfWorkBytes(hash, bits, MAX_UINT256), expected);
        assert.equal(hashMeetsTarget(hash, bitsToTarget(bits)), expected);
      }),
    );
    // The last internal byte is the most significant.
    const hash = new Uint8Array(32);
    hash[31] = 1;
    assert.equal(hashToBigInt(hash), 1n << 248n);
  });

  it("throws DecodeError for a hash that is not 64 hex digits", () => {
    assert.throws(() => checkProofOfWork("00", 0x1d00ffff, 0x1d00ffff), DecodeError);
    assert.throws(() => checkProofOfWork("zz".repeat(32), 0x1d00ffff, 0x1d00ffff), DecodeError);
    assert.throws(() => hashToBigInt(fromHex("00")), TypeError);
  });
});
