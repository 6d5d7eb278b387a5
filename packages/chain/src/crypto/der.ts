/**
 * ECDSA signatures as Bitcoin Core's CPubKey::Verify reads them: Core's lax DER parser, which
 * accepts the malformed DER that OpenSSL once accepted so that old chain history stays valid, and
 * low-S normalisation. The BIP66 strict-DER and LOW_S *script* rules live in
 * script/signature-encoding.ts and apply on top of this.
 */

/** Order n of the secp256k1 group. */
export const SECP256K1_N: bigint =
  0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = SECP256K1_N >> 1n;

/**
 * A signature as libsecp256k1 holds it after parsing: r and s as 32-byte big-endian values (views
 * into `compact`, which is r || s). Both zero means "parsed, but can never verify".
 */
export interface LaxSignature {
  readonly compact: Uint8Array;
  readonly r: Uint8Array;
  readonly s: Uint8Array;
}

/** Big-endian bytes to bigint. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = 0; i < bytes.length; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

function bigintTo32(v: bigint, out: Uint8Array, offset: number): void {
  for (let i = 31; i >= 0; i--) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/**
 * Reads a DER length whose first byte has already been consumed as `lenbyte` with its high bit set:
 * Core skips leading zero bytes and accepts up to three significant bytes. Returns the length and
 * the new position, or undefined when the input is malformed.
 */
function readLongLength(
  input: Uint8Array,
  pos: number,
  lenbyte: number,
): { length: number; pos: number } | undefined {
  lenbyte -= 0x80;
  if (lenbyte > input.length - pos) return undefined;
  while (lenbyte > 0 && input[pos] === 0) {
    pos++;
    lenbyte--;
  }
  if (lenbyte >= 4) return undefined;
  let length = 0;
  while (lenbyte > 0) {
    length = length * 256 + input[pos]!;
    pos++;
    lenbyte--;
  }
  return { length, pos };
}

/**
 * Port of Bitcoin Core's ecdsa_signature_parse_der_lax (src/pubkey.cpp), with
 * secp256k1_ecdsa_signature_parse_compact folded in. Returns undefined where Core returns 0. Where
 * Core "succeeds" with an unusable value (r or s longer than 32 bytes, or not below n), returns the
 * all-zero signature, exactly as Core does, so that callers treat it as parsed but invalid.
 * Without the hash-type byte.
 */
export function parseDerLax(input: Uint8Array): LaxSignature | undefined {
  const inputlen = input.length;
  let pos = 0;

  // Sequence tag and length; the sequence length itself is not checked against anything.
  if (pos === inputlen || input[pos] !== 0x30) return undefined;
  pos++;
  if (pos === inputlen) return undefined;
  let lenbyte = input[pos++]!;
  if (lenbyte & 0x80) {
    lenbyte -= 0x80;
    if (lenbyte > inputlen - pos) return undefined;
    pos += lenbyte;
  }

  // R
  if (pos === inputlen || input[pos] !== 0x02) return undefined;
  pos++;
  if (pos === inputlen) return undefined;
  lenbyte = input[pos++]!;
  let rlen: number;
  if (lenbyte & 0x80) {
    const long = readLongLength(input, pos, lenbyte);
    if (long === undefined) return undefined;
    rlen = long.length;
    pos = long.pos;
  } else {
    rlen = lenbyte;
  }
  if (rlen > inputlen - pos) return undefined;
  let rpos = pos;
  pos += rlen;

  // S
  if (pos === inputlen || input[pos] !== 0x02) return undefined;
  pos++;
  if (pos === inputlen) return undefined;
  lenbyte = input[pos++]!;
  let slen: number;
  if (lenbyte & 0x80) {
    const long = readLongLength(input, pos, lenbyte);
    if (long === undefined) return undefined;
    slen = long.length;
    pos = long.pos;
  } else {
    slen = lenbyte;
  }
  if (slen > inputlen - pos) return undefined;
  let spos = pos;
  // Bytes after S are ignored, as in Core.

  const compact = new Uint8Array(64);
  let overflow = false;
  while (rlen > 0 && input[rpos] === 0) {
    rlen--;
    rpos++;
  }
  if (rlen > 32) overflow = true;
  else compact.set(input.subarray(rpos, rpos + rlen), 32 - rlen);
  while (slen > 0 && input[spos] === 0) {
    slen--;
    spos++;
  }
  if (slen > 32) overflow = true;
  else compact.set(input.subarray(spos, spos + slen), 64 - slen);

  // secp256k1_ecdsa_signature_parse_compact rejects r or s >= n; Core then zeroes the signature.
  if (
    overflow ||
    compareBigEndian32(compact, 0, N_BYTES) >= 0 ||
    compareBigEndian32(compact, 32, N_BYTES) >= 0
  ) {
    compact.fill(0);
  }
  return { compact, r: compact.subarray(0, 32), s: compact.subarray(32) };
}

/** n and n/2 as 32 big-endian bytes: range checks on every signature are byte compares, not BigInt. */
const N_BYTES = bigintToBytes32(SECP256K1_N);
const HALF_N_BYTES = bigintToBytes32(HALF_N);

function bigintToBytes32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  bigintTo32(v, out, 0);
  return out;
}

/** Compares 32 big-endian bytes of `a` at `offset` with `b`: negative, zero or positive. */
function compareBigEndian32(a: Uint8Array, offset: number, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const d = a[offset + i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/** True when the 32-byte big-endian s is above n/2 (secp256k1_scalar_is_high). */
export function isHighS(s: Uint8Array): boolean {
  return compareBigEndian32(s, 0, HALF_N_BYTES) > 0;
}

/**
 * secp256k1_ecdsa_signature_normalize on a 64-byte compact signature, in place: replaces a high s
 * by n - s. Returns true when it changed the signature.
 */
export function normalizeLowS(compact: Uint8Array): boolean {
  if (compareBigEndian32(compact, 32, HALF_N_BYTES) <= 0) return false;
  bigintTo32(SECP256K1_N - bytesToBigint(compact.subarray(32, 64)), compact, 32);
  return true;
}
