import { isHighS, parseDerLax } from "../crypto/der.ts";
import { ScriptFlag } from "./flags.ts";
import { ScriptError, type ScriptErrorCode } from "./script-error.ts";
import { SighashType } from "./sighash.ts";

/**
 * The encoding rules the interpreter applies to signatures (with their trailing hash-type byte)
 * and public keys before checking them, as Bitcoin Core's CheckSignatureEncoding and
 * CheckPubKeyEncoding do. Verification itself parses signatures laxly (crypto/der.ts); these
 * rules apply on top.
 */

/**
 * BIP66 strict DER plus the hash-type byte (Core's IsValidSignatureEncoding):
 * 0x30 [total-length] 0x02 [R-length] [R] 0x02 [S-length] [S] [sighash], R and S minimal
 * non-negative big-endian integers of at least one byte. Consensus-critical since BIP66.
 */
export function isValidSignatureEncoding(sig: Uint8Array): boolean {
  const size = sig.length;
  if (size < 9 || size > 73) return false;
  if (sig[0] !== 0x30) return false;
  if (sig[1] !== size - 3) return false;
  const lenR = sig[3]!;
  if (5 + lenR >= size) return false;
  const lenS = sig[5 + lenR]!;
  if (lenR + lenS + 7 !== size) return false;

  if (sig[2] !== 0x02) return false;
  if (lenR === 0) return false;
  if (sig[4]! & 0x80) return false;
  if (lenR > 1 && sig[4] === 0x00 && !(sig[5]! & 0x80)) return false;

  if (sig[lenR + 4] !== 0x02) return false;
  if (lenS === 0) return false;
  if (sig[lenR + 6]! & 0x80) return false;
  if (lenS > 1 && sig[lenR + 6] === 0x00 && !(sig[lenR + 7]! & 0x80)) return false;
  return true;
}

/**
 * Core's CPubKey::CheckLowS on a signature *with* its hash-type byte: it parses laxly and its S is
 * at most n/2. An R or S that overflows the group order parses as zero, which counts as low.
 */
export function hasLowS(sigWithHashType: Uint8Array): boolean {
  const parsed = parseDerLax(sigWithHashType.subarray(0, sigWithHashType.length - 1));
  return parsed !== undefined && !isHighS(parsed.s);
}

/** STRICTENC: the hash type, without ANYONECANPAY, is ALL, NONE or SINGLE. */
export function isDefinedHashType(sigWithHashType: Uint8Array): boolean {
  if (sigWithHashType.length === 0) return false;
  const base = sigWithHashType[sigWithHashType.length - 1]! & ~SighashType.ANYONECANPAY;
  return base >= SighashType.ALL && base <= SighashType.SINGLE;
}

/**
 * Null when `sig` is acceptable under `flags`, else the reason. The empty signature is always
 * acceptable: it is the compact way to fail a CHECK(MULTI)SIG on purpose.
 */
export function signatureEncodingError(sig: Uint8Array, flags: number): ScriptErrorCode | null {
  if (sig.length === 0) return null;
  if (
    flags & (ScriptFlag.DERSIG | ScriptFlag.LOW_S | ScriptFlag.STRICTENC) &&
    !isValidSignatureEncoding(sig)
  ) {
    return ScriptError.SIG_DER;
  }
  if (flags & ScriptFlag.LOW_S && !hasLowS(sig)) return ScriptError.SIG_HIGH_S;
  if (flags & ScriptFlag.STRICTENC && !isDefinedHashType(sig)) return ScriptError.SIG_HASHTYPE;
  return null;
}

/** Null when `pubkey` is acceptable under `flags` (STRICTENC: compressed or uncompressed only). */
export function pubKeyEncodingError(pubkey: Uint8Array, flags: number): ScriptErrorCode | null {
  if (flags & ScriptFlag.STRICTENC && !isCompressedOrUncompressedPubKey(pubkey)) {
    return ScriptError.PUBKEYTYPE;
  }
  return null;
}

/** A 33-byte compressed (02/03) or 65-byte uncompressed (04) SEC1 key; no hybrid keys. */
export function isCompressedOrUncompressedPubKey(pubkey: Uint8Array): boolean {
  if (pubkey.length < 33) return false;
  const header = pubkey[0];
  if (header === 0x04) return pubkey.length === 65;
  if (header === 0x02 || header === 0x03) return pubkey.length === 33;
  return false;
}

/**
 * Core's CPubKey validity before any parsing: the length its header byte implies (33 for 02/03,
 * 65 for 04/06/07). A key without it cannot verify.
 */
export function hasPlausiblePubKeyLength(pubkey: Uint8Array): boolean {
  const header = pubkey[0];
  if (header === 0x02 || header === 0x03) return pubkey.length === 33;
  if (header === 0x04 || header === 0x06 || header === 0x07) return pubkey.length === 65;
  return false;
}
