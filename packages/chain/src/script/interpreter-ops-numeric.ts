import { Op } from "./opcodes.ts";
import { ScriptError, ScriptFailure } from "./script-error.ts";
import { decodeScriptNum, encodeScriptNum, SCRIPT_FALSE, SCRIPT_TRUE } from "./script-num.ts";

function need(stack: Uint8Array[], n: number): void {
  if (stack.length < n) throw new ScriptFailure(ScriptError.INVALID_STACK_OPERATION);
}

function popNumber(stack: Uint8Array[], requireMinimal: boolean): number {
  const n = decodeScriptNum(stack[stack.length - 1]!, requireMinimal);
  stack.pop();
  return n;
}

/**
 * The arithmetic opcodes, OP_1ADD..OP_WITHIN, on 4-byte script numbers as Core's EvalScript runs
 * them. Results may exceed 4 bytes; they only fail when used as operands again.
 */
export function numericOp(opcode: number, stack: Uint8Array[], requireMinimal: boolean): void {
  const top = (i: number): Uint8Array => stack[stack.length + i]!;
  switch (opcode) {
    case Op.OP_1ADD:
    case Op.OP_1SUB:
    case Op.OP_NEGATE:
    case Op.OP_ABS:
    case Op.OP_NOT:
    case Op.OP_0NOTEQUAL: {
      need(stack, 1);
      let n = popNumber(stack, requireMinimal);
      if (opcode === Op.OP_1ADD) n += 1;
      else if (opcode === Op.OP_1SUB) n -= 1;
      else if (opcode === Op.OP_NEGATE) n = -n;
      else if (opcode === Op.OP_ABS) n = Math.abs(n);
      else if (opcode === Op.OP_NOT) n = n === 0 ? 1 : 0;
      else n = n !== 0 ? 1 : 0;
      stack.push(encodeScriptNum(n));
      break;
    }

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
    case Op.OP_MAX: {
      need(stack, 2);
      // Both operands are decoded before either is popped, as in Core.
      const a = decodeScriptNum(top(-2), requireMinimal);
      const b = decodeScriptNum(top(-1), requireMinimal);
      stack.length -= 2;
      const result = binaryNumeric(opcode, a, b);
      if (opcode === Op.OP_NUMEQUALVERIFY) {
        if (result === 0) {
          stack.push(SCRIPT_FALSE);
          throw new ScriptFailure(ScriptError.NUMEQUALVERIFY);
        }
      } else {
        stack.push(encodeScriptNum(result));
      }
      break;
    }

    case Op.OP_WITHIN: {
      // (x min max -- out): min <= x < max
      need(stack, 3);
      const x = decodeScriptNum(top(-3), requireMinimal);
      const min = decodeScriptNum(top(-2), requireMinimal);
      const max = decodeScriptNum(top(-1), requireMinimal);
      stack.length -= 3;
      stack.push(min <= x && x < max ? SCRIPT_TRUE : SCRIPT_FALSE);
      break;
    }
  }
}

function binaryNumeric(opcode: number, a: number, b: number): number {
  switch (opcode) {
    case Op.OP_ADD:
      return a + b;
    case Op.OP_SUB:
      return a - b;
    case Op.OP_BOOLAND:
      return a !== 0 && b !== 0 ? 1 : 0;
    case Op.OP_BOOLOR:
      return a !== 0 || b !== 0 ? 1 : 0;
    case Op.OP_NUMEQUAL:
    case Op.OP_NUMEQUALVERIFY:
      return a === b ? 1 : 0;
    case Op.OP_NUMNOTEQUAL:
      return a !== b ? 1 : 0;
    case Op.OP_LESSTHAN:
      return a < b ? 1 : 0;
    case Op.OP_GREATERTHAN:
      return a > b ? 1 : 0;
    case Op.OP_LESSTHANOREQUAL:
      return a <= b ? 1 : 0;
    case Op.OP_GREATERTHANOREQUAL:
      return a >= b ? 1 : 0;
    case Op.OP_MIN:
      return Math.min(a, b);
    default:
      return Math.max(a, b);
  }
}
