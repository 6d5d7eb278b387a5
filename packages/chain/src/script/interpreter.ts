import { defaultVerifier } from "../crypto/verifier.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { type SignatureChecker, TransactionSignatureChecker } from "./checker.ts";
import { checkFlagCombination, parseScriptFlags, ScriptFlag } from "./flags.ts";
import { runScript } from "./interpreter-eval.ts";
import { Op } from "./opcodes.ts";
import { ScriptError, type ScriptErrorCode, ScriptFailure } from "./script-error.ts";
import { castToBool } from "./script-num.ts";
import { readOpEnd } from "./script-reader.ts";

/**
 * Runs one script on `stack` (Core's EvalScript, legacy rules). Returns null on success, else the
 * reason; the stack is left as the script left it.
 */
export function evalScript(
  stack: Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
): ScriptErrorCode | null {
  try {
    runScript(stack, script, flags, checker);
    return null;
  } catch (error) {
    if (error instanceof ScriptFailure) return error.code;
    throw error;
  }
}

/** Core's IsPushOnly: only OP_0..OP_16 (OP_RESERVED included) and data pushes, all well formed. */
export function isPushOnlyScript(script: Uint8Array): boolean {
  let pc = 0;
  while (pc < script.length) {
    if (script[pc]! > Op.OP_16) return false;
    pc = readOpEnd(script, pc);
    if (pc < 0) return false;
  }
  return true;
}

/** BIP16's template: OP_HASH160 <20 bytes> OP_EQUAL, exactly 23 bytes. */
export function isPayToScriptHash(script: Uint8Array): boolean {
  return (
    script.length === 23 &&
    script[0] === Op.OP_HASH160 &&
    script[1] === 0x14 &&
    script[22] === Op.OP_EQUAL
  );
}

/**
 * Bitcoin Core's VerifyScript for a pre-segwit input, with the flags as a bitmask (see
 * parseScriptFlags) and an injectable signature checker. Returns null when the input is valid,
 * else Core's reason. Throws only for programmer errors: CLEANSTACK without P2SH (Core asserts),
 * or a checker that throws.
 *
 * The scriptSig runs first and the scriptPubKey then runs on the stack it left (never
 * concatenated: CVE-2010-5141); for P2SH, the serialized script on top of the scriptSig's stack is
 * then run on the rest of that stack.
 */
export function verifyScriptDetailed(
  scriptSig: Uint8Array,
  scriptPubKey: Uint8Array,
  tx: Transaction,
  inputIndex: number,
  flags: number,
  checker: SignatureChecker = new TransactionSignatureChecker(tx, inputIndex, defaultVerifier()),
): ScriptErrorCode | null {
  if (flags & ScriptFlag.CLEANSTACK) checkFlagCombination(flags);
  if (flags & ScriptFlag.SIGPUSHONLY && !isPushOnlyScript(scriptSig))
    return ScriptError.SIG_PUSHONLY;

  let stack: Uint8Array[] = [];
  let error = evalScript(stack, scriptSig, flags, checker);
  if (error !== null) return error;
  const p2sh = (flags & ScriptFlag.P2SH) !== 0 && isPayToScriptHash(scriptPubKey);
  const stackAfterScriptSig = p2sh ? stack.slice() : stack;
  error = evalScript(stack, scriptPubKey, flags, checker);
  if (error !== null) return error;
  if (stack.length === 0 || !castToBool(stack[stack.length - 1]!)) return ScriptError.EVAL_FALSE;

  if (p2sh) {
    if (!isPushOnlyScript(scriptSig)) return ScriptError.SIG_PUSHONLY;
    stack = stackAfterScriptSig;
    // Not empty: HASH160 <hash> EQUAL on an empty stack has already failed above.
    const redeemScript = stack.pop()!;
    error = evalScript(stack, redeemScript, flags, checker);
    if (error !== null) return error;
    if (stack.length === 0 || !castToBool(stack[stack.length - 1]!)) return ScriptError.EVAL_FALSE;
  }

  // Only after P2SH: a P2SH spend leaves its redeem-script inputs on the outer stack.
  if (flags & ScriptFlag.CLEANSTACK && stack.length !== 1) return ScriptError.CLEANSTACK;
  return null;
}

/**
 * Verifies input `inputIndex` of `tx` spending an output locked by `scriptPubKey`, applying exactly
 * the given flags (Bitcoin Core's names, e.g. ["P2SH", "DERSIG", "CHECKLOCKTIMEVERIFY"]), with the
 * default signature verifier. False for a script that fails; throws only for programmer errors
 * (an unknown flag name, a flag combination Core refuses, an input index out of range).
 */
export function verifyScript(
  scriptSig: Uint8Array,
  scriptPubKey: Uint8Array,
  tx: Transaction,
  inputIndex: number,
  flags: readonly string[] | string,
): boolean {
  if (!(scriptSig instanceof Uint8Array) || !(scriptPubKey instanceof Uint8Array)) {
    throw new TypeError("verifyScript: scripts must be Uint8Arrays");
  }
  if (!Number.isInteger(inputIndex) || inputIndex < 0 || inputIndex >= tx.inputs.length) {
    throw new RangeError(`verifyScript: input index ${inputIndex} out of range`);
  }
  return (
    verifyScriptDetailed(scriptSig, scriptPubKey, tx, inputIndex, parseScriptFlags(flags)) === null
  );
}
