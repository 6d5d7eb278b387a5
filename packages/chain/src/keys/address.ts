import { hash160 } from "../crypto/hash.ts";
import { DecodeError, DecodeReason } from "../errors.ts";
import type { AddressPrefixes } from "../params/prefixes.ts";
import { p2pkhScript, p2shScript } from "../script/builder.ts";
import { Op } from "../script/opcodes.ts";
import { decodeBase58Check, encodeBase58Check } from "./base58check.ts";

/**
 * Base58check addresses: P2PKH (version byte `pubkeyHash`) and P2SH (version byte `scriptHash`),
 * each a 20-byte HASH160, and the output scripts they stand for.
 */

export type AddressType = "p2pkh" | "p2sh";

export interface DecodedAddress {
  readonly type: AddressType;
  readonly hash: Uint8Array;
}

const HASH160_SIZE = 20;
const P2PKH_SCRIPT_SIZE = 25;
const P2SH_SCRIPT_SIZE = 23;

function assertHash160(hash: Uint8Array): void {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH160_SIZE) {
    throw new RangeError("address: expected a 20-byte hash");
  }
}

export function encodeAddress(address: DecodedAddress, prefixes: AddressPrefixes): string {
  assertHash160(address.hash);
  const payload = new Uint8Array(1 + HASH160_SIZE);
  payload[0] = address.type === "p2pkh" ? prefixes.pubkeyHash : prefixes.scriptHash;
  payload.set(address.hash, 1);
  return encodeBase58Check(payload);
}

/** The P2PKH address of a public key, hashed exactly as encoded (compressed or not). */
export function publicKeyToAddress(publicKey: Uint8Array, prefixes: AddressPrefixes): string {
  return encodeAddress({ type: "p2pkh", hash: hash160(publicKey) }, prefixes);
}

/** The P2SH address of a redeem script. */
export function redeemScriptToAddress(redeemScript: Uint8Array, prefixes: AddressPrefixes): string {
  return encodeAddress({ type: "p2sh", hash: hash160(redeemScript) }, prefixes);
}

/**
 * Core's DecodeDestination for base58 strings. Throws DecodeError: invalid-encoding for bad base58,
 * a bad checksum or a version byte that is neither of this network's; invalid-length for a payload
 * that is not version byte + 20 bytes.
 */
export function decodeAddress(text: string, prefixes: AddressPrefixes): DecodedAddress {
  const payload = decodeBase58Check(text);
  if (payload.length !== 1 + HASH160_SIZE) {
    throw new DecodeError(DecodeReason.INVALID_LENGTH, `address: ${payload.length}-byte payload`);
  }
  const hash = payload.slice(1);
  if (payload[0] === prefixes.pubkeyHash) return { type: "p2pkh", hash };
  if (payload[0] === prefixes.scriptHash) return { type: "p2sh", hash };
  throw new DecodeError(DecodeReason.INVALID_ENCODING, `address: version byte ${payload[0]}`);
}

export function isValidAddress(text: string, prefixes: AddressPrefixes): boolean {
  try {
    decodeAddress(text, prefixes);
    return true;
  } catch (err) {
    if (err instanceof DecodeError) return false;
    throw err;
  }
}

export function addressToScript(text: string, prefixes: AddressPrefixes): Uint8Array {
  const { type, hash } = decodeAddress(text, prefixes);
  return type === "p2pkh" ? p2pkhScript(hash) : p2shScript(hash);
}

/** The address an output script pays to, or undefined for anything but the two exact templates. */
export function scriptToDecodedAddress(script: Uint8Array): DecodedAddress | undefined {
  if (
    script.length === P2PKH_SCRIPT_SIZE &&
    script[0] === Op.OP_DUP &&
    script[1] === Op.OP_HASH160 &&
    script[2] === HASH160_SIZE &&
    script[23] === Op.OP_EQUALVERIFY &&
    script[24] === Op.OP_CHECKSIG
  ) {
    return { type: "p2pkh", hash: script.slice(3, 23) };
  }
  if (
    script.length === P2SH_SCRIPT_SIZE &&
    script[0] === Op.OP_HASH160 &&
    script[1] === HASH160_SIZE &&
    script[22] === Op.OP_EQUAL
  ) {
    return { type: "p2sh", hash: script.slice(2, 22) };
  }
  return undefined;
}

export function scriptToAddress(script: Uint8Array, prefixes: AddressPrefixes): string | undefined {
  const decoded = scriptToDecodedAddress(script);
  return decoded === undefined ? undefined : encodeAddress(decoded, prefixes);
}
