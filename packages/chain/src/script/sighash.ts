import { sha256d } from "../crypto/hash.ts";
import { hexToHash } from "../encoding/hex.ts";
import { ByteWriter } from "../encoding/writer.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { Op } from "./opcodes.ts";

export const SighashType = {
  ALL: 1,
  NONE: 2,
  SINGLE: 3,
  ANYONECANPAY: 0x80,
} as const;

/** uint256 one in internal order: Core's answer for an input index out of range. */
function oneHash(): Uint8Array {
  const h = new Uint8Array(32);
  h[0] = 1;
  return h;
}

/**
 * Bitcoin Core's legacy SignatureHash (pre-segwit), in internal byte order.
 *
 * - The signed input's scriptSig is replaced by `scriptCode` with every OP_CODESEPARATOR removed;
 *   other inputs' scriptSigs are emptied. (FindAndDelete of the signature is the caller's job, as in
 *   Core's interpreter.)
 * - NONE: no outputs, other inputs' sequences zeroed. SINGLE: outputs up to the signed index, the
 *   earlier ones blanked (value -1, empty script), other sequences zeroed; an index with no matching
 *   output signs the hash 1 (the SIGHASH_SINGLE bug). ANYONECANPAY: only the signed input.
 * - The hash type is appended as 4 bytes little-endian (all 32 bits, not just the low byte).
 */
export function legacySighash(
  tx: Transaction,
  inputIndex: number,
  scriptCode: Uint8Array,
  hashType: number,
): Uint8Array {
  if (inputIndex >= tx.inputs.length) return oneHash();
  const baseType = hashType & 0x1f;
  const anyoneCanPay = (hashType & SighashType.ANYONECANPAY) !== 0;
  const hashNone = baseType === SighashType.NONE;
  const hashSingle = baseType === SighashType.SINGLE;
  if (hashSingle && inputIndex >= tx.outputs.length) return oneHash();

  const w = new ByteWriter(
    256 + tx.inputs.length * 48 + tx.outputs.length * 40 + scriptCode.length,
  );
  w.i32(tx.version);

  const inputCount = anyoneCanPay ? 1 : tx.inputs.length;
  w.compactSize(inputCount);
  for (let k = 0; k < inputCount; k++) {
    const i = anyoneCanPay ? inputIndex : k;
    const input = tx.inputs[i]!;
    w.bytes(hexToHash(input.prevTxid)).u32(input.prevIndex);
    if (i === inputIndex) writeScriptCode(w, scriptCode);
    else w.compactSize(0);
    if (i !== inputIndex && (hashSingle || hashNone)) w.u32(0);
    else w.u32(input.sequence);
  }

  const outputCount = hashNone ? 0 : hashSingle ? inputIndex + 1 : tx.outputs.length;
  w.compactSize(outputCount);
  for (let i = 0; i < outputCount; i++) {
    if (hashSingle && i !== inputIndex) {
      w.i64(-1n).compactSize(0);
    } else {
      const output = tx.outputs[i]!;
      w.i64(output.value).varBytes(output.scriptPubKey);
    }
  }

  w.u32(tx.locktime);
  w.i32(hashType | 0);
  return sha256d(w.finish()).slice();
}

/**
 * Core's SerializeScriptCode: length = size minus the number of OP_CODESEPARATORs, then the bytes
 * between separators. Core's GetOp stops at a truncated push and only the bytes up to where it
 * stopped are written; that quirk is kept, since signatures over such scripts commit to it.
 */
function writeScriptCode(w: ByteWriter, script: Uint8Array): void {
  let separators = 0;
  let pc = 0;
  for (;;) {
    const step = advance(script, pc);
    if (!step.ok) break;
    if (step.opcode === Op.OP_CODESEPARATOR) separators++;
    pc = step.end;
  }
  w.compactSize(script.length - separators);
  let begin = 0;
  pc = 0;
  for (;;) {
    const step = advance(script, pc);
    pc = step.end;
    if (!step.ok) break;
    if (step.opcode === Op.OP_CODESEPARATOR) {
      w.bytes(script.subarray(begin, pc - 1));
      begin = pc;
    }
  }
  if (begin !== script.length) w.bytes(script.subarray(begin, pc));
}

/** Core's GetScriptOp cursor movement, including where it leaves the cursor on failure. */
function advance(script: Uint8Array, pc: number): { ok: boolean; opcode: number; end: number } {
  if (pc >= script.length) return { ok: false, opcode: Op.OP_INVALIDOPCODE, end: pc };
  const opcode = script[pc++]!;
  if (opcode <= Op.OP_PUSHDATA4) {
    let size: number;
    if (opcode < Op.OP_PUSHDATA1) {
      size = opcode;
    } else if (opcode === Op.OP_PUSHDATA1) {
      if (script.length - pc < 1) return { ok: false, opcode, end: pc };
      size = script[pc++]!;
    } else if (opcode === Op.OP_PUSHDATA2) {
      if (script.length - pc < 2) return { ok: false, opcode, end: pc };
      size = script[pc]! | (script[pc + 1]! << 8);
      pc += 2;
    } else {
      if (script.length - pc < 4) return { ok: false, opcode, end: pc };
      size =
        (script[pc]! | (script[pc + 1]! << 8) | (script[pc + 2]! << 16)) +
        script[pc + 3]! * 0x1000000;
      pc += 4;
    }
    if (script.length - pc < size) return { ok: false, opcode, end: pc };
    pc += size;
  }
  return { ok: true, opcode, end: pc };
}
