import { concatBytes } from "../encoding/bytes.ts";
import { readOpEnd } from "./script-reader.ts";

/**
 * Bitcoin Core's FindAndDelete: removes every occurrence of `pattern` that starts at an opcode
 * boundary of `script` (consecutive occurrences included), comparing raw bytes, so a match may span
 * several opcodes. Returns the script unchanged (same object) when nothing matched.
 */
export function findAndDelete(
  script: Uint8Array,
  pattern: Uint8Array,
): { script: Uint8Array; found: number } {
  const patternLength = pattern.length;
  if (patternLength === 0) return { script, found: 0 };
  const end = script.length;
  let found = 0;
  let parts: Uint8Array[] | undefined;
  let pc = 0;
  let kept = 0;
  for (;;) {
    let cursor = pc;
    while (end - cursor >= patternLength && matchesAt(script, cursor, pattern))
      cursor += patternLength;
    if (cursor !== pc) {
      found += (cursor - pc) / patternLength;
      parts ??= [];
      parts.push(script.subarray(kept, pc));
      kept = cursor;
    }
    const next = readOpEnd(script, cursor);
    if (next < 0) break;
    pc = next;
  }
  if (parts === undefined) return { script, found: 0 };
  parts.push(script.subarray(kept, end));
  return { script: concatBytes(...parts), found };
}

function matchesAt(script: Uint8Array, at: number, pattern: Uint8Array): boolean {
  for (let i = 0; i < pattern.length; i++) if (script[at + i] !== pattern[i]) return false;
  return true;
}
