import { concatBytes } from "../encoding/bytes.ts";
import { fromHex, toHex } from "../encoding/hex.ts";
import { DecodeError, DecodeReason } from "../errors.ts";
import { pushDataLiteral, pushNumber } from "./builder.ts";
import { OP_NAMES, Op } from "./opcodes.ts";
import { readOpEnd } from "./script-reader.ts";

/**
 * Bitcoin Core's script notation of its test vectors (core_read.cpp ParseScript and core_write.cpp
 * FormatScript):
 * - opcode names with or without `OP_` (`DUP`, `OP_CHECKSIG`); NOP2 / NOP3 name CLTV / CSV too;
 * - decimal integers (-0xffffffff..0xffffffff) pushed as script numbers (`0`, `16`, `-1` become
 *   OP_0, OP_16, OP_1NEGATE);
 * - `0x…` hex inserted verbatim, not pushed (so `0x14 0x…20 bytes…` is a push);
 * - `'text'` pushed as data (no spaces inside).
 */

const NAME_TO_OPCODE: ReadonlyMap<string, number> = (() => {
  const names = new Map<string, number>();
  for (const [name, code] of Object.entries(Op)) {
    // Pushes are written as numbers or hex; OP_RESERVED is the one name below OP_NOP Core knows.
    if (code < Op.OP_NOP && code !== Op.OP_RESERVED) continue;
    names.set(name, code);
    names.set(name.slice(3), code);
  }
  for (const [alias, code] of [
    ["NOP2", Op.OP_CHECKLOCKTIMEVERIFY],
    ["NOP3", Op.OP_CHECKSEQUENCEVERIFY],
  ] as const) {
    names.set(alias, code);
    names.set(`OP_${alias}`, code);
  }
  return names;
})();

const MAX_ASM_NUMBER = 0xffffffffn;
const HEX_WORD = /^0x([0-9a-fA-F]{2})+$/;
const NUMBER_WORD = /^-?[0-9]+$/;

/** Script bytes of Core's test notation. Throws DecodeError(INVALID_SCRIPT) for a word it cannot read. */
export function scriptFromAsm(asm: string): Uint8Array {
  if (typeof asm !== "string") throw new TypeError("scriptFromAsm: expected a string");
  const parts: Uint8Array[] = [];
  for (const word of asm.split(/[ \t\n]+/)) {
    if (word === "") continue;
    if (NUMBER_WORD.test(word) && word !== "-") {
      const n = BigInt(word);
      if (n > MAX_ASM_NUMBER || n < -MAX_ASM_NUMBER) {
        throw new DecodeError(DecodeReason.INVALID_SCRIPT, `number out of range: ${word}`);
      }
      parts.push(pushNumber(n));
    } else if (HEX_WORD.test(word)) {
      parts.push(fromHex(word.slice(2)));
    } else if (word.length >= 2 && word.startsWith("'") && word.endsWith("'")) {
      parts.push(pushDataLiteral(new TextEncoder().encode(word.slice(1, -1))));
    } else {
      const code = NAME_TO_OPCODE.get(word);
      if (code === undefined)
        throw new DecodeError(DecodeReason.INVALID_SCRIPT, `unknown opcode: ${word}`);
      parts.push(Uint8Array.of(code));
    }
  }
  return concatBytes(...parts);
}

/**
 * Core's FormatScript: the inverse of scriptFromAsm, byte for byte. Small numbers as decimals,
 * named opcodes without `OP_`, pushes as `0x<prefix> 0x<data>`, anything else (an undefined
 * opcode, a truncated push) as raw hex.
 */
export function scriptToAsm(script: Uint8Array): string {
  const words: string[] = [];
  let pc = 0;
  while (pc < script.length) {
    const opcode = script[pc]!;
    const next = readOpEnd(script, pc);
    if (next < 0) {
      words.push(`0x${toHex(script.subarray(pc))}`);
      break;
    }
    if (opcode === Op.OP_0) {
      words.push("0");
    } else if (opcode === Op.OP_1NEGATE || (opcode >= Op.OP_1 && opcode <= Op.OP_16)) {
      words.push(String(opcode - Op.OP_1 + 1));
    } else if (opcode <= Op.OP_PUSHDATA4) {
      const start = opcode < Op.OP_PUSHDATA1 ? pc + 1 : pc + 1 + (1 << (opcode - Op.OP_PUSHDATA1));
      words.push(`0x${toHex(script.subarray(pc, start))}`);
      if (next > start) words.push(`0x${toHex(script.subarray(start, next))}`);
    } else {
      const name = NAME_TO_OPCODE.has(OP_NAMES.get(opcode) ?? "")
        ? OP_NAMES.get(opcode)
        : undefined;
      words.push(name === undefined ? `0x${toHex(script.subarray(pc, next))}` : name.slice(3));
    }
    pc = next;
  }
  return words.join(" ");
}
