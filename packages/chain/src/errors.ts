/**
 * Typed errors of the consensus package.
 *
 * - `DecodeError`: bytes that are not a canonical encoding. Thrown by every decoder; never a
 *   RangeError or TypeError (those stay for programmer errors such as a wrong argument type).
 * - `ValidationError`: data that decodes but breaks a consensus rule. `code` is Bitcoin Core's reject
 *   string, so that it can be a metric label and compared with Core's behaviour; `score` is the ban
 *   score a peer earns for sending it and `action` says whether gossip should reject or ignore it.
 */

export const DecodeReason = {
  TRUNCATED: "truncated",
  TRAILING_BYTES: "trailing-bytes",
  NON_CANONICAL_SIZE: "non-canonical-compact-size",
  SIZE_TOO_LARGE: "size-too-large",
  COUNT_EXCEEDS_DATA: "count-exceeds-data",
  UNKNOWN_TX_OPTIONAL_DATA: "unknown-tx-optional-data",
  SUPERFLUOUS_WITNESS: "superfluous-witness-record",
  INVALID_HEX: "invalid-hex",
  INVALID_LENGTH: "invalid-length",
  INVALID_SCRIPT: "invalid-script",
  INVALID_ENCODING: "invalid-encoding",
} as const;
export type DecodeReason = (typeof DecodeReason)[keyof typeof DecodeReason];

export class DecodeError extends Error {
  static readonly NAME = "DecodeError";
  override readonly name = "DecodeError";
  readonly reason: DecodeReason;

  constructor(reason: DecodeReason, message?: string) {
    super(message === undefined ? reason : `${reason}: ${message}`);
    this.reason = reason;
  }
}

/** What gossip should do with a message that failed validation. */
export type ValidationAction = "reject" | "ignore";

export interface ValidationErrorInit {
  /** Ban score earned by the peer that sent the data (0..100); 100 means disconnect and ban. */
  score?: number;
  action?: ValidationAction;
  /** True when the failure may be our fault or transient (missing data), so the data must not be cached as invalid. */
  corruptionPossible?: boolean;
  detail?: string;
}

export class ValidationError extends Error {
  override readonly name: string = "ValidationError";
  /** Bitcoin Core's reject reason, e.g. `bad-txns-inputs-missingorspent`. */
  readonly code: string;
  readonly score: number;
  readonly action: ValidationAction;
  readonly corruptionPossible: boolean;

  constructor(code: string, init: ValidationErrorInit = {}) {
    super(init.detail === undefined ? code : `${code}: ${init.detail}`);
    this.code = code;
    this.score = init.score ?? 100;
    this.action = init.action ?? "reject";
    this.corruptionPossible = init.corruptionPossible ?? false;
  }
}

/** A transaction broke a consensus (or, in the mempool, policy) rule. */
export class TxValidationError extends ValidationError {
  override readonly name: string = "TxValidationError";
}

/** A block or header broke a consensus rule. */
export class BlockValidationError extends ValidationError {
  override readonly name: string = "BlockValidationError";
}
