import { createHash, hash } from "node:crypto";
import { ripemd160 } from "@noble/hashes/legacy.js";

/**
 * Hash functions of the consensus rules. SHA-256 goes through node:crypto (OpenSSL, SHA-NI where the
 * CPU has it): pure computation, several times faster than a JS SHA-256 on block-sized inputs.
 */

export function sha256(data: Uint8Array): Uint8Array {
  const d = createHash("sha256").update(data).digest();
  return new Uint8Array(d.buffer, d.byteOffset, 32);
}

/** SHA-256(SHA-256(data)): txids, block hashes, merkle nodes, checksums. Internal byte order. */
export function sha256d(data: Uint8Array): Uint8Array {
  // One-shot crypto.hash skips the Hash object: ~40% faster than createHash on 80-byte headers.
  const second = hash("sha256", hash("sha256", data, "buffer"), "buffer");
  return new Uint8Array(second.buffer, second.byteOffset, 32);
}

/** RIPEMD-160(SHA-256(data)): public key and script hashes in addresses. */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(createHash("sha256").update(data).digest());
}

export function sha1(data: Uint8Array): Uint8Array {
  const d = createHash("sha1").update(data).digest();
  return new Uint8Array(d.buffer, d.byteOffset, 20);
}

export function ripemd160Hash(data: Uint8Array): Uint8Array {
  return ripemd160(data);
}
