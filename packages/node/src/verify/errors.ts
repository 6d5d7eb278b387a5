/** Why the verify pool could not give a verdict (never a script failure: those are results). */
export const VerifyPoolErrorCode = {
  /** A worker exited (crashed, ran out of memory, was terminated) with a batch of this run in flight. */
  WORKER_EXITED: "worker-exited",
  /** A worker failed to load its module or verifier during start(). */
  WORKER_START_FAILED: "worker-start-failed",
  /** Every worker is gone and none could be replaced. */
  NO_WORKERS: "no-workers",
  /** A job threw inside a worker instead of returning a verdict (a bug, e.g. an input index out of range). */
  JOB_THREW: "job-threw",
  /** The pool was closed before or while the run was queued. */
  CLOSED: "closed",
  /** The requested signature backend does not load in this process. */
  VERIFIER_UNAVAILABLE: "verifier-unavailable",
} as const;
export type VerifyPoolErrorCode = (typeof VerifyPoolErrorCode)[keyof typeof VerifyPoolErrorCode];

export class VerifyPoolError extends Error {
  override readonly name = "VerifyPoolError";
  readonly code: VerifyPoolErrorCode;

  constructor(code: VerifyPoolErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail === undefined ? code : `${code}: ${detail}`, options);
    this.code = code;
  }
}
