import { Op } from "./opcodes.ts";
import { ScriptError, ScriptFailure } from "./script-error.ts";
import { castToBool, clampToInt32, decodeScriptNum, encodeScriptNum } from "./script-num.ts";

function need(stack: Uint8Array[], n: number): void {
  if (stack.length < n) throw new ScriptFailure(ScriptError.INVALID_STACK_OPERATION);
}

function popNumber(stack: Uint8Array[], requireMinimal: boolean): number {
  const n = decodeScriptNum(stack[stack.length - 1]!, requireMinimal);
  stack.pop();
  return n;
}

/**
 * The stack-manipulation opcodes, OP_TOALTSTACK..OP_TUCK and OP_SIZE, as Core's EvalScript runs
 * them. Elements are never mutated, so they are shared rather than copied.
 */
export function stackOp(
  opcode: number,
  stack: Uint8Array[],
  altstack: Uint8Array[],
  requireMinimal: boolean,
): void {
  const top = (i: number): Uint8Array => stack[stack.length + i]!;
  switch (opcode) {
    case Op.OP_TOALTSTACK:
      need(stack, 1);
      altstack.push(stack.pop()!);
      break;

    case Op.OP_FROMALTSTACK:
      if (altstack.length < 1) throw new ScriptFailure(ScriptError.INVALID_ALTSTACK_OPERATION);
      stack.push(altstack.pop()!);
      break;

    case Op.OP_2DROP:
      need(stack, 2);
      stack.length -= 2;
      break;

    case Op.OP_2DUP: {
      need(stack, 2);
      const a = top(-2);
      const b = top(-1);
      stack.push(a, b);
      break;
    }

    case Op.OP_3DUP: {
      need(stack, 3);
      const a = top(-3);
      const b = top(-2);
      const c = top(-1);
      stack.push(a, b, c);
      break;
    }

    case Op.OP_2OVER: {
      need(stack, 4);
      const a = top(-4);
      const b = top(-3);
      stack.push(a, b);
      break;
    }

    case Op.OP_2ROT: {
      need(stack, 6);
      const [x1, x2] = stack.splice(stack.length - 6, 2);
      stack.push(x1!, x2!);
      break;
    }

    case Op.OP_2SWAP: {
      need(stack, 4);
      const n = stack.length;
      const x1 = stack[n - 4]!;
      const x2 = stack[n - 3]!;
      stack[n - 4] = stack[n - 2]!;
      stack[n - 3] = stack[n - 1]!;
      stack[n - 2] = x1;
      stack[n - 1] = x2;
      break;
    }

    case Op.OP_IFDUP:
      need(stack, 1);
      if (castToBool(top(-1))) stack.push(top(-1));
      break;

    case Op.OP_DEPTH:
      stack.push(encodeScriptNum(stack.length));
      break;

    case Op.OP_DROP:
      need(stack, 1);
      stack.pop();
      break;

    case Op.OP_DUP:
      need(stack, 1);
      stack.push(top(-1));
      break;

    case Op.OP_NIP:
      need(stack, 2);
      stack.splice(stack.length - 2, 1);
      break;

    case Op.OP_OVER:
      need(stack, 2);
      stack.push(top(-2));
      break;

    case Op.OP_PICK:
    case Op.OP_ROLL: {
      need(stack, 2);
      const n = clampToInt32(popNumber(stack, requireMinimal));
      if (n < 0 || n >= stack.length) throw new ScriptFailure(ScriptError.INVALID_STACK_OPERATION);
      const item = top(-n - 1);
      if (opcode === Op.OP_ROLL) stack.splice(stack.length - n - 1, 1);
      stack.push(item);
      break;
    }

    case Op.OP_ROT: {
      // (x1 x2 x3 -- x2 x3 x1)
      need(stack, 3);
      const n = stack.length;
      const x1 = stack[n - 3]!;
      stack[n - 3] = stack[n - 2]!;
      stack[n - 2] = stack[n - 1]!;
      stack[n - 1] = x1;
      break;
    }

    case Op.OP_SWAP: {
      need(stack, 2);
      const n = stack.length;
      const x1 = stack[n - 2]!;
      stack[n - 2] = stack[n - 1]!;
      stack[n - 1] = x1;
      break;
    }

    case Op.OP_TUCK: {
      // (x1 x2 -- x2 x1 x2)
      need(stack, 2);
      stack.splice(stack.length - 2, 0, top(-1));
      break;
    }

    case Op.OP_SIZE:
      need(stack, 1);
      stack.push(encodeScriptNum(top(-1).length));
      break;
  }
}
