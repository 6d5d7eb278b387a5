/**
 * Messages between the pool (main thread) and its proof-of-work workers. Cancellation and hash
 * counts go through shared memory instead: a worker busy in its nonce loop reads no messages, but
 * it reads the shared job number between chunks and adds its hashes to its own counter.
 */

/** Data every worker starts with. */
export interface PowWorkerData {
  readonly index: number;
  /** Int32Array over it: [0] = the job the workers should be doing; any other job stops. */
  readonly control: SharedArrayBuffer;
  /** BigInt64Array over it, one slot per worker: hashes done so far. */
  readonly counters: SharedArrayBuffer;
}

export interface SearchRequest {
  readonly type: "search";
  readonly job: number;
  /** The 80-byte header; its nonce bytes are ignored. */
  readonly header: Uint8Array;
  readonly target: bigint;
  /** First nonce and how many to try (wrapping at 2^32). */
  readonly start: number;
  readonly count: number;
}

export type WorkerReply =
  | { readonly type: "found"; readonly job: number; readonly nonce: number }
  | { readonly type: "exhausted"; readonly job: number }
  | { readonly type: "stopped"; readonly job: number };

/** Nonces between two looks at the shared job number: about 10 ms of work at 1.5 MH/s. */
export const CHECK_INTERVAL = 1 << 14;
