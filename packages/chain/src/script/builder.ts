import { concatBytes } from "../encoding/bytes.ts";
import { Op } from "./opcodes.ts";
import { encodeScriptNum } from "./script-num.ts";

/** Script construction helpers. All return script bytes; concatenate them with `buildScript`. */

/**
 * A push of `data` by its length alone (direct push, PUSHDATA1/2/4), as Bitcoin Core's
 * `CScript() << vch` writes it: never OP_1..OP_16. The empty push is OP_0. FindAndDelete removes
 * signatures in exactly this form.
 */
export function pushDataLiteral(data: Uint8Array): Uint8Array {
  const n = data.length;
  let header: Uint8Array;
  if (n < Op.OP_PUSHDATA1) header = Uint8Array.of(n);
  else if (n <= 0xff) header = Uint8Array.of(Op.OP_PUSHDATA1, n);
  else if (n <= 0xffff) header = Uint8Array.of(Op.OP_PUSHDATA2, n & 0xff, n >>> 8);
  else
    header = Uint8Array.of(
      Op.OP_PUSHDATA4,
      n & 0xff,
      (n >>> 8) & 0xff,
      (n >>> 16) & 0xff,
      n >>> 24,
    );
  return concatBytes(header, data);
}

/**
 * The minimal push of `data` (what MINIMALDATA requires): OP_0 for empty, OP_1..OP_16 and
 * OP_1NEGATE for the one-byte values they push, otherwise the shortest length prefix.
 */
export function pushData(data: Uint8Array): Uint8Array {
  if (data.length === 1) {
    const b = data[0]!;
    if (b >= 1 && b <= 16) return Uint8Array.of(Op.OP_1 + b - 1);
    if (b === 0x81) return Uint8Array.of(Op.OP_1NEGATE);
  }
  return pushDataLiteral(data);
}

/**
 * Push of an integer as Core's `CScript() << int64`: OP_0, OP_1NEGATE, OP_1..OP_16 where they fit,
 * otherwise the script-number encoding. `value` must be a safe integer.
 */
export function pushNumber(value: number | bigint): Uint8Array {
  const n = typeof value === "bigint" ? Number(value) : value;
  if (!Number.isSafeInteger(n)) throw new RangeError(`pushNumber: ${value} is not a safe integer`);
  if (n === 0) return Uint8Array.of(Op.OP_0);
  if (n === -1) return Uint8Array.of(Op.OP_1NEGATE);
  if (n >= 1 && n <= 16) return Uint8Array.of(Op.OP_1 + n - 1);
  return pushDataLiteral(encodeScriptNum(n));
}

/** Concatenates opcodes (numbers) and script fragments (bytes) into one script. */
export function buildScript(...parts: (number | Uint8Array)[]): Uint8Array {
  return concatBytes(...parts.map((p) => (typeof p === "number" ? Uint8Array.of(p) : p)));
}

function requireLength(name: string, bytes: Uint8Array, ...lengths: number[]): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name}: expected a Uint8Array`);
  if (!lengths.includes(bytes.length)) {
    throw new RangeError(`${name}: expected ${lengths.join(" or ")} bytes, got ${bytes.length}`);
  }
}

/** OP_DUP OP_HASH160 <hash160> OP_EQUALVERIFY OP_CHECKSIG */
export function p2pkhScript(pubkeyHash: Uint8Array): Uint8Array {
  requireLength("p2pkhScript", pubkeyHash, 20);
  return buildScript(
    Op.OP_DUP,
    Op.OP_HASH160,
    pushData(pubkeyHash),
    Op.OP_EQUALVERIFY,
    Op.OP_CHECKSIG,
  );
}

/** OP_HASH160 <hash160> OP_EQUAL (BIP16) */
export function p2shScript(scriptHash: Uint8Array): Uint8Array {
  requireLength("p2shScript", scriptHash, 20);
  return buildScript(Op.OP_HASH160, pushData(scriptHash), Op.OP_EQUAL);
}

/** <pubkey> OP_CHECKSIG, for a 33-byte compressed or 65-byte uncompressed key. */
export function p2pkScript(pubkey: Uint8Array): Uint8Array {
  requireLength("p2pkScript", pubkey, 33, 65);
  return buildScript(pushData(pubkey), Op.OP_CHECKSIG);
}

/** OP_m <pubkey>... OP_n OP_CHECKMULTISIG, 1 <= m <= n <= 16 (the standard bare form). */
export function multisigScript(m: number, pubkeys: readonly Uint8Array[]): Uint8Array {
  const n = pubkeys.length;
  if (!Number.isInteger(m) || m < 1 || m > n || n > 16) {
    throw new RangeError(`multisigScript: need 1 <= m <= n <= 16, got m=${m} n=${n}`);
  }
  for (const key of pubkeys) requireLength("multisigScript", key, 33, 65);
  return buildScript(pushNumber(m), ...pubkeys.map(pushData), pushNumber(n), Op.OP_CHECKMULTISIG);
}

/** OP_RETURN <data>: a provably unspendable output carrying data. */
export function nullDataScript(data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new TypeError("nullDataScript: expected a Uint8Array");
  return buildScript(Op.OP_RETURN, pushData(data));
}
