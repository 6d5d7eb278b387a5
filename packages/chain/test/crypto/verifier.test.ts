import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import fc from "fast-check";
import { SECP256K1_N } from "../../src/crypto/der.ts";
import type { SignatureVerifier } from "../../src/crypto/signature-verifier.ts";
import {
  createNativeVerifier,
  createNobleVerifier,
  createVerifier,
  defaultVerifier,
} from "../../src/crypto/verifier.ts";

const nativeVerifier = createNativeVerifier();
const noble = createNobleVerifier();
const noNative = nativeVerifier === undefined ? "secp256k1 native binding not available" : false;
const backends: SignatureVerifier[] =
  nativeVerifier === undefined ? [noble] : [nativeVerifier, noble];

/** secp256k1_ec_pubkey_parse itself, through the binding: the reference for which keys parse. */
interface NativeKeys {
  publicKeyConvert(publicKey: Uint8Array, compressed: boolean): Uint8Array;
}
function libsecpParsesKey(publicKey: Uint8Array): boolean | undefined {
  let lib: NativeKeys;
  try {
    lib = createRequire(import.meta.url)("secp256k1/bindings") as NativeKeys;
  } catch {
    return undefined;
  }
  try {
    lib.publicKeyConvert(publicKey, true);
    return true;
  } catch {
    return false;
  }
}

const secretKey = fc
  .bigInt({ min: 1n, max: SECP256K1_N - 1n })
  .map((k) => Uint8Array.from(Buffer.from(k.toString(16).padStart(64, "0"), "hex")));
const msg32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

function sign(msg: Uint8Array, sk: Uint8Array): Uint8Array {
  return secp256k1.sign(msg, sk, { prehash: false, format: "der" });
}

function highS(derSig: Uint8Array): Uint8Array {
  const sig = secp256k1.Signature.fromBytes(derSig, "der");
  return new secp256k1.Signature(sig.r, SECP256K1_N - sig.s).toBytes("der");
}

function hybrid(sk: Uint8Array): Uint8Array {
  const key = secp256k1.getPublicKey(sk, false);
  key[0] = 0x06 | (key[64]! & 1);
  return key;
}

/** Every backend gives the same answer; returns it. */
function verifyAll(sig: Uint8Array, msg: Uint8Array, key: Uint8Array): boolean {
  const results = backends.map((b) => b.verify(sig, msg, key));
  for (const [i, r] of results.entries()) {
    assert.equal(r, results[0], `${backends[i]!.name} disagrees with ${backends[0]!.name}`);
  }
  return results[0]!;
}

describe("SignatureVerifier backends", () => {
  it("loads the native binding here", { skip: noNative }, () => {
    assert.equal(nativeVerifier?.name, "native");
    assert.equal(defaultVerifier().name, "native");
    assert.equal(createVerifier("native").name, "native");
    assert.equal(createVerifier("noble").name, "noble");
  });

  it("accept valid signatures for compressed, uncompressed and hybrid keys", () => {
    fc.assert(
      fc.property(secretKey, msg32, (sk, msg) => {
        const sig = sign(msg, sk);
        assert.ok(verifyAll(sig, msg, secp256k1.getPublicKey(sk, true)));
        assert.ok(verifyAll(sig, msg, secp256k1.getPublicKey(sk, false)));
        assert.ok(verifyAll(sig, msg, hybrid(sk)));
      }),
      { numRuns: 60 },
    );
  });

  it("accept high-S signatures (Core normalises before verifying)", () => {
    fc.assert(
      fc.property(secretKey, msg32, (sk, msg) => {
        assert.ok(verifyAll(highS(sign(msg, sk)), msg, secp256k1.getPublicKey(sk, true)));
      }),
      { numRuns: 30 },
    );
  });

  it("accept laxly encoded DER of a valid signature", () => {
    fc.assert(
      fc.property(secretKey, msg32, fc.nat({ max: 3 }), (sk, msg, pad) => {
        const sig = secp256k1.Signature.fromBytes(sign(msg, sk), "der");
        const r = Buffer.from(sig.r.toString(16).padStart(64, "0"), "hex");
        const s = Buffer.from(sig.s.toString(16).padStart(64, "0"), "hex");
        const zeros = new Array<number>(pad).fill(0);
        // Zero-padded integers with long-form lengths and trailing junk: not DER, yet Core accepts it.
        const body = [
          0x02,
          0x81,
          32 + pad,
          ...zeros,
          ...r,
          0x02,
          0x82,
          0,
          32 + pad,
          ...zeros,
          ...s,
        ];
        const lax = Uint8Array.from([0x30, 0x81, body.length, ...body, 0xaa]);
        assert.ok(verifyAll(lax, msg, secp256k1.getPublicKey(sk, true)));
      }),
      { numRuns: 30 },
    );
  });

  it("reject a hybrid key whose tag has the wrong parity", () => {
    fc.assert(
      fc.property(secretKey, msg32, (sk, msg) => {
        const key = hybrid(sk);
        key[0] = key[0]! ^ 1;
        assert.equal(verifyAll(sign(msg, sk), msg, key), false);
        assert.equal(libsecpParsesKey(key) ?? false, false);
      }),
      { numRuns: 20 },
    );
  });

  it("agree on mutated signatures, messages and keys", () => {
    const kind = fc.constantFrom("sig", "msg", "key", "uncompressed-key");
    fc.assert(
      fc.property(
        secretKey,
        msg32,
        kind,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (sk, msg, k, at, xor) => {
          const sig = sign(msg, sk);
          const key = secp256k1.getPublicKey(sk, k === "key");
          const target = k === "sig" ? sig : k === "msg" ? msg : key;
          const i = at % target.length;
          target[i] = target[i]! ^ xor;
          const ok = verifyAll(sig, msg, key);
          // Changing the message or a key byte always breaks the signature; a signature byte may not
          // (sequence length, or a high-S twin), so only agreement is asserted there.
          // A tag 0x04 -> 0x06/0x07 edit turns the key into a hybrid encoding of the same point.
          const retagged = k === "uncompressed-key" && at % key.length === 0;
          if (k !== "sig" && !retagged) assert.equal(ok, false);
          if (k !== "sig" && k !== "msg") {
            const parses = libsecpParsesKey(key);
            if (parses === false) assert.equal(ok, false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("return false, without throwing, for garbage", () => {
    const anyKey = fc.oneof(
      fc.uint8Array({ maxLength: 70 }),
      fc.uint8Array({ minLength: 65, maxLength: 65 }).map((k) => {
        k[0] = 0x04 + (k[0]! % 4);
        return k;
      }),
      fc.uint8Array({ minLength: 33, maxLength: 33 }).map((k) => {
        k[0] = 0x02 + (k[0]! % 2);
        return k;
      }),
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 40 }),
        anyKey,
        (sig, msg, key) => {
          assert.equal(verifyAll(sig, msg, key), false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reject zero and overflowing r or s, which Core parses as an invalid signature", () => {
    const sk = new Uint8Array(32).fill(1);
    const msg = new Uint8Array(32).fill(2);
    const key = secp256k1.getPublicKey(sk, true);
    const sig = secp256k1.Signature.fromBytes(sign(msg, sk), "der");
    const enc = (v: bigint) => {
      const bytes = [...Buffer.from(v.toString(16).padStart(64, "0"), "hex")];
      return bytes[0]! & 0x80 ? [0, ...bytes] : bytes;
    };
    const der = (r: number[], s: number[]) => {
      const body = [0x02, r.length, ...r, 0x02, s.length, ...s];
      return Uint8Array.from([0x30, body.length, ...body]);
    };
    assert.ok(verifyAll(der(enc(sig.r), enc(sig.s)), msg, key));
    assert.equal(verifyAll(der([0], enc(sig.s)), msg, key), false);
    assert.equal(verifyAll(der(enc(sig.r), [0]), msg, key), false);
    // r + n is >= n (and may not fit 32 bytes): Core zeroes the signature rather than reducing r.
    assert.equal(verifyAll(der(enc(sig.r + SECP256K1_N), enc(sig.s)), msg, key), false);
    assert.equal(verifyAll(der([1, ...enc(sig.r)], enc(sig.s)), msg, key), false);
  });

  it("reject keys libsecp256k1 does not parse", () => {
    const sk = new Uint8Array(32).fill(3);
    const msg = new Uint8Array(32).fill(4);
    const sig = sign(msg, sk);
    const compressed = secp256k1.getPublicKey(sk, true);
    const uncompressed = secp256k1.getPublicKey(sk, false);
    const withTag = (key: Uint8Array, tag: number) => Uint8Array.from([tag, ...key.subarray(1)]);
    const bad = [
      withTag(compressed, 0x04),
      withTag(compressed, 0x06),
      withTag(uncompressed, 0x02),
      withTag(uncompressed, 0x05),
      uncompressed.subarray(0, 64),
      Uint8Array.from([...compressed, 0]),
      new Uint8Array(0),
    ];
    for (const key of bad) {
      assert.equal(verifyAll(sig, msg, key), false);
      const parses = libsecpParsesKey(key);
      if (parses !== undefined && (key.length === 33 || key.length === 65))
        assert.equal(parses, false);
    }
  });
});
