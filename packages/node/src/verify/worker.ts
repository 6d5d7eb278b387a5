/**
 * A verify-pool worker: decodes each batch, runs each segment's script jobs in order with this
 * thread's own signature verifier (a segment stops at its first failure), and answers with one
 * outcome per segment. Holds no state between batches.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createVerifier, runScriptJob, type ScriptJob } from "@starling/chain";
import { decodeBatch } from "./batch-codec.ts";
import type { BatchRequest, SegmentOutcome, VerifyWorkerData, WorkerMessage } from "./messages.ts";

const port = parentPort;
if (port === null) throw new Error("verify worker: must run in a worker thread");

const { verifier: kind } = workerData as VerifyWorkerData;
const verifier = createVerifier(kind);

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function runSegment(jobs: readonly ScriptJob[]): SegmentOutcome {
  try {
    for (let i = 0; i < jobs.length; i++) {
      const error = runScriptJob(jobs[i]!, verifier);
      if (error !== null) return { failedJob: i, error };
    }
    return null;
  } catch (error) {
    return { fault: describe(error) };
  }
}

function runBatch({ id, buffer }: BatchRequest): WorkerMessage {
  let segments: ScriptJob[][];
  try {
    segments = decodeBatch(buffer);
  } catch (error) {
    return { type: "fault", id, message: `undecodable batch: ${describe(error)}` };
  }
  return { type: "result", id, outcomes: segments.map(runSegment) };
}

port.on("message", (request: BatchRequest) => {
  port.postMessage(runBatch(request));
});
port.postMessage({ type: "ready" } satisfies WorkerMessage);
