import type { SignatureVerifier } from "../crypto/signature-verifier.ts";
import { defaultVerifier } from "../crypto/verifier.ts";
import type { ScriptErrorCode } from "../script/script-error.ts";
import { runScriptJob, type ScriptJob } from "./check-inputs.ts";

/** The first script check that failed, and why. */
export interface ScriptJobFailure {
  readonly job: ScriptJob;
  readonly error: ScriptErrorCode;
}

/**
 * Runs script checks: inline here, or on a worker-thread pool (the node's verify pool implements the
 * same interface), so that block validation and the mempool do not care which. Resolves null when
 * every job passes, else one failure (with several failures, which one is not specified).
 */
export interface ScriptJobRunner {
  run(
    jobs: readonly ScriptJob[],
    options?: { signal?: AbortSignal },
  ): Promise<ScriptJobFailure | null>;
}

/** A runner on the calling thread; the reference the pool is tested against. */
export function createInlineScriptJobRunner(
  verifier: SignatureVerifier = defaultVerifier(),
): ScriptJobRunner {
  return {
    async run(jobs, options) {
      for (const job of jobs) {
        options?.signal?.throwIfAborted();
        const error = runScriptJob(job, verifier);
        if (error !== null) return { job, error };
      }
      return null;
    },
  };
}
