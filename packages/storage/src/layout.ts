/**
 * The database layout: one key-prefix byte per record kind (bcoin's layout.js style).
 *
 * Hashes in keys are in internal byte order (as hashed), heights and output indexes big-endian, so
 * that RocksDB's byte order is the numeric order (iterating `c` walks one transaction's outputs in
 * index order; iterating `H` walks the main chain by height).
 *
 * | prefix | key                                   | value (codec in src/records/)             |
 * |--------|---------------------------------------|-------------------------------------------|
 * | `V`    | `V`                                   | schema version u32 (schema-version.ts)    |
 * | `N`    | `N`                                   | network name + genesis hash (network-marker.ts) |
 * | `T`    | `T`                                   | chain tip + flush marker (tip.ts)         |
 * | `b`    | `b` hash[32]                          | raw block bytes, consensus serialization  |
 * | `h`    | `h` hash[32]                          | header index entry (header-record.ts)     |
 * | `H`    | `H` height[u32 BE]                    | main-chain block hash[32] (block-hash.ts) |
 * | `c`    | `c` txid[32] index[u32 BE]            | unspent output (coin.ts)                  |
 * | `u`    | `u` hash[32]                          | undo data: coins the block spent (undo.ts)|
 * | `t`    | `t` txid[32]                          | txindex: block hash, offset, length (tx-location.ts) |
 * | `a`    | `a` sha256(script)[32] txid[32] index[u32 BE] | address index: height, value (address-output.ts) |
 *
 * Retired prefixes (never reuse one: an old datadir could still hold its keys): none yet.
 * A change to any key or value format bumps SCHEMA_VERSION.
 */

import { hashToHex, hexToHash, sha256 } from "@starling/chain";

/** The schema this code reads and writes. */
export const SCHEMA_VERSION = 1;

export const Prefix = {
  SCHEMA_VERSION: 0x56, // V
  NETWORK: 0x4e, // N
  TIP: 0x54, // T
  BLOCK: 0x62, // b
  HEADER: 0x68, // h
  MAIN_CHAIN: 0x48, // H
  COIN: 0x63, // c
  UNDO: 0x75, // u
  TX_INDEX: 0x74, // t
  ADDRESS_INDEX: 0x61, // a
} as const;
export type Prefix = (typeof Prefix)[keyof typeof Prefix];

/** Record names used in errors (`CorruptRecordError.record`). */
export const PREFIX_NAMES: Readonly<Record<number, string>> = {
  [Prefix.SCHEMA_VERSION]: "schema-version",
  [Prefix.NETWORK]: "network",
  [Prefix.TIP]: "tip",
  [Prefix.BLOCK]: "block",
  [Prefix.HEADER]: "header",
  [Prefix.MAIN_CHAIN]: "main-chain",
  [Prefix.COIN]: "coin",
  [Prefix.UNDO]: "undo",
  [Prefix.TX_INDEX]: "tx-index",
  [Prefix.ADDRESS_INDEX]: "address-index",
};

/** Prefixes once used and retired; kept so that a new prefix never reuses one. */
export const RETIRED_PREFIXES: readonly number[] = [];

/** An output: txid as display hex (as `TxInput.prevTxid`), index as `TxInput.prevIndex`. */
export interface Outpoint {
  txid: string;
  index: number;
}

export function recordName(key: Uint8Array): string {
  return PREFIX_NAMES[key[0] ?? -1] ?? "unknown";
}

const SCHEMA_KEY = Uint8Array.of(Prefix.SCHEMA_VERSION);
const NETWORK_KEY = Uint8Array.of(Prefix.NETWORK);
const TIP_KEY = Uint8Array.of(Prefix.TIP);

export const schemaVersionKey = (): Uint8Array => SCHEMA_KEY;
export const networkKey = (): Uint8Array => NETWORK_KEY;
export const tipKey = (): Uint8Array => TIP_KEY;

/** Nibble values of ASCII codes; -1 for anything that is not a hex digit. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  NIBBLE[97 + i] = 10 + i;
  NIBBLE[65 + i] = 10 + i;
}

/**
 * Writes the hash whose display hex starts `hex` at `offset`, in internal (reversed) byte order.
 * Keys are built for every coin a flush writes, so this is a hot path: a table lookup per digit,
 * no intermediate array (~120 ns a hash here, a third of Buffer's native hex decoder with its
 * argument checks). Anything but 64 hex digits at the start of `hex` (of exactly 64 when `exact`)
 * falls back to hexToHash for its DecodeError.
 */
function writeHash(key: Uint8Array, offset: number, hex: string, exact = true): void {
  if (hex.length >= 64 && (!exact || hex.length === 64)) {
    let bad = 0;
    for (let i = 0; i < 32; i++) {
      const a = hex.charCodeAt(2 * i);
      const b = hex.charCodeAt(2 * i + 1);
      const hi = NIBBLE[a & 0x7f]!;
      const lo = NIBBLE[b & 0x7f]!;
      // Negative: not a hex digit; 0xff80 bits: a character the mask folded into the table.
      bad |= hi | lo | ((a | b) & 0xff80);
      key[offset + 31 - i] = (hi << 4) | lo;
    }
    if (bad >= 0 && (bad & 0xff80) === 0) return;
  }
  key.set(hexToHash(exact ? hex : hex.slice(0, 64)), offset);
}

function hashKey(prefix: Prefix, hashHex: string): Uint8Array {
  const key = new Uint8Array(33);
  key[0] = prefix;
  writeHash(key, 1, hashHex);
  return key;
}

function putU32BE(key: Uint8Array, offset: number, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`layout: ${value} is not a u32`);
  }
  key[offset] = value >>> 24;
  key[offset + 1] = (value >>> 16) & 0xff;
  key[offset + 2] = (value >>> 8) & 0xff;
  key[offset + 3] = value & 0xff;
}

export const blockKey = (hash: string): Uint8Array => hashKey(Prefix.BLOCK, hash);
export const headerKey = (hash: string): Uint8Array => hashKey(Prefix.HEADER, hash);
export const undoKey = (hash: string): Uint8Array => hashKey(Prefix.UNDO, hash);
export const txIndexKey = (txid: string): Uint8Array => hashKey(Prefix.TX_INDEX, txid);

export function mainChainKey(height: number): Uint8Array {
  const key = new Uint8Array(5);
  key[0] = Prefix.MAIN_CHAIN;
  putU32BE(key, 1, height);
  return key;
}

export const COIN_KEY_SIZE = 37;

/** Writes the coin key of (txid, index) into `out` (37 bytes at offset 0). */
export function writeCoinKey(out: Uint8Array, txid: string, index: number, exact = true): void {
  out[0] = Prefix.COIN;
  writeHash(out, 1, txid, exact);
  putU32BE(out, 33, index);
}

export function coinKey(outpoint: Outpoint): Uint8Array {
  const key = new Uint8Array(COIN_KEY_SIZE);
  writeCoinKey(key, outpoint.txid, outpoint.index);
  return key;
}

/**
 * Writes the coin key for a string that starts with the txid's 64 hex digits (the UTXO cache's map
 * key) into `out`, without slicing the string.
 */
export function writeCoinKeyOf(out: Uint8Array, txidPrefixed: string, index: number): void {
  writeCoinKey(out, txidPrefixed, index, false);
}

/** The script hash the address index is keyed by (Electrum's: SHA-256 of the scriptPubKey). */
export const scriptHash = (scriptPubKey: Uint8Array): Uint8Array => sha256(scriptPubKey);

export function addressKey(scriptPubKey: Uint8Array, outpoint: Outpoint): Uint8Array {
  const key = new Uint8Array(69);
  key[0] = Prefix.ADDRESS_INDEX;
  key.set(scriptHash(scriptPubKey), 1);
  writeHash(key, 33, outpoint.txid);
  putU32BE(key, 65, outpoint.index);
  return key;
}

/** Key prefix of every address-index entry of one script. */
export function addressPrefix(scriptPubKey: Uint8Array): Uint8Array {
  const key = new Uint8Array(33);
  key[0] = Prefix.ADDRESS_INDEX;
  key.set(scriptHash(scriptPubKey), 1);
  return key;
}

export const prefixKey = (prefix: Prefix): Uint8Array => Uint8Array.of(prefix);

/** The hash (display hex) in a 33-byte hash key. */
export function hashFromKey(key: Uint8Array, offset = 1): string {
  return hashToHex(key.subarray(offset, offset + 32));
}

export function u32FromKey(key: Uint8Array, offset: number): number {
  return (
    ((key[offset]! << 24) |
      (key[offset + 1]! << 16) |
      (key[offset + 2]! << 8) |
      key[offset + 3]!) >>>
    0
  );
}

/** The outpoint of a `c` or `a` key. */
export function outpointFromKey(key: Uint8Array): Outpoint {
  const offset = key[0] === Prefix.ADDRESS_INDEX ? 33 : 1;
  return { txid: hashFromKey(key, offset), index: u32FromKey(key, offset + 32) };
}
