import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import fc from "fast-check";
import { SECP256K1_N } from "../../src/crypto/der.ts";
import { sha256 } from "../../src/crypto/hash.ts";
import { createNativeVerifier, createNobleVerifier } from "../../src/crypto/verifier.ts";
import { fromHex } from "../../src/encoding/hex.ts";
import { publicKeyFromPrivate } from "../../src/keys/private-key.ts";
import { p2pkhScriptSig, signHash, signInput } from "../../src/keys/sign.ts";
import { Transaction } from "../../src/primitives/transaction.ts";
import { parseScript } from "../../src/script/parse.ts";
import { legacySighash, SighashType } from "../../src/script/sighash.ts";
import { hasLowS, isValidSignatureEncoding } from "../../src/script/signature-encoding.ts";

interface NativeSign {
  ecdsaSign(msg32: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array };
  signatureExport(compact: Uint8Array): Uint8Array;
}
function loadNative(): NativeSign | undefined {
  try {
    return createRequire(import.meta.url)("secp256k1/bindings") as NativeSign;
  } catch {
    return undefined;
  }
}
const native = loadNative();
const noNative = native === undefined ? "secp256k1 native binding not available" : false;

const verifiers = [createNobleVerifier(), createNativeVerifier()].filter((v) => v !== undefined);

const privateKey = fc
  .bigInt({ min: 1n, max: SECP256K1_N - 1n })
  .map((k) => fromHex(k.toString(16).padStart(64, "0")));
const msg32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

function keyOf(k: bigint): Uint8Array {
  return fromHex(k.toString(16).padStart(64, "0"));
}

describe("signHash", () => {
  it("produces libsecp256k1's RFC 6979 signature, byte for byte", { skip: noNative }, () => {
    // libsecp256k1's default nonce function is RFC 6979 with HMAC-SHA256 and no extra data, and it
    // always emits low S: an independent implementation of exactly what signHash promises.
    const expectSame = (k: Uint8Array, m: Uint8Array) => {
      const expected = native!.signatureExport(native!.ecdsaSign(m, k).signature);
      assert.deepEqual(signHash(k, m), expected);
    };
    expectSame(keyOf(1n), sha256(new TextEncoder().encode("Satoshi Nakamoto")));
    expectSame(keyOf(SECP256K1_N - 1n), sha256(new TextEncoder().encode("All those moments")));
    fc.assert(fc.property(privateKey, msg32, expectSame), { numRuns: 100 });
  });

  it("is deterministic, strict DER and low S, and verifies on every backend", () => {
    fc.assert(
      fc.property(privateKey, msg32, fc.boolean(), (k, m, compressed) => {
        const sig = signHash(k, m);
        assert.deepEqual(signHash(k, m), sig);
        const withType = Uint8Array.from([...sig, SighashType.ALL]);
        assert.ok(isValidSignatureEncoding(withType));
        assert.ok(hasLowS(withType));
        const pub = publicKeyFromPrivate(k, compressed);
        for (const v of verifiers) {
          assert.ok(v.verify(sig, m, pub), v.name);
          const other = m.slice();
          other[0] = other[0]! ^ 1;
          assert.equal(v.verify(sig, other, pub), false, v.name);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("rejects bad arguments as programmer errors", () => {
    assert.throws(() => signHash(new Uint8Array(32), new Uint8Array(32)), RangeError);
    assert.throws(() => signHash(keyOf(1n), new Uint8Array(31)), RangeError);
  });
});

describe("signInput", () => {
  const k = keyOf(0x1234567890abcdefn);
  const pub = publicKeyFromPrivate(k);
  // A P2PKH output script behind an OP_CODESEPARATOR: signInput passes it whole to legacySighash.
  const prevScript = Uint8Array.from([
    0xab,
    0x76,
    0xa9,
    20,
    ...new Uint8Array(20).fill(7),
    0x88,
    0xac,
  ]);
  const tx = new Transaction({
    version: 1,
    inputs: [0, 1].map((i) => ({
      prevTxid: String(i).repeat(64),
      prevIndex: i,
      scriptSig: new Uint8Array(0),
      sequence: 0xfffffffe,
    })),
    outputs: [
      { value: 5000n, scriptPubKey: Uint8Array.from([0x51]) },
      { value: 7000n, scriptPubKey: Uint8Array.from([0x52]) },
    ],
    locktime: 0,
  });

  it("signs the legacy sighash of every hash type and appends the type byte", () => {
    const hashTypes = [
      SighashType.ALL,
      SighashType.NONE,
      SighashType.SINGLE,
      SighashType.ALL | SighashType.ANYONECANPAY,
      SighashType.NONE | SighashType.ANYONECANPAY,
      SighashType.SINGLE | SighashType.ANYONECANPAY,
    ];
    const seen = new Set<string>();
    for (const hashType of hashTypes) {
      const sig = signInput(tx, 1, k, prevScript, hashType);
      assert.equal(sig[sig.length - 1], hashType);
      assert.ok(isValidSignatureEncoding(sig));
      const der = sig.subarray(0, -1);
      const hash = legacySighash(tx, 1, prevScript, hashType);
      for (const v of verifiers) assert.ok(v.verify(der, hash, pub), `${v.name} ${hashType}`);
      seen.add(Buffer.from(sig).toString("hex"));
    }
    assert.equal(seen.size, hashTypes.length);
  });

  it("defaults to SIGHASH_ALL and signs per input", () => {
    const sig0 = signInput(tx, 0, k, prevScript);
    assert.equal(sig0[sig0.length - 1], SighashType.ALL);
    assert.deepEqual(sig0, signInput(tx, 0, k, prevScript, SighashType.ALL));
    assert.notDeepEqual(sig0, signInput(tx, 1, k, prevScript));
  });

  it("refuses an input index the transaction does not have", () => {
    assert.throws(() => signInput(tx, 2, k, prevScript), RangeError);
    assert.throws(() => signInput(tx, -1, k, prevScript), RangeError);
  });

  it("builds the P2PKH scriptSig as two pushes", () => {
    const sig = signInput(tx, 0, k, prevScript);
    for (const key of [pub, publicKeyFromPrivate(k, false)]) {
      const parsed = parseScript(p2pkhScriptSig(sig, key));
      assert.ok(parsed.complete);
      assert.deepEqual(
        parsed.ops.map((op) => op.data),
        [sig, key],
      );
      assert.deepEqual(
        parsed.ops.map((op) => op.opcode),
        [sig.length, key.length],
      );
    }
  });
});
