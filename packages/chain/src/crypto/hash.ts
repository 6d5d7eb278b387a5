import { createHash, getHashes, hash } from "node:crypto";
import { ripemd160 } from "@noble/hashes/legacy.js";

/**
 * Hash functions of the consensus rules, through node:crypto (OpenSSL, SHA-NI where the CPU has
 * it): pure computation, several times faster than JS hashes on block-sized inputs, and the one-shot
 * `crypto.hash` skips the Hash object on the short inputs (headers, keys) that dominate counts.
 */

function view(digest: Buffer): Uint8Array {
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

export function sha256(data: Uint8Array): Uint8Array {
  return view(hash("sha256", data, "buffer"));
}

/** SHA-256(SHA-256(data)): txids, block hashes, merkle nodes, checksums. Internal byte order. */
export function sha256d(data: Uint8Array): Uint8Array {
  return view(hash("sha256", hash("sha256", data, "buffer"), "buffer"));
}

// OpenSSL 3 may leave RIPEMD-160 to its legacy provider; fall back to @noble/hashes where absent.
const nativeRipemd160 = getHashes().includes("ripemd160");

export function ripemd160Hash(data: Uint8Array): Uint8Array {
  return nativeRipemd160 ? view(hash("ripemd160", data, "buffer")) : ripemd160(data);
}

/** RIPEMD-160(SHA-256(data)): public key and script hashes in addresses. */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160Hash(hash("sha256", data, "buffer"));
}

export function sha1(data: Uint8Array): Uint8Array {
  return view(createHash("sha1").update(data).digest());
}
