import { hash160, ripemd160Hash, sha1, sha256, sha256d } from "../crypto/hash.ts";
import { equalBytes } from "../encoding/bytes.ts";
import type { SignatureChecker } from "./checker.ts";
import { ScriptFlag } from "./flags.ts";
import { numericOp } from "./interpreter-ops-numeric.ts";
import { opCheckMultisig, opCheckSig } from "./interpreter-ops-signature.ts";
import { stackOp } from "./interpreter-ops-stack.ts";
import { Op } from "./opcodes.ts";
import { ScriptError, type ScriptErrorCode, ScriptFailure } from "./script-error.ts";
import {
  castToBool,
  decodeScriptNum,
  encodeScriptNum,
  SCRIPT_FALSE,
  SCRIPT_TRUE,
} from "./script-num.ts";
import { readOpEnd } from "./script-reader.ts";

/** Consensus limits of the script language (Bitcoin Core's script.h). */
export const MAX_SCRIPT_SIZE = 10_000;
export const MAX_SCRIPT_ELEMENT_SIZE = 520;
export const MAX_OPS_PER_SCRIPT = 201;
export const MAX_STACK_SIZE = 1_000;
/** The operand size CHECKLOCKTIMEVERIFY and CHECKSEQUENCEVERIFY accept (good until 2^39 - 1). */
const LOCKTIME_NUM_SIZE = 5;
const SEQUENCE_LOCKTIME_DISABLE_FLAG = 0x80000000;

/** What OP_1NEGATE, OP_1..OP_16 push, indexed by opcode - OP_1NEGATE (index 1, OP_RESERVED, unused). */
const SMALL_NUMBERS: readonly Uint8Array[] = Array.from({ length: 18 }, (_, i) =>
  encodeScriptNum(i - 1),
);

function fail(code: ScriptErrorCode): never {
  throw new ScriptFailure(code);
}

/** Disabled since 2010 (CVE-2010-5137): fail wherever they appear, executed or not. */
function isDisabled(opcode: number): boolean {
  return (
    (opcode >= Op.OP_CAT && opcode <= Op.OP_RIGHT) ||
    (opcode >= Op.OP_INVERT && opcode <= Op.OP_XOR) ||
    opcode === Op.OP_2MUL ||
    opcode === Op.OP_2DIV ||
    (opcode >= Op.OP_MUL && opcode <= Op.OP_RSHIFT)
  );
}

/** Core's CheckMinimalPush for the push of script[start, end) by `opcode`. */
function isMinimalPush(script: Uint8Array, opcode: number, start: number, end: number): boolean {
  const size = end - start;
  if (size === 0) return opcode === Op.OP_0;
  if (size === 1) {
    const b = script[start]!;
    if (b >= 1 && b <= 16) return false; // OP_1..OP_16 would do
    if (b === 0x81) return false; // OP_1NEGATE would do
  }
  if (size <= 75) return opcode === size;
  if (size <= 255) return opcode === Op.OP_PUSHDATA1;
  if (size <= 65535) return opcode === Op.OP_PUSHDATA2;
  return true;
}

/** Offset of the pushed data of the push opcode at `pc`. */
function pushDataStart(opcode: number, pc: number): number {
  if (opcode < Op.OP_PUSHDATA1) return pc + 1;
  if (opcode === Op.OP_PUSHDATA1) return pc + 2;
  if (opcode === Op.OP_PUSHDATA2) return pc + 3;
  return pc + 5;
}

/**
 * Bitcoin Core's EvalScript for legacy (pre-segwit) scripts: runs `script` on `stack`, which it
 * leaves as the script left it. Throws ScriptFailure with Core's reason on failure; any other
 * throw is a bug.
 */
export function runScript(
  stack: Uint8Array[],
  script: Uint8Array,
  flags: number,
  checker: SignatureChecker,
): void {
  if (script.length > MAX_SCRIPT_SIZE) fail(ScriptError.SCRIPT_SIZE);
  const requireMinimal = (flags & ScriptFlag.MINIMALDATA) !== 0;
  const end = script.length;
  const altstack: Uint8Array[] = [];
  // Core's ConditionStack: only the depth and the position of the first false entry matter.
  let conditionDepth = 0;
  let firstFalse = -1;
  let opCount = 0;
  let codeStart = 0;
  let pc = 0;

  const top = (i: number): Uint8Array => stack[stack.length + i]!;
  const need = (n: number): void => {
    if (stack.length < n) fail(ScriptError.INVALID_STACK_OPERATION);
  };

  while (pc < end) {
    const executing = firstFalse < 0;
    const opcode = script[pc]!;

    if (opcode <= Op.OP_PUSHDATA4) {
      const next = readOpEnd(script, pc);
      if (next < 0) fail(ScriptError.BAD_OPCODE);
      const start = pushDataStart(opcode, pc);
      if (next - start > MAX_SCRIPT_ELEMENT_SIZE) fail(ScriptError.PUSH_SIZE);
      if (executing) {
        if (requireMinimal && !isMinimalPush(script, opcode, start, next))
          fail(ScriptError.MINIMALDATA);
        stack.push(script.subarray(start, next));
      }
      pc = next;
      if (stack.length + altstack.length > MAX_STACK_SIZE) fail(ScriptError.STACK_SIZE);
      continue;
    }

    pc += 1;
    // OP_RESERVED and the small-number pushes are not counted.
    if (opcode > Op.OP_16 && ++opCount > MAX_OPS_PER_SCRIPT) fail(ScriptError.OP_COUNT);
    if (isDisabled(opcode)) fail(ScriptError.DISABLED_OPCODE);
    if (opcode === Op.OP_CODESEPARATOR && flags & ScriptFlag.CONST_SCRIPTCODE) {
      fail(ScriptError.OP_CODESEPARATOR);
    }
    if (!executing && (opcode < Op.OP_IF || opcode > Op.OP_ENDIF)) {
      if (stack.length + altstack.length > MAX_STACK_SIZE) fail(ScriptError.STACK_SIZE);
      continue;
    }

    switch (opcode) {
      case Op.OP_1NEGATE:
      case Op.OP_1:
      case Op.OP_2:
      case Op.OP_3:
      case Op.OP_4:
      case Op.OP_5:
      case Op.OP_6:
      case Op.OP_7:
      case Op.OP_8:
      case Op.OP_9:
      case Op.OP_10:
      case Op.OP_11:
      case Op.OP_12:
      case Op.OP_13:
      case Op.OP_14:
      case Op.OP_15:
      case Op.OP_16:
        stack.push(SMALL_NUMBERS[opcode - Op.OP_1NEGATE]!);
        break;

      // Control
      case Op.OP_NOP:
        break;

      case Op.OP_CHECKLOCKTIMEVERIFY: {
        if (!(flags & ScriptFlag.CHECKLOCKTIMEVERIFY)) {
          // Not enabled: NOP2.
          if (flags & ScriptFlag.DISCOURAGE_UPGRADABLE_NOPS)
            fail(ScriptError.DISCOURAGE_UPGRADABLE_NOPS);
          break;
        }
        need(1);
        const lockTime = decodeScriptNum(top(-1), requireMinimal, LOCKTIME_NUM_SIZE);
        if (lockTime < 0) fail(ScriptError.NEGATIVE_LOCKTIME);
        if (!checker.checkLockTime(lockTime)) fail(ScriptError.UNSATISFIED_LOCKTIME);
        break;
      }

      case Op.OP_CHECKSEQUENCEVERIFY: {
        if (!(flags & ScriptFlag.CHECKSEQUENCEVERIFY)) {
          // Not enabled: NOP3.
          if (flags & ScriptFlag.DISCOURAGE_UPGRADABLE_NOPS)
            fail(ScriptError.DISCOURAGE_UPGRADABLE_NOPS);
          break;
        }
        need(1);
        const sequence = decodeScriptNum(top(-1), requireMinimal, LOCKTIME_NUM_SIZE);
        if (sequence < 0) fail(ScriptError.NEGATIVE_LOCKTIME);
        // The disable flag makes the operand a NOP, for future soft forks. (Bit 31 of a number
        // below 2^39, without 32-bit wrap-around.)
        if (Math.floor(sequence / SEQUENCE_LOCKTIME_DISABLE_FLAG) % 2 === 1) break;
        if (!checker.checkSequence(sequence)) fail(ScriptError.UNSATISFIED_LOCKTIME);
        break;
      }

      case Op.OP_NOP1:
      case Op.OP_NOP4:
      case Op.OP_NOP5:
      case Op.OP_NOP6:
      case Op.OP_NOP7:
      case Op.OP_NOP8:
      case Op.OP_NOP9:
      case Op.OP_NOP10:
        if (flags & ScriptFlag.DISCOURAGE_UPGRADABLE_NOPS)
          fail(ScriptError.DISCOURAGE_UPGRADABLE_NOPS);
        break;

      case Op.OP_IF:
      case Op.OP_NOTIF: {
        let value = false;
        if (executing) {
          if (stack.length < 1) fail(ScriptError.UNBALANCED_CONDITIONAL);
          value = castToBool(top(-1));
          if (opcode === Op.OP_NOTIF) value = !value;
          stack.pop();
        }
        if (!value && firstFalse < 0) firstFalse = conditionDepth;
        conditionDepth++;
        break;
      }

      case Op.OP_ELSE:
        if (conditionDepth === 0) fail(ScriptError.UNBALANCED_CONDITIONAL);
        if (firstFalse < 0) firstFalse = conditionDepth - 1;
        else if (firstFalse === conditionDepth - 1) firstFalse = -1;
        break;

      case Op.OP_ENDIF:
        if (conditionDepth === 0) fail(ScriptError.UNBALANCED_CONDITIONAL);
        conditionDepth--;
        if (firstFalse === conditionDepth) firstFalse = -1;
        break;

      case Op.OP_VERIFY:
        need(1);
        if (!castToBool(top(-1))) fail(ScriptError.VERIFY);
        stack.pop();
        break;

      case Op.OP_RETURN:
        fail(ScriptError.OP_RETURN);
        break;

      // Stack
      case Op.OP_TOALTSTACK:
      case Op.OP_FROMALTSTACK:
      case Op.OP_2DROP:
      case Op.OP_2DUP:
      case Op.OP_3DUP:
      case Op.OP_2OVER:
      case Op.OP_2ROT:
      case Op.OP_2SWAP:
      case Op.OP_IFDUP:
      case Op.OP_DEPTH:
      case Op.OP_DROP:
      case Op.OP_DUP:
      case Op.OP_NIP:
      case Op.OP_OVER:
      case Op.OP_PICK:
      case Op.OP_ROLL:
      case Op.OP_ROT:
      case Op.OP_SWAP:
      case Op.OP_TUCK:
      case Op.OP_SIZE:
        stackOp(opcode, stack, altstack, requireMinimal);
        break;

      // Bitwise logic
      case Op.OP_EQUAL:
      case Op.OP_EQUALVERIFY: {
        need(2);
        const equal = equalBytes(top(-2), top(-1));
        stack.length -= 2;
        if (opcode === Op.OP_EQUALVERIFY) {
          if (!equal) {
            stack.push(SCRIPT_FALSE);
            fail(ScriptError.EQUALVERIFY);
          }
        } else {
          stack.push(equal ? SCRIPT_TRUE : SCRIPT_FALSE);
        }
        break;
      }

      // Numeric
      case Op.OP_1ADD:
      case Op.OP_1SUB:
      case Op.OP_NEGATE:
      case Op.OP_ABS:
      case Op.OP_NOT:
      case Op.OP_0NOTEQUAL:
      case Op.OP_ADD:
      case Op.OP_SUB:
      case Op.OP_BOOLAND:
      case Op.OP_BOOLOR:
      case Op.OP_NUMEQUAL:
      case Op.OP_NUMEQUALVERIFY:
      case Op.OP_NUMNOTEQUAL:
      case Op.OP_LESSTHAN:
      case Op.OP_GREATERTHAN:
      case Op.OP_LESSTHANOREQUAL:
      case Op.OP_GREATERTHANOREQUAL:
      case Op.OP_MIN:
      case Op.OP_MAX:
      case Op.OP_WITHIN:
        numericOp(opcode, stack, requireMinimal);
        break;

      // Crypto
      case Op.OP_RIPEMD160:
        need(1);
        stack.push(ripemd160Hash(stack.pop()!));
        break;
      case Op.OP_SHA1:
        need(1);
        stack.push(sha1(stack.pop()!));
        break;
      case Op.OP_SHA256:
        need(1);
        stack.push(sha256(stack.pop()!));
        break;
      case Op.OP_HASH160:
        need(1);
        stack.push(hash160(stack.pop()!));
        break;
      case Op.OP_HASH256:
        need(1);
        stack.push(sha256d(stack.pop()!));
        break;

      case Op.OP_CODESEPARATOR:
        // Signatures commit to the script from here on.
        codeStart = pc;
        break;

      case Op.OP_CHECKSIG:
      case Op.OP_CHECKSIGVERIFY: {
        need(2);
        const ok = opCheckSig(stack, script.subarray(codeStart, end), flags, checker);
        if (opcode === Op.OP_CHECKSIGVERIFY) {
          if (!ok) fail(ScriptError.CHECKSIGVERIFY);
          stack.pop();
        }
        break;
      }

      case Op.OP_CHECKMULTISIG:
      case Op.OP_CHECKMULTISIGVERIFY: {
        opCount = opCheckMultisig(stack, script.subarray(codeStart, end), flags, checker, opCount);
        if (opcode === Op.OP_CHECKMULTISIGVERIFY) {
          if (!castToBool(top(-1))) fail(ScriptError.CHECKMULTISIGVERIFY);
          stack.pop();
        }
        break;
      }

      default:
        // OP_RESERVED, OP_VER, OP_VERIF, OP_VERNOTIF, OP_RESERVED1/2 and undefined opcodes.
        fail(ScriptError.BAD_OPCODE);
    }

    if (stack.length + altstack.length > MAX_STACK_SIZE) fail(ScriptError.STACK_SIZE);
  }

  if (conditionDepth !== 0) fail(ScriptError.UNBALANCED_CONDITIONAL);
}
