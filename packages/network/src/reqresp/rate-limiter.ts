import type { ReqRespName } from "../constants.ts";
import type { TokenBucketInit } from "../options.ts";

/** Peers whose buckets are remembered; past it the least recently used go (memory stays bounded). */
const MAX_TRACKED_PEERS = 4096;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Per-peer, per-protocol token buckets. A request costs its item count; a bucket refills
 * continuously up to its capacity. Buckets outlive a disconnection (up to the LRU cap) so that
 * reconnecting does not refill them.
 */
export class RateLimiter {
  private readonly limits: Readonly<Record<ReqRespName, TokenBucketInit>>;
  private readonly now: () => number;
  private readonly peers = new Map<string, Map<ReqRespName, Bucket>>();

  constructor(
    limits: Readonly<Record<ReqRespName, TokenBucketInit>>,
    now: () => number = Date.now,
  ) {
    this.limits = limits;
    this.now = now;
  }

  /** Takes `cost` tokens if the bucket holds them; false (and nothing taken) otherwise. */
  allow(peer: string, protocol: ReqRespName, cost = 1): boolean {
    const limit = this.limits[protocol];
    const now = this.now();
    let buckets = this.peers.get(peer);
    if (buckets === undefined) {
      buckets = new Map();
      this.evictOverflow();
    } else {
      this.peers.delete(peer);
    }
    this.peers.set(peer, buckets);
    let bucket = buckets.get(protocol);
    if (bucket === undefined) {
      bucket = { tokens: limit.capacity, updatedAt: now };
      buckets.set(protocol, bucket);
    }
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(
      limit.capacity,
      bucket.tokens + elapsedSeconds * limit.refillPerSecond,
    );
    bucket.updatedAt = now;
    if (cost > bucket.tokens) return false;
    bucket.tokens -= cost;
    return true;
  }

  /** Tokens left (after refill) for inspection and tests. */
  available(peer: string, protocol: ReqRespName): number {
    const limit = this.limits[protocol];
    const bucket = this.peers.get(peer)?.get(protocol);
    if (bucket === undefined) return limit.capacity;
    const elapsedSeconds = Math.max(0, this.now() - bucket.updatedAt) / 1000;
    return Math.min(limit.capacity, bucket.tokens + elapsedSeconds * limit.refillPerSecond);
  }

  get trackedPeers(): number {
    return this.peers.size;
  }

  private evictOverflow(): void {
    while (this.peers.size >= MAX_TRACKED_PEERS) {
      const oldest = this.peers.keys().next();
      if (oldest.done === true) return;
      this.peers.delete(oldest.value);
    }
  }
}
