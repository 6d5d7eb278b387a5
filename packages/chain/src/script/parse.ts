import { Op } from "./opcodes.ts";
import { readOpEnd } from "./script-reader.ts";

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

/** Bytes between a push opcode and its data: the opcode itself plus its length field. */
function pushHeaderLength(opcode: number): number {
  if (opcode < Op.OP_PUSHDATA1) return 1;
  if (opcode === Op.OP_PUSHDATA1) return 2;
  if (opcode === Op.OP_PUSHDATA2) return 3;
  return 5;
}

/**
 * Reads the element at `pc` as Bitcoin Core's GetScriptOp does. Returns undefined at the end of
 * the script or when it ends inside a push (a malformed script); callers treat that as failure.
 */
export function readOp(script: Uint8Array, pc: number): ScriptOp | undefined {
  const end = readOpEnd(script, pc);
  if (end < 0) return undefined;
  const opcode = script[pc]!;
  const data =
    opcode <= Op.OP_PUSHDATA4 ? script.subarray(pc + pushHeaderLength(opcode), end) : undefined;
  return { opcode, data, start: pc, end };
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
