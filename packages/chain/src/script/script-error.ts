/**
 * Why a script failed, by the names Bitcoin Core's script_tests.json uses in its expected_error
 * column (Core's FormatScriptError), so that tests compare reasons and not just pass/fail.
 * Only the reasons a pre-segwit interpreter can produce are listed.
 */
export const ScriptError = {
  UNKNOWN_ERROR: "UNKNOWN_ERROR",
  EVAL_FALSE: "EVAL_FALSE",
  OP_RETURN: "OP_RETURN",
  // Limits
  SCRIPT_SIZE: "SCRIPT_SIZE",
  PUSH_SIZE: "PUSH_SIZE",
  OP_COUNT: "OP_COUNT",
  STACK_SIZE: "STACK_SIZE",
  SIG_COUNT: "SIG_COUNT",
  PUBKEY_COUNT: "PUBKEY_COUNT",
  // Failed verify operations
  VERIFY: "VERIFY",
  EQUALVERIFY: "EQUALVERIFY",
  CHECKMULTISIGVERIFY: "CHECKMULTISIGVERIFY",
  CHECKSIGVERIFY: "CHECKSIGVERIFY",
  NUMEQUALVERIFY: "NUMEQUALVERIFY",
  // Logical and format errors
  BAD_OPCODE: "BAD_OPCODE",
  DISABLED_OPCODE: "DISABLED_OPCODE",
  INVALID_STACK_OPERATION: "INVALID_STACK_OPERATION",
  INVALID_ALTSTACK_OPERATION: "INVALID_ALTSTACK_OPERATION",
  UNBALANCED_CONDITIONAL: "UNBALANCED_CONDITIONAL",
  // CHECKLOCKTIMEVERIFY and CHECKSEQUENCEVERIFY
  NEGATIVE_LOCKTIME: "NEGATIVE_LOCKTIME",
  UNSATISFIED_LOCKTIME: "UNSATISFIED_LOCKTIME",
  // Malleability and encoding
  SIG_HASHTYPE: "SIG_HASHTYPE",
  SIG_DER: "SIG_DER",
  MINIMALDATA: "MINIMALDATA",
  SIG_PUSHONLY: "SIG_PUSHONLY",
  SIG_HIGH_S: "SIG_HIGH_S",
  SIG_NULLDUMMY: "SIG_NULLDUMMY",
  PUBKEYTYPE: "PUBKEYTYPE",
  CLEANSTACK: "CLEANSTACK",
  NULLFAIL: "NULLFAIL",
  // Soft-fork safeness
  DISCOURAGE_UPGRADABLE_NOPS: "DISCOURAGE_UPGRADABLE_NOPS",
  // CONST_SCRIPTCODE
  OP_CODESEPARATOR: "OP_CODESEPARATOR",
  SIG_FINDANDDELETE: "SIG_FINDANDDELETE",
} as const;
export type ScriptErrorCode = (typeof ScriptError)[keyof typeof ScriptError];

/**
 * Thrown inside the interpreter to unwind to its single exit, which turns it into a returned
 * ScriptErrorCode. Never escapes the interpreter.
 */
export class ScriptFailure extends Error {
  override readonly name = "ScriptFailure";
  readonly code: ScriptErrorCode;

  constructor(code: ScriptErrorCode) {
    super(code);
    this.code = code;
  }
}
