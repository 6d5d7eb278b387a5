/** The miner's typed errors, one class per failure, named by `.name` (js-libp2p's habit). */

/** A block the miner assembled failed its own proof-of-work check: a bug, never a rule of chance. */
export class InvalidSolutionError extends Error {
  static readonly NAME = "InvalidSolutionError";
  override readonly name = "InvalidSolutionError";
}

/** The miner was asked to do two searches at once, or to work after it was stopped. */
export class MinerBusyError extends Error {
  static readonly NAME = "MinerBusyError";
  override readonly name = "MinerBusyError";
}

/** A proof-of-work worker thread failed or exited while searching. */
export class WorkerFailedError extends Error {
  static readonly NAME = "WorkerFailedError";
  override readonly name = "WorkerFailedError";
}

/** `submitblock` data that is not a block (Core's RPC_DESERIALIZATION_ERROR, -22). */
export class BlockDecodeFailedError extends Error {
  static readonly NAME = "BlockDecodeFailedError";
  override readonly name = "BlockDecodeFailedError";
  /** The JSON-RPC error code Bitcoin Core answers with. */
  readonly rpcCode = -22;
}

/** The generated block was not connected by the node, so the next one would not build on it. */
export class BlockNotConnectedError extends Error {
  static readonly NAME = "BlockNotConnectedError";
  override readonly name = "BlockNotConnectedError";
}

/** The reason an aborted operation rejects with: the signal's reason, or a standard AbortError. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("This operation was aborted", "AbortError");
}
