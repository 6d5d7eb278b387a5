import { DecodeError, DecodeReason } from "../errors.ts";

const HEX_CHARS = "0123456789abcdef";
const BYTE_TO_HEX: string[] = Array.from(
  { length: 256 },
  (_, i) => HEX_CHARS[i >> 4]! + HEX_CHARS[i & 15]!,
);

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  if (code >= 97 && code <= 102) return code - 87; // a-f
  if (code >= 65 && code <= 70) return code - 55; // A-F
  return -1;
}

/** Lowercase hex of bytes in the order given. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Parses hex (either case). Throws DecodeError for odd length or a non-hex character. */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== "string") throw new TypeError("fromHex: expected a string");
  if (hex.length % 2 !== 0) throw new DecodeError(DecodeReason.INVALID_HEX, "odd length");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0)
      throw new DecodeError(DecodeReason.INVALID_HEX, `bad character near ${2 * i}`);
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Display hex (reversed, as Bitcoin shows hashes) of a hash in internal byte order. */
export function hashToHex(hash: Uint8Array): string {
  let out = "";
  for (let i = hash.length - 1; i >= 0; i--) out += BYTE_TO_HEX[hash[i]!];
  return out;
}

/** Internal byte order of a 32-byte hash given as display hex. */
export function hexToHash(hex: string): Uint8Array {
  const bytes = fromHex(hex);
  if (bytes.length !== 32)
    throw new DecodeError(DecodeReason.INVALID_LENGTH, "hash must be 32 bytes");
  return bytes.reverse();
}
