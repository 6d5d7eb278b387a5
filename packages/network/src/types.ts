/**
 * What the network consumes from the rest of the node (btcd's "the consumer defines the interface"):
 * the chain's status, gossip validation, and the data behind the request/response protocols. Hashes
 * are 32-byte Uint8Arrays in internal byte order (as they are inside headers), headers 80 bytes,
 * blocks and transactions their consensus serialisation.
 */

/** The local chain tip, as the status handshake carries it. */
export interface ChainStatus {
  bestHeight: number;
  /** Internal byte order. */
  bestHash: Uint8Array;
  /** Cumulative proof of work of the best chain. */
  chainWork: bigint;
}

/** Called for every status message sent; must be cheap (the node keeps its tip in memory). */
export type ChainStatusProvider = () => ChainStatus;

/** A peer's status as received in the handshake. */
export interface PeerStatus extends ChainStatus {
  network: string;
  /** Internal byte order. */
  genesisHash: Uint8Array;
}

export type GossipVerdict = "accept" | "reject" | "ignore";

/**
 * Gossip validation, decided by the chain and mempool (Lodestar's split): the network maps the
 * verdict onto gossipsub. "accept" relays and delivers; "reject" drops and penalises the sender
 * (invalid data); "ignore" drops without penalty (duplicate, unknown parent, policy, busy).
 *
 * A validator may also throw: an error with an `action` of "reject" or "ignore" (the chain's
 * ValidationError) maps to that verdict, and its `score` (0..100) becomes the penalty; a DecodeError
 * is a reject; anything else is an ignore, since a bug of ours is no fault of the peer.
 */
export interface GossipValidators {
  validateBlock(bytes: Uint8Array, fromPeer: string): Promise<GossipVerdict>;
  validateTx(bytes: Uint8Array, fromPeer: string): Promise<GossipVerdict>;
}

export interface HandlerContext {
  /** The requesting peer. */
  peer: string;
  /** Aborts when the request's deadline passes or the stream closes. */
  signal: AbortSignal;
}

/**
 * The data behind the request/response protocols, injected by the node (Lodestar's
 * getReqRespHandlers). Handlers answer only from what they have: missing items are left out.
 */
export interface ReqRespHandlers {
  /**
   * Bitcoin's getheaders: headers after the first locator hash found on the best chain, up to and
   * including `stop` (all zeros: no stop), at most `max`; each 80 bytes, in chain order.
   */
  getHeaders(
    locator: Uint8Array[],
    stop: Uint8Array,
    max: number,
    context: HandlerContext,
  ): Promise<Uint8Array[]> | Uint8Array[];
  /** Blocks by hash, in the order asked; unknown hashes are skipped. */
  getBlocks(
    hashes: Uint8Array[],
    context: HandlerContext,
  ): Promise<Uint8Array[]> | AsyncIterable<Uint8Array>;
  /** Txids of the mempool (internal byte order), at most `max`. */
  getMempoolTxids(max: number, context: HandlerContext): Promise<Uint8Array[]> | Uint8Array[];
  /** Mempool transactions by txid, in the order asked; unknown ids are skipped. */
  getTxs(ids: Uint8Array[], context: HandlerContext): Promise<Uint8Array[]> | Uint8Array[];
}
