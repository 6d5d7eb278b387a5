import type { ScriptErrorCode, VerifierKind } from "@starling/chain";

/** What a worker is started with. */
export interface VerifyWorkerData {
  readonly verifier: VerifierKind;
}

/** Main thread to worker: one batch (see batch-codec.ts), its buffer transferred. */
export interface BatchRequest {
  readonly id: number;
  readonly buffer: ArrayBuffer;
}

/**
 * How one segment of a batch went: null when every job passed; else the segment-relative index of
 * the first failing job (the segment stops there) and its error; or `fault` when a job threw
 * instead of returning a verdict.
 */
export type SegmentOutcome =
  | null
  | { readonly failedJob: number; readonly error: ScriptErrorCode }
  | { readonly fault: string };

/** Worker to main thread. */
export type WorkerMessage =
  /** The module and verifier loaded; batches may flow. */
  | { readonly type: "ready" }
  /** A batch ran: one outcome per segment, in order. */
  | { readonly type: "result"; readonly id: number; readonly outcomes: readonly SegmentOutcome[] }
  /** The batch did not decode (only a bug can do that): every segment faults. */
  | { readonly type: "fault"; readonly id: number; readonly message: string };
