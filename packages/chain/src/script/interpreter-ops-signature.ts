import { pushDataLiteral } from "./builder.ts";
import type { SignatureChecker } from "./checker.ts";
import { findAndDelete } from "./find-and-delete.ts";
import { ScriptFlag } from "./flags.ts";
import { ScriptError, type ScriptErrorCode, ScriptFailure } from "./script-error.ts";
import { clampToInt32, decodeScriptNum, SCRIPT_FALSE, SCRIPT_TRUE } from "./script-num.ts";
import { pubKeyEncodingError, signatureEncodingError } from "./signature-encoding.ts";

/** CHECKMULTISIG's key limit; each key also counts as an operation against the 201 limit. */
export const MAX_PUBKEYS_PER_MULTISIG = 20;
const MAX_OPS_PER_SCRIPT = 201;

function fail(code: ScriptErrorCode): never {
  throw new ScriptFailure(code);
}

function checkSignatureEncoding(sig: Uint8Array, flags: number): void {
  const error = signatureEncodingError(sig, flags);
  if (error !== null) fail(error);
}

function checkPubKeyEncoding(pubkey: Uint8Array, flags: number): void {
  const error = pubKeyEncodingError(pubkey, flags);
  if (error !== null) fail(error);
}

/**
 * Legacy scripts cannot sign their own signatures: each signature, as a push, is deleted from the
 * script code first. With CONST_SCRIPTCODE a match is an error instead.
 */
function removeSignature(scriptCode: Uint8Array, sig: Uint8Array, flags: number): Uint8Array {
  const { script, found } = findAndDelete(scriptCode, pushDataLiteral(sig));
  if (found > 0 && flags & ScriptFlag.CONST_SCRIPTCODE) fail(ScriptError.SIG_FINDANDDELETE);
  return script;
}

/**
 * OP_CHECKSIG on a stack of at least two items (sig pubkey -- bool). Returns the result it pushed.
 */
export function opCheckSig(
  stack: Uint8Array[],
  scriptCode: Uint8Array,
  flags: number,
  checker: SignatureChecker,
): boolean {
  const sig = stack[stack.length - 2]!;
  const pubkey = stack[stack.length - 1]!;
  const code = removeSignature(scriptCode, sig, flags);
  checkSignatureEncoding(sig, flags);
  checkPubKeyEncoding(pubkey, flags);
  const ok = checker.checkSignature(sig, pubkey, code, flags);
  if (!ok && flags & ScriptFlag.NULLFAIL && sig.length > 0) fail(ScriptError.NULLFAIL);
  stack.length -= 2;
  stack.push(ok ? SCRIPT_TRUE : SCRIPT_FALSE);
  return ok;
}

/**
 * OP_CHECKMULTISIG: ([dummy] [sig ...] m [pubkey ...] n -- bool). Signatures must appear in the
 * order of their keys; a key that fails is skipped, and the check stops as soon as the remaining
 * keys cannot cover the remaining signatures. Consumes one extra "dummy" item (the original
 * off-by-one), which NULLDUMMY requires to be empty. Returns the updated operation count.
 */
export function opCheckMultisig(
  stack: Uint8Array[],
  scriptCode: Uint8Array,
  flags: number,
  checker: SignatureChecker,
  opCount: number,
): number {
  const requireMinimal = (flags & ScriptFlag.MINIMALDATA) !== 0;
  const at = (i: number): Uint8Array => stack[stack.length - i]!;

  // Positions count down from the top of the stack, top = 1, as in Core.
  let i = 1;
  if (stack.length < i) fail(ScriptError.INVALID_STACK_OPERATION);
  let keysLeft = clampToInt32(decodeScriptNum(at(i), requireMinimal));
  if (keysLeft < 0 || keysLeft > MAX_PUBKEYS_PER_MULTISIG) fail(ScriptError.PUBKEY_COUNT);
  opCount += keysLeft;
  if (opCount > MAX_OPS_PER_SCRIPT) fail(ScriptError.OP_COUNT);
  let ikey = ++i;
  // Items above the signatures; with NULLFAIL only the signatures must be empty on failure.
  let nonSignatureItems = keysLeft + 2;
  i += keysLeft;
  if (stack.length < i) fail(ScriptError.INVALID_STACK_OPERATION);

  let sigsLeft = clampToInt32(decodeScriptNum(at(i), requireMinimal));
  if (sigsLeft < 0 || sigsLeft > keysLeft) fail(ScriptError.SIG_COUNT);
  let isig = ++i;
  i += sigsLeft;
  if (stack.length < i) fail(ScriptError.INVALID_STACK_OPERATION);

  let code = scriptCode;
  for (let k = 0; k < sigsLeft; k++) code = removeSignature(code, at(isig + k), flags);

  let success = true;
  while (success && sigsLeft > 0) {
    const sig = at(isig);
    const pubkey = at(ikey);
    // Encoding is checked lazily, pair by pair, so which pairs get checked is observable
    // (CHECKMULTISIG NOT with STRICTENC); Core's vectors pin this order.
    checkSignatureEncoding(sig, flags);
    checkPubKeyEncoding(pubkey, flags);
    if (checker.checkSignature(sig, pubkey, code, flags)) {
      isig++;
      sigsLeft--;
    }
    ikey++;
    keysLeft--;
    // More signatures left than keys: it can no longer succeed.
    if (sigsLeft > keysLeft) success = false;
  }

  // Pop the arguments (all i - 1 of them), checking NULLFAIL on the signatures.
  while (i-- > 1) {
    if (!success && flags & ScriptFlag.NULLFAIL && nonSignatureItems === 0 && at(1).length > 0) {
      fail(ScriptError.NULLFAIL);
    }
    if (nonSignatureItems > 0) nonSignatureItems--;
    stack.pop();
  }

  // The extra item consumed by the original off-by-one.
  if (stack.length < 1) fail(ScriptError.INVALID_STACK_OPERATION);
  if (flags & ScriptFlag.NULLDUMMY && at(1).length > 0) fail(ScriptError.SIG_NULLDUMMY);
  stack.pop();

  stack.push(success ? SCRIPT_TRUE : SCRIPT_FALSE);
  return opCount;
}
