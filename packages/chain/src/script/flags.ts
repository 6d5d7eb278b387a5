/**
 * Script verification flags, by Bitcoin Core's names (SCRIPT_VERIFY_* without the prefix) and
 * bit values, so that a bitmask here means what it means in Core.
 *
 * Witness- and taproot-era names are accepted so that Core's flag strings can be passed unchanged,
 * and have no effect: in Core they change only the evaluation of witness programs, of witness data
 * and of witness-version scripts (MINIMALIF and WITNESS_PUBKEYTYPE apply to witness v0 scripts only),
 * none of which exists in Starling. A scriptPubKey shaped like a witness program is evaluated as an
 * ordinary script, as Core did before segwit; vectors that depend on witness semantics are
 * therefore out of scope (the tests skip and count them).
 */
export const ScriptFlag = {
  NONE: 0,
  P2SH: 1 << 0,
  STRICTENC: 1 << 1,
  DERSIG: 1 << 2,
  LOW_S: 1 << 3,
  NULLDUMMY: 1 << 4,
  SIGPUSHONLY: 1 << 5,
  MINIMALDATA: 1 << 6,
  DISCOURAGE_UPGRADABLE_NOPS: 1 << 7,
  CLEANSTACK: 1 << 8,
  CHECKLOCKTIMEVERIFY: 1 << 9,
  CHECKSEQUENCEVERIFY: 1 << 10,
  WITNESS: 1 << 11,
  DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM: 1 << 12,
  MINIMALIF: 1 << 13,
  NULLFAIL: 1 << 14,
  WITNESS_PUBKEYTYPE: 1 << 15,
  CONST_SCRIPTCODE: 1 << 16,
  TAPROOT: 1 << 17,
  DISCOURAGE_UPGRADABLE_TAPROOT_VERSION: 1 << 18,
  DISCOURAGE_OP_SUCCESS: 1 << 19,
  DISCOURAGE_UPGRADABLE_PUBKEYTYPE: 1 << 20,
} as const;
export type ScriptFlagName = keyof typeof ScriptFlag;

/** Flags accepted for compatibility with Core's flag strings and ignored (see above). */
export const WITNESS_ERA_FLAGS: number =
  ScriptFlag.WITNESS |
  ScriptFlag.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM |
  ScriptFlag.MINIMALIF |
  ScriptFlag.WITNESS_PUBKEYTYPE |
  ScriptFlag.TAPROOT |
  ScriptFlag.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION |
  ScriptFlag.DISCOURAGE_OP_SUCCESS |
  ScriptFlag.DISCOURAGE_UPGRADABLE_PUBKEYTYPE;

/** Every flag that changes how a pre-segwit script is evaluated. */
export const LEGACY_SCRIPT_FLAGS: number =
  ScriptFlag.P2SH |
  ScriptFlag.STRICTENC |
  ScriptFlag.DERSIG |
  ScriptFlag.LOW_S |
  ScriptFlag.NULLDUMMY |
  ScriptFlag.SIGPUSHONLY |
  ScriptFlag.MINIMALDATA |
  ScriptFlag.DISCOURAGE_UPGRADABLE_NOPS |
  ScriptFlag.CLEANSTACK |
  ScriptFlag.CHECKLOCKTIMEVERIFY |
  ScriptFlag.CHECKSEQUENCEVERIFY |
  ScriptFlag.NULLFAIL |
  ScriptFlag.CONST_SCRIPTCODE;

/**
 * Starling's consensus flags (DESIGN.md §2): P2SH, strict DER, CLTV and CSV from genesis. Script
 * policy (LOW_S, NULLDUMMY, MINIMALDATA, CLEANSTACK, ...) is the mempool's to add.
 */
export const CONSENSUS_SCRIPT_FLAGS: number =
  ScriptFlag.P2SH |
  ScriptFlag.DERSIG |
  ScriptFlag.CHECKLOCKTIMEVERIFY |
  ScriptFlag.CHECKSEQUENCEVERIFY;

const FLAG_BY_NAME: ReadonlyMap<string, number> = new Map(Object.entries(ScriptFlag));

/**
 * Bitmask of flag names as Core's tests spell them, for flags to be put in force. "NONE" and ""
 * stand for no flag. An unknown name is a programmer error (TypeError), as is CLEANSTACK without
 * P2SH, which Core asserts against: going from CLEANSTACK to P2SH + CLEANSTACK would loosen the
 * rules (a P2SH spend leaves more than one item on the plain stack), not tighten them.
 */
export function parseScriptFlags(names: readonly string[] | string): number {
  const mask = scriptFlagBits(names);
  checkFlagCombination(mask);
  return mask;
}

/**
 * The bits of a list of flag names, without the combination check (for sets that are not put in
 * force as such, e.g. tx_valid.json's lists of flags to leave out). Unknown names: TypeError.
 */
export function scriptFlagBits(names: readonly string[] | string): number {
  const list = typeof names === "string" ? names.split(",") : names;
  let mask = 0;
  for (const raw of list) {
    if (typeof raw !== "string") throw new TypeError("script flag names must be strings");
    const name = raw.trim();
    if (name === "") continue;
    const bit = FLAG_BY_NAME.get(name);
    if (bit === undefined) throw new TypeError(`unknown script verification flag: ${name}`);
    mask |= bit;
  }
  return mask;
}

/** Throws TypeError for a combination Core refuses (it asserts): CLEANSTACK needs P2SH. */
export function checkFlagCombination(mask: number): void {
  if (mask & ScriptFlag.CLEANSTACK && !(mask & ScriptFlag.P2SH)) {
    throw new TypeError("script flag CLEANSTACK requires P2SH");
  }
}

/** Names of the flags set in `mask`, in bit order. */
export function scriptFlagNames(mask: number): ScriptFlagName[] {
  const names: ScriptFlagName[] = [];
  for (const [name, bit] of Object.entries(ScriptFlag) as [ScriptFlagName, number][]) {
    if (bit !== 0 && (mask & bit) !== 0) names.push(name);
  }
  return names;
}
