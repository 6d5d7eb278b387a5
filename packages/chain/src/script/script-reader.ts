import { Op } from "./opcodes.ts";

/**
 * Offset just past the script element at `pc`, or -1 at the end of the script or when the element
 * is a push that runs past the end (Core's GetScriptOp failing). Allocation-free, for hot loops.
 */
export function readOpEnd(script: Uint8Array, pc: number): number {
  const end = script.length;
  if (pc >= end) return -1;
  const opcode = script[pc]!;
  let cursor = pc + 1;
  if (opcode > Op.OP_PUSHDATA4) return cursor;
  let size: number;
  if (opcode < Op.OP_PUSHDATA1) {
    size = opcode;
  } else if (opcode === Op.OP_PUSHDATA1) {
    if (end - cursor < 1) return -1;
    size = script[cursor]!;
    cursor += 1;
  } else if (opcode === Op.OP_PUSHDATA2) {
    if (end - cursor < 2) return -1;
    size = script[cursor]! | (script[cursor + 1]! << 8);
    cursor += 2;
  } else {
    if (end - cursor < 4) return -1;
    size =
      (script[cursor]! | (script[cursor + 1]! << 8) | (script[cursor + 2]! << 16)) +
      script[cursor + 3]! * 0x1000000;
    cursor += 4;
  }
  if (end - cursor < size) return -1;
  return cursor + size;
}
