import { Op } from "./opcodes.ts";

/** One parsed script element: an opcode, with its pushed data for push opcodes (0x00-0x4e). */
export interface ScriptOp {
  opcode: number;
  /** Data pushed by a push opcode; undefined for other opcodes. */
  data: Uint8Array | undefined;
  /** Offset of the opcode byte in the script. */
  start: number;
  /** Offset just past this element. */
  end: number;
}

/**
 * Reads the element at `pc` as Bitcoin Core's GetScriptOp does. Returns undefined when the script
 * ends inside a push (a malformed script); callers treat that as failure.
 */
export function readOp(script: Uint8Array, pc: number): ScriptOp | undefined {
  if (pc >= script.length) return undefined;
  const opcode = script[pc]!;
  let cursor = pc + 1;
  if (opcode > Op.OP_PUSHDATA4) return { opcode, data: undefined, start: pc, end: cursor };
  let size: number;
  if (opcode < Op.OP_PUSHDATA1) {
    size = opcode;
  } else if (opcode === Op.OP_PUSHDATA1) {
    if (cursor + 1 > script.length) return undefined;
    size = script[cursor]!;
    cursor += 1;
  } else if (opcode === Op.OP_PUSHDATA2) {
    if (cursor + 2 > script.length) return undefined;
    size = script[cursor]! | (script[cursor + 1]! << 8);
    cursor += 2;
  } else {
    if (cursor + 4 > script.length) return undefined;
    size =
      (script[cursor]! | (script[cursor + 1]! << 8) | (script[cursor + 2]! << 16)) +
      script[cursor + 3]! * 0x1000000;
    cursor += 4;
  }
  if (cursor + size > script.length) return undefined;
  return { opcode, data: script.subarray(cursor, cursor + size), start: pc, end: cursor + size };
}

/**
 * All elements of a script. `complete` is false when it ends inside a push; the elements before the
 * broken push are still returned.
 */
export function parseScript(script: Uint8Array): { ops: ScriptOp[]; complete: boolean } {
  const ops: ScriptOp[] = [];
  let pc = 0;
  while (pc < script.length) {
    const op = readOp(script, pc);
    if (op === undefined) return { ops, complete: false };
    ops.push(op);
    pc = op.end;
  }
  return { ops, complete: true };
}

/** True when the script consists only of push opcodes (OP_0..OP_16, OP_1NEGATE, data pushes). */
export function isPushOnly(script: Uint8Array): boolean {
  let pc = 0;
  while (pc < script.length) {
    const op = readOp(script, pc);
    if (op === undefined) return false;
    if (op.opcode > Op.OP_16) return false;
    pc = op.end;
  }
  return true;
}
