import {
  DEFAULT_RATE_LIMITS,
  MAX_BLOCKS_PER_REQUEST,
  MAX_HEADERS_PER_REQUEST,
} from "@starling/network";

/**
 * Every setting of the block sync with its default, in one place. Bitcoin Core's headers-first
 * download (a 1,024-block window, 16 blocks per request, a stall timeout) and Lodestar's range sync
 * (batches fetched from several peers, processed in order) are the models; docs/sync.md explains
 * each value.
 */
export interface SyncInit {
  /** Blocks ahead of the tip that may be requested or buffered at once (Core: 1,024). */
  windowSize?: number;
  /** Blocks per request (the protocol allows at most 16). */
  blocksPerRequest?: number;
  /** Block requests one peer may have open at once. */
  maxInFlightPerPeer?: number;
  /** Headers per header request (the protocol allows at most 2,000). */
  headersPerRequest?: number;
  /** Deadline of one block or header request. */
  requestTimeoutMs?: number;
  /**
   * A peer holding back the block the window waits on, with no block from it for this long, is a
   * staller: its requests are cancelled, it is reported and its blocks go to other peers.
   */
  stallTimeoutMs?: number;
  /** How long a staller (or a peer that failed a request) gets no new block requests. */
  peerBackoffMs?: number;
  /** Penalty points for a stall (reported as `request-timeout`). */
  stallPenalty?: number;
  /** Bytes of downloaded blocks waiting to be connected before new requests wait. */
  maxBufferedBytes?: number;
  /**
   * Blocks per second asked of one peer, and the burst: kept under the serving node's token
   * bucket (the network's default `blocks` limit), which charges requests over it.
   */
  peerBlocksPerSecond?: number;
  peerBlocksBurst?: number;
  /** Header requests per second to one peer, and the burst (under the `headers` bucket). */
  peerHeaderRequestsPerSecond?: number;
  peerHeaderRequestsBurst?: number;
  /** How often the scheduler re-evaluates peers, stalls and progress (an unref'd timer). */
  tickIntervalMs?: number;
  /** Least time between two progress log lines. */
  progressIntervalMs?: number;
  /** While synced, how often the best peer's status is refreshed (0: never). */
  statusRefreshIntervalMs?: number;
}

export type SyncOptions = Required<SyncInit>;

const blocksLimit = DEFAULT_RATE_LIMITS.blocks;
const headersLimit = DEFAULT_RATE_LIMITS.headers;

export const DEFAULT_SYNC_OPTIONS: Readonly<SyncOptions> = Object.freeze({
  windowSize: 1024,
  blocksPerRequest: MAX_BLOCKS_PER_REQUEST,
  maxInFlightPerPeer: 4,
  headersPerRequest: MAX_HEADERS_PER_REQUEST,
  requestTimeoutMs: 20_000,
  stallTimeoutMs: 5_000,
  peerBackoffMs: 30_000,
  stallPenalty: 10,
  maxBufferedBytes: 128 << 20,
  // 90% of the server's refill rate and burst: clocks and scheduling jitter never push us over.
  peerBlocksPerSecond: Math.floor(blocksLimit.refillPerSecond * 0.9),
  peerBlocksBurst: Math.floor(blocksLimit.capacity * 0.9),
  peerHeaderRequestsPerSecond: Math.floor(headersLimit.refillPerSecond * 0.8),
  peerHeaderRequestsBurst: Math.floor(headersLimit.capacity * 0.8),
  tickIntervalMs: 1_000,
  progressIntervalMs: 5_000,
  statusRefreshIntervalMs: 60_000,
});

export class SyncOptionsError extends Error {
  override readonly name = "SyncOptionsError";
}

/** SyncInit with every default filled in; throws SyncOptionsError on a value out of range. */
export function resolveSyncOptions(init: SyncInit = {}): SyncOptions {
  const options: SyncOptions = { ...DEFAULT_SYNC_OPTIONS };
  for (const [key, value] of Object.entries(init) as [keyof SyncOptions, number | undefined][]) {
    if (value !== undefined) options[key] = value;
  }
  for (const [key, value] of Object.entries(options)) {
    const mayBeZero = key === "statusRefreshIntervalMs" || key === "stallPenalty";
    if (!Number.isFinite(value) || value < 0 || (value === 0 && !mayBeZero)) {
      throw new SyncOptionsError(`${key} must be a positive number, got ${value}`);
    }
  }
  if (options.blocksPerRequest > MAX_BLOCKS_PER_REQUEST) {
    throw new SyncOptionsError(`blocksPerRequest must be at most ${MAX_BLOCKS_PER_REQUEST}`);
  }
  if (options.headersPerRequest > MAX_HEADERS_PER_REQUEST) {
    throw new SyncOptionsError(`headersPerRequest must be at most ${MAX_HEADERS_PER_REQUEST}`);
  }
  if (options.windowSize < options.blocksPerRequest) {
    throw new SyncOptionsError("windowSize must be at least blocksPerRequest");
  }
  return options;
}
