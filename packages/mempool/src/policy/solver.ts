import { isPayToScriptHash, isPushOnlyScript, Op, readOp } from "@starling/chain";

/**
 * Bitcoin Core's Solver, for the output templates a pre-segwit node knows: which standard form a
 * scriptPubKey has. Witness programs are not templates here (Starling has no segwit), so, as in
 * Core before segwit, they are non-standard.
 */
export type OutputType =
  | "pubkeyhash"
  | "scripthash"
  | "pubkey"
  | "multisig"
  | "nulldata"
  | "nonstandard";

export interface SolvedOutput {
  readonly type: OutputType;
  /** Multisig only: signatures required and keys. */
  readonly required?: number;
  readonly keys?: number;
}

const NONSTANDARD: SolvedOutput = { type: "nonstandard" };

/** Core's CPubKey::ValidSize: the length the header byte implies (33 for 02/03, 65 for 04/06/07). */
export function hasValidPubKeySize(key: Uint8Array): boolean {
  if (key.length === 0) return false;
  const header = key[0]!;
  if (header === 2 || header === 3) return key.length === 33;
  if (header === 4 || header === 6 || header === 7) return key.length === 65;
  return false;
}

function isPayToPubKeyHash(s: Uint8Array): boolean {
  return (
    s.length === 25 &&
    s[0] === Op.OP_DUP &&
    s[1] === Op.OP_HASH160 &&
    s[2] === 20 &&
    s[23] === Op.OP_EQUALVERIFY &&
    s[24] === Op.OP_CHECKSIG
  );
}

function isPayToPubKey(s: Uint8Array): boolean {
  const keyLength = s.length - 2;
  if (keyLength !== 33 && keyLength !== 65) return false;
  return (
    s[0] === keyLength &&
    s[s.length - 1] === Op.OP_CHECKSIG &&
    hasValidPubKeySize(s.subarray(1, 1 + keyLength))
  );
}

function smallInteger(opcode: number): number | undefined {
  return opcode >= Op.OP_1 && opcode <= Op.OP_16 ? opcode - Op.OP_1 + 1 : undefined;
}

/** Core's MatchMultisig: OP_m <key>... OP_n OP_CHECKMULTISIG with n keys of valid size. */
function matchMultisig(s: Uint8Array): SolvedOutput | undefined {
  if (s.length < 1 || s[s.length - 1] !== Op.OP_CHECKMULTISIG) return undefined;
  let op = readOp(s, 0);
  if (op === undefined) return undefined;
  const required = smallInteger(op.opcode);
  if (required === undefined) return undefined;
  let keys = 0;
  for (;;) {
    op = readOp(s, op.end);
    if (op === undefined) return undefined;
    if (op.data === undefined || !hasValidPubKeySize(op.data)) break;
    keys++;
  }
  const n = smallInteger(op.opcode);
  if (n === undefined || n < required || n !== keys) return undefined;
  if (op.end + 1 !== s.length) return undefined;
  return { type: "multisig", required, keys };
}

export function solveOutput(scriptPubKey: Uint8Array): SolvedOutput {
  const s = scriptPubKey;
  if (isPayToScriptHash(s)) return { type: "scripthash" };
  if (isPayToPubKeyHash(s)) return { type: "pubkeyhash" };
  if (isPayToPubKey(s)) return { type: "pubkey" };
  if (s.length >= 1 && s[0] === Op.OP_RETURN && isPushOnlyScript(s.subarray(1))) {
    return { type: "nulldata" };
  }
  return matchMultisig(s) ?? NONSTANDARD;
}
