import { base58 } from "@scure/base";
import { sha256d } from "../crypto/hash.ts";
import { equalBytes } from "../encoding/bytes.ts";
import { DecodeError, DecodeReason } from "../errors.ts";

/**
 * Base58 and base58check as Bitcoin uses them (Core's base58.cpp), over @scure/base's base58.
 * Unlike Core's DecodeBase58, surrounding whitespace is not skipped: trimming user input is the
 * caller's business, and a consensus-adjacent decoder should accept one spelling only.
 */

const CHECKSUM_SIZE = 4;

export function encodeBase58(bytes: Uint8Array): string {
  return base58.encode(bytes);
}

/** Throws DecodeError (invalid-encoding) for a character outside Bitcoin's base58 alphabet. */
export function decodeBase58(text: string): Uint8Array {
  if (typeof text !== "string") throw new TypeError("decodeBase58: expected a string");
  try {
    return base58.decode(text);
  } catch {
    throw new DecodeError(DecodeReason.INVALID_ENCODING, "base58: character outside the alphabet");
  }
}

/** payload || first 4 bytes of SHA-256d(payload), in base58. */
export function encodeBase58Check(payload: Uint8Array): string {
  const out = new Uint8Array(payload.length + CHECKSUM_SIZE);
  out.set(payload);
  out.set(sha256d(payload).subarray(0, CHECKSUM_SIZE), payload.length);
  return base58.encode(out);
}

/**
 * The payload of a base58check string. Throws DecodeError: invalid-encoding for a bad character or
 * checksum, invalid-length when there is not even room for the checksum.
 */
export function decodeBase58Check(text: string): Uint8Array {
  const data = decodeBase58(text);
  if (data.length < CHECKSUM_SIZE) {
    throw new DecodeError(DecodeReason.INVALID_LENGTH, "base58check: shorter than its checksum");
  }
  const payload = data.subarray(0, data.length - CHECKSUM_SIZE);
  const checksum = data.subarray(data.length - CHECKSUM_SIZE);
  if (!equalBytes(sha256d(payload).subarray(0, CHECKSUM_SIZE), checksum)) {
    throw new DecodeError(DecodeReason.INVALID_ENCODING, "base58check: bad checksum");
  }
  return payload;
}
