/**
 * Errors of the chain state machine that are not rule violations (those are
 * `BlockValidationError`, with Core's reject codes).
 */

/**
 * A header (or block) whose parent is not in the block index. Not a rule violation: the network
 * layer asks the peer for the headers in between (a header sync from our locator).
 */
export class UnknownParentError extends Error {
  override readonly name = "UnknownParentError";
  readonly hash: string;
  readonly parent: string;

  constructor(hash: string, parent: string) {
    super(`parent ${parent} of ${hash} is unknown`);
    this.hash = hash;
    this.parent = parent;
  }
}

/** A batch of headers where one does not build on the one before it (Core: a misbehaving peer). */
export class NonContinuousHeadersError extends Error {
  override readonly name = "NonContinuousHeadersError";
  /** Position in the batch of the header that does not follow. */
  readonly position: number;

  constructor(position: number) {
    super(`non-continuous headers sequence at position ${position}`);
    this.position = position;
  }
}

/**
 * The stored chainstate contradicts itself (a missing block or undo record under the main chain, a
 * tip that is not in the index, a stored block that fails its own merkle check). The node must stop
 * and the operator reindex: the chain never guesses.
 */
export class ChainStateCorruptError extends Error {
  override readonly name = "ChainStateCorruptError";
}
