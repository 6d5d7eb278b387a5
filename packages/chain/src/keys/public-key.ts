import { secp256k1 } from "@noble/curves/secp256k1.js";
import { hash160 } from "../crypto/hash.ts";
import { DecodeError, DecodeReason } from "../errors.ts";

/**
 * SEC1 public keys as Bitcoin reads them: 33-byte compressed (0x02/0x03 + x), 65-byte uncompressed
 * (0x04 + x + y), and 65-byte hybrid (0x06/0x07 + x + y, the tag carrying y's parity), which
 * libsecp256k1's secp256k1_ec_pubkey_parse still accepts and Bitcoin's history contains.
 */

export const COMPRESSED_PUBLIC_KEY_SIZE = 33;
export const UNCOMPRESSED_PUBLIC_KEY_SIZE = 65;

/**
 * The key with a hybrid tag replaced by 0x04, or undefined when its length, tag or hybrid parity
 * already fail secp256k1_ec_pubkey_parse. Whether the point is on the curve is not checked here.
 */
export function toSec1PublicKey(publicKey: Uint8Array): Uint8Array | undefined {
  const tag = publicKey[0];
  if (publicKey.length === COMPRESSED_PUBLIC_KEY_SIZE) {
    return tag === 0x02 || tag === 0x03 ? publicKey : undefined;
  }
  if (publicKey.length !== UNCOMPRESSED_PUBLIC_KEY_SIZE) return undefined;
  if (tag === 0x04) return publicKey;
  if (tag !== 0x06 && tag !== 0x07) return undefined;
  if ((publicKey[64]! & 1) !== (tag & 1)) return undefined;
  const uncompressed = publicKey.slice();
  uncompressed[0] = 0x04;
  return uncompressed;
}

/** secp256k1_ec_pubkey_parse: a well-formed encoding of a point on the curve. */
export function isValidPublicKey(publicKey: Uint8Array): boolean {
  const sec1 = toSec1PublicKey(publicKey);
  return sec1 !== undefined && secp256k1.utils.isValidPublicKey(sec1);
}

/** Core's CPubKey::IsCompressed: the encoding is 33 bytes long (validity is not checked). */
export function isCompressedPublicKey(publicKey: Uint8Array): boolean {
  return publicKey.length === COMPRESSED_PUBLIC_KEY_SIZE;
}

function parsePoint(publicKey: Uint8Array) {
  const sec1 = toSec1PublicKey(publicKey);
  if (sec1 !== undefined) {
    try {
      return secp256k1.Point.fromBytes(sec1);
    } catch {
      // falls through to the typed error
    }
  }
  throw new DecodeError(DecodeReason.INVALID_ENCODING, "public key: not a point on secp256k1");
}

/** The 33-byte form of any valid key. Throws DecodeError for an invalid one. */
export function compressPublicKey(publicKey: Uint8Array): Uint8Array {
  return parsePoint(publicKey).toBytes(true);
}

/** The 65-byte 0x04 form of any valid key. Throws DecodeError for an invalid one. */
export function decompressPublicKey(publicKey: Uint8Array): Uint8Array {
  return parsePoint(publicKey).toBytes(false);
}

/** HASH160 of the key exactly as encoded: what a P2PKH output commits to. */
export function publicKeyHash(publicKey: Uint8Array): Uint8Array {
  return hash160(publicKey);
}
