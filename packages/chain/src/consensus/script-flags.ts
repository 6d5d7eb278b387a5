import {
  CONSENSUS_SCRIPT_FLAGS,
  parseScriptFlags,
  type ScriptFlagName,
  scriptFlagNames,
} from "../script/flags.ts";

/**
 * Which script verification flags apply where.
 * - Consensus (every block, from genesis): P2SH, DERSIG, CHECKLOCKTIMEVERIFY, CHECKSEQUENCEVERIFY —
 *   Bitcoin Core's pre-segwit consensus set (its GetBlockScriptFlags without WITNESS/TAPROOT).
 * - Standard (mempool relay): the consensus set plus Core's STANDARD_SCRIPT_VERIFY_FLAGS that mean
 *   something without segwit. A transaction failing only these is non-standard, not invalid.
 * SIGPUSHONLY is not in either: Core checks push-only scriptSigs as a separate policy rule
 * (IsStandardTx, "scriptsig-not-pushonly"), and P2SH already requires it for P2SH spends.
 */

export { CONSENSUS_SCRIPT_FLAGS };

export const CONSENSUS_SCRIPT_FLAG_NAMES: readonly ScriptFlagName[] = Object.freeze(
  scriptFlagNames(CONSENSUS_SCRIPT_FLAGS),
);

export const STANDARD_SCRIPT_FLAG_NAMES: readonly ScriptFlagName[] = Object.freeze([
  ...CONSENSUS_SCRIPT_FLAG_NAMES,
  "STRICTENC",
  "LOW_S",
  "NULLDUMMY",
  "MINIMALDATA",
  "DISCOURAGE_UPGRADABLE_NOPS",
  "CLEANSTACK",
  "NULLFAIL",
  "CONST_SCRIPTCODE",
] as const);

/** Core's STANDARD_SCRIPT_VERIFY_FLAGS, pre-segwit. */
export const STANDARD_SCRIPT_FLAGS: number = parseScriptFlags(STANDARD_SCRIPT_FLAG_NAMES);

/** Flags only policy enforces: a failure under these alone is "non-mandatory". */
export const STANDARD_NOT_MANDATORY_FLAGS: number = STANDARD_SCRIPT_FLAGS & ~CONSENSUS_SCRIPT_FLAGS;
