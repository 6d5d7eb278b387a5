import { secp256k1 } from "@noble/curves/secp256k1.js";

/** secp256k1 private keys: 32 big-endian bytes k with 1 <= k < n. */

export const PRIVATE_KEY_SIZE = 32;

export function isValidPrivateKey(privateKey: Uint8Array): boolean {
  return privateKey.length === PRIVATE_KEY_SIZE && secp256k1.utils.isValidSecretKey(privateKey);
}

/** Throws a RangeError (a programmer error, not bad input data) for a key out of range. */
export function assertPrivateKey(privateKey: Uint8Array): void {
  if (!(privateKey instanceof Uint8Array)) throw new TypeError("private key: expected Uint8Array");
  if (!isValidPrivateKey(privateKey)) {
    throw new RangeError("private key: expected 32 bytes in 1..n-1");
  }
}

/**
 * A new private key from the platform CSPRNG (crypto.getRandomValues), or derived from a 48-byte
 * `seed` (reduced into range, FIPS 186-5 A.2.1 style) for reproducible keys in tests.
 */
export function generatePrivateKey(seed?: Uint8Array): Uint8Array {
  return secp256k1.utils.randomSecretKey(seed);
}

/** The SEC1 public key of a private key: 33 bytes compressed (the default) or 65 uncompressed. */
export function publicKeyFromPrivate(privateKey: Uint8Array, compressed = true): Uint8Array {
  assertPrivateKey(privateKey);
  return secp256k1.getPublicKey(privateKey, compressed);
}
