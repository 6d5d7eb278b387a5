import { ScriptError, ScriptFailure } from "./script-error.ts";

/**
 * Bitcoin Core's CScriptNum: little-endian sign-magnitude integers on the script stack.
 *
 * Operands are at most 4 bytes (5 for CHECKLOCKTIMEVERIFY / CHECKSEQUENCEVERIFY), so every value
 * and every result of the allowed arithmetic (at most 2^39 in magnitude) is exact in a JS number.
 */

export const DEFAULT_MAX_NUM_SIZE = 4;

/**
 * Decodes a stack element as a script number. Throws ScriptFailure(UNKNOWN_ERROR), as Core's
 * scriptnum_error surfaces, when it is longer than `maxSize` or, with `requireMinimal`, not
 * minimally encoded (negative zero included).
 */
export function decodeScriptNum(
  bytes: Uint8Array,
  requireMinimal: boolean,
  maxSize: number = DEFAULT_MAX_NUM_SIZE,
): number {
  const length = bytes.length;
  if (length > maxSize) throw new ScriptFailure(ScriptError.UNKNOWN_ERROR);
  if (length === 0) return 0;
  const last = bytes[length - 1]!;
  // Non-minimal: the top byte holds only the sign, and the byte below does not need the room.
  if (requireMinimal && (last & 0x7f) === 0 && (length <= 1 || (bytes[length - 2]! & 0x80) === 0)) {
    throw new ScriptFailure(ScriptError.UNKNOWN_ERROR);
  }
  let value = 0;
  let scale = 1;
  for (let i = 0; i < length - 1; i++) {
    value += bytes[i]! * scale;
    scale *= 256;
  }
  value += (last & 0x7f) * scale;
  return last & 0x80 && value !== 0 ? -value : value;
}

const EMPTY = new Uint8Array(0);

/** What comparisons push: 1 for true, the empty element for false. Shared, never mutated. */
export const SCRIPT_TRUE: Uint8Array = Uint8Array.of(1);
export const SCRIPT_FALSE: Uint8Array = EMPTY;

/** Minimal encoding of an integer (|value| < 2^53) as Core's CScriptNum::serialize. */
export function encodeScriptNum(value: number): Uint8Array {
  if (value === 0) return EMPTY;
  const negative = value < 0;
  let magnitude = negative ? -value : value;
  const out: number[] = [];
  while (magnitude > 0) {
    out.push(magnitude % 256);
    magnitude = Math.floor(magnitude / 256);
  }
  // The top bit is the sign: add a byte when the magnitude already uses it.
  const top = out[out.length - 1]!;
  if (top & 0x80) out.push(negative ? 0x80 : 0);
  else if (negative) out[out.length - 1] = top | 0x80;
  return Uint8Array.from(out);
}

/** Core's CScriptNum::getint: the value clamped to the int32 range. */
export function clampToInt32(value: number): number {
  if (value > 0x7fffffff) return 0x7fffffff;
  if (value < -0x80000000) return -0x80000000;
  return value;
}

/** Core's CastToBool: false for any encoding of zero, negative zero included. */
export function castToBool(bytes: Uint8Array): boolean {
  const length = bytes.length;
  for (let i = 0; i < length; i++) {
    if (bytes[i] !== 0) return !(i === length - 1 && bytes[i] === 0x80);
  }
  return false;
}
