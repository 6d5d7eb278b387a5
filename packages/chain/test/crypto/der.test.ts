import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import fc from "fast-check";
import { isHighS, normalizeLowS, parseDerLax, SECP256K1_N } from "../../src/crypto/der.ts";
import { fromHex, toHex } from "../../src/encoding/hex.ts";
import {
  isDefinedHashType,
  isValidSignatureEncoding,
} from "../../src/script/signature-encoding.ts";

const VECTORS = fileURLToPath(
  new URL("../../../../../shared/vectors/bitcoin-core/", import.meta.url),
);
const noVectors = existsSync(VECTORS) ? false : "../shared/vectors not found";

function readVector(name: string): unknown[] {
  return JSON.parse(readFileSync(`${VECTORS}${name}`, "utf8")) as unknown[];
}

/** libsecp256k1's strict DER parser (secp256k1_ecdsa_signature_parse_der), an independent oracle. */
interface NativeDer {
  signatureImport(der: Uint8Array): Uint8Array;
  signatureExport(compact: Uint8Array): Uint8Array;
}
function loadNative(): NativeDer | undefined {
  try {
    return createRequire(import.meta.url)("secp256k1/bindings") as NativeDer;
  } catch {
    return undefined;
  }
}
const native = loadNative();

function int32(v: bigint): Uint8Array {
  return fromHex(v.toString(16).padStart(64, "0"));
}

/** DER-ish encoding from raw parts: lets tests build exactly the malformed shapes they need. */
function der(
  r: Uint8Array,
  s: Uint8Array,
  rLen: number[] = [r.length],
  sLen: number[] = [s.length],
) {
  const body = [0x02, ...rLen, ...r, 0x02, ...sLen, ...s];
  return Uint8Array.from([0x30, body.length, ...body]);
}

const R = int32(0x5990e0584b2b238e1dfaad8d6ed69ecc1a4a13ac85fc0b31d0df395eb1ba6105n);
const S = int32(0x2d5876262c288beb511d061691bf26777344b702b00f8fe28621fe4e566695edn);
const ZERO64 = new Uint8Array(64);

describe("BIP66 strict DER (Core's sig_canonical / sig_noncanonical)", { skip: noVectors }, () => {
  it("accepts every canonical signature", () => {
    const rows = readVector("sig_canonical.json").filter((x): x is string => typeof x === "string");
    assert.ok(rows.length >= 5);
    for (const hex of rows) {
      const sig = fromHex(hex);
      assert.ok(isValidSignatureEncoding(sig), hex);
      assert.ok(isDefinedHashType(sig), hex);
      assert.notEqual(parseDerLax(sig.subarray(0, -1)), undefined, hex);
    }
  });

  it("rejects every non-canonical signature (bad DER or undefined hash type)", () => {
    // Rows alternate description / hex; descriptions are not hex.
    const rows = readVector("sig_noncanonical.json").filter(
      (x): x is string => typeof x === "string" && /^([0-9a-fA-F]{2})+$/.test(x),
    );
    assert.ok(rows.length >= 15);
    for (const hex of rows) {
      const sig = fromHex(hex);
      assert.ok(!(isValidSignatureEncoding(sig) && isDefinedHashType(sig)), hex);
    }
  });
});

describe("parseDerLax (Core's ecdsa_signature_parse_der_lax)", () => {
  it("reads a strict signature", () => {
    const sig = parseDerLax(der(R, S));
    assert.ok(sig);
    assert.equal(toHex(sig.r), toHex(R));
    assert.equal(toHex(sig.s), toHex(S));
  });

  it("accepts the malformations OpenSSL accepted", () => {
    const expected = toHex(R) + toHex(S);
    const cases: [string, Uint8Array][] = [
      ["extra zero padding", der(Uint8Array.from([0, 0, ...R]), Uint8Array.from([0, ...S]))],
      ["long-form lengths", der(R, S, [0x81, 32], [0x82, 0, 32])],
      ["long form with zero bytes", der(R, S, [0x83, 0, 0, 32], [0x20])],
      ["zero bytes do not count towards the limit of 3", der(R, S, [0x86, 0, 0, 0, 0, 0, 32])],
      ["garbage after S", Uint8Array.from([...der(R, S), 1, 2, 3])],
      ["wrong sequence length", Uint8Array.from([0x30, 0x01, ...der(R, S).subarray(2)])],
      [
        "long-form sequence length is skipped",
        Uint8Array.from([0x30, 0x84, 9, 9, 9, 9, ...der(R, S).subarray(2)]),
      ],
    ];
    for (const [name, input] of cases) {
      const sig = parseDerLax(input);
      assert.ok(sig, name);
      assert.equal(toHex(sig.compact), expected, name);
      assert.equal(isValidSignatureEncoding(Uint8Array.from([...input, 1])), false, name);
    }
  });

  it("reads a negative (high-bit) R as unsigned", () => {
    const negR = R.slice();
    negR[0] = 0xd9;
    assert.equal(toHex(parseDerLax(der(negR, S))?.r ?? ZERO64), toHex(negR));
  });

  it("reads short and empty integers as small numbers", () => {
    const sig = parseDerLax(der(new Uint8Array(0), Uint8Array.from([0x80])));
    assert.ok(sig);
    assert.equal(toHex(sig.compact), `${"00".repeat(63)}80`);
  });

  it("zeroes the signature when r or s overflows 32 bytes or reaches n", () => {
    const cases: [string, Uint8Array][] = [
      ["33-byte r", der(Uint8Array.from([1, ...R]), S)],
      ["33-byte s", der(R, Uint8Array.from([1, ...S]))],
      ["r = n", der(int32(SECP256K1_N), S)],
      ["s = n", der(R, int32(SECP256K1_N))],
      ["s = 2^256 - 1", der(R, new Uint8Array(32).fill(0xff))],
    ];
    for (const [name, input] of cases) {
      const sig = parseDerLax(input);
      assert.ok(sig, name);
      assert.deepEqual(sig.compact, ZERO64, name);
    }
    const justBelow = parseDerLax(der(int32(SECP256K1_N - 1n), S));
    assert.equal(toHex(justBelow?.r ?? ZERO64), (SECP256K1_N - 1n).toString(16));
  });

  it("rejects what even the lax parser cannot read", () => {
    const full = der(R, S);
    const cases: [string, Uint8Array][] = [
      ["empty", new Uint8Array(0)],
      ["wrong sequence tag", Uint8Array.from([0x31, ...full.subarray(1)])],
      ["wrong R tag", Uint8Array.from([0x30, 0x44, 0x03, ...full.subarray(3)])],
      ["R longer than input", der(R, S, [0x50])],
      ["S longer than input", der(R, S, [32], [0x21])],
      ["three-byte length beyond the input", der(R, S, [0x83, 1, 0, 0])],
      ["four significant length bytes", der(R, S, [32], [0x84, 1, 0, 0, 0])],
      ["length bytes past the end", Uint8Array.from([0x30, 0x02, 0x02, 0x85, 0])],
      ["sequence length bytes past the end", Uint8Array.from([0x30, 0x85, 0, 0])],
      ["no S", full.subarray(0, 4 + 32)],
    ];
    for (const [name, input] of cases) assert.equal(parseDerLax(input), undefined, name);
    // Every proper prefix of a signature ends before S's length is read in full.
    for (let i = 0; i < full.length; i++) {
      assert.equal(parseDerLax(full.subarray(0, i)), undefined, `prefix ${i}`);
    }
  });

  it("agrees with libsecp256k1's strict parser wherever that one accepts", {
    skip: native === undefined ? "secp256k1 native binding not available" : false,
  }, () => {
    const oracle = native!;
    const validSig = fc
      .tuple(
        fc.bigInt({ min: 1n, max: SECP256K1_N - 1n }),
        fc.bigInt({ min: 1n, max: SECP256K1_N - 1n }),
      )
      .map(([r, s]) => new secp256k1.Signature(r, s).toBytes("der"));
    const mutated = fc
      .tuple(
        validSig,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
      )
      .map(([sig, edits]) => {
        const out = sig.slice();
        for (const [at, value] of edits) out[at % out.length] = value;
        return out;
      });
    fc.assert(
      fc.property(fc.oneof(validSig, mutated, fc.uint8Array({ maxLength: 80 })), (input) => {
        let strict: Uint8Array | undefined;
        try {
          strict = oracle.signatureImport(input);
        } catch {
          strict = undefined;
        }
        const lax = parseDerLax(input);
        if (strict !== undefined) {
          assert.ok(lax, "strict DER must parse laxly");
          // libsecp256k1 zeroes only the overflowing half where Core zeroes both.
          if (
            !strict.subarray(0, 32).every((b) => b === 0) &&
            !strict.subarray(32).every((b) => b === 0)
          ) {
            assert.equal(toHex(lax.compact), toHex(strict));
          }
        }
        // BIP66 strictness implies libsecp256k1's DER.
        if (isValidSignatureEncoding(Uint8Array.from([...input, 1]))) assert.ok(strict);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("low S", () => {
  it("normalises exactly the signatures whose s exceeds n/2", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: SECP256K1_N - 1n }),
        fc.bigInt({ min: 1n, max: SECP256K1_N - 1n }),
        (r, s) => {
          const low = s <= SECP256K1_N / 2n;
          const compact = Uint8Array.from([...int32(r), ...int32(s)]);
          assert.equal(isHighS(compact.subarray(32)), !low);
          assert.equal(normalizeLowS(compact), !low);
          assert.equal(toHex(compact.subarray(0, 32)), toHex(int32(r)));
          assert.equal(toHex(compact.subarray(32)), toHex(int32(low ? s : SECP256K1_N - s)));
          assert.equal(isHighS(compact.subarray(32)), false);
        },
      ),
    );
  });

  it("draws the line at n/2", () => {
    const half = SECP256K1_N >> 1n;
    assert.equal(isHighS(int32(half)), false);
    assert.equal(isHighS(int32(half + 1n)), true);
    assert.equal(isHighS(new Uint8Array(32)), false);
  });
});
