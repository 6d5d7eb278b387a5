import { DecodeError, DecodeReason } from "../errors.ts";
import type { AddressPrefixes } from "../params/prefixes.ts";
import { decodeBase58Check, encodeBase58Check } from "./base58check.ts";
import { assertPrivateKey, isValidPrivateKey, PRIVATE_KEY_SIZE } from "./private-key.ts";

/**
 * Wallet Import Format (Core's EncodeSecret / DecodeSecret): base58check of
 * version byte || 32-byte key || 0x01 when the matching public key is compressed.
 */

export interface DecodedWif {
  readonly privateKey: Uint8Array;
  /** Whether addresses of this key use its compressed public key. */
  readonly compressed: boolean;
}

const COMPRESSED_FLAG = 0x01;

export function encodeWif(
  privateKey: Uint8Array,
  prefixes: Pick<AddressPrefixes, "wif">,
  compressed = true,
): string {
  assertPrivateKey(privateKey);
  const payload = new Uint8Array(1 + PRIVATE_KEY_SIZE + (compressed ? 1 : 0));
  payload[0] = prefixes.wif;
  payload.set(privateKey, 1);
  if (compressed) payload[1 + PRIVATE_KEY_SIZE] = COMPRESSED_FLAG;
  return encodeBase58Check(payload);
}

/**
 * Throws DecodeError: invalid-encoding for bad base58, a bad checksum, another network's version
 * byte, a compression flag other than 0x01 or a key outside 1..n-1; invalid-length for anything
 * but 33 or 34 payload bytes.
 */
export function decodeWif(text: string, prefixes: Pick<AddressPrefixes, "wif">): DecodedWif {
  const payload = decodeBase58Check(text);
  if (payload.length !== 1 + PRIVATE_KEY_SIZE && payload.length !== 2 + PRIVATE_KEY_SIZE) {
    throw new DecodeError(DecodeReason.INVALID_LENGTH, `WIF: ${payload.length}-byte payload`);
  }
  if (payload[0] !== prefixes.wif) {
    throw new DecodeError(DecodeReason.INVALID_ENCODING, `WIF: version byte ${payload[0]}`);
  }
  const compressed = payload.length === 2 + PRIVATE_KEY_SIZE;
  if (compressed && payload[1 + PRIVATE_KEY_SIZE] !== COMPRESSED_FLAG) {
    throw new DecodeError(DecodeReason.INVALID_ENCODING, "WIF: bad compression flag");
  }
  const privateKey = payload.slice(1, 1 + PRIVATE_KEY_SIZE);
  if (!isValidPrivateKey(privateKey)) {
    throw new DecodeError(DecodeReason.INVALID_ENCODING, "WIF: key outside 1..n-1");
  }
  return { privateKey, compressed };
}
