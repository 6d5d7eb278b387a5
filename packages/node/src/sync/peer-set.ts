import { hashToHex } from "@starling/chain";
import type { PeerStatus } from "@starling/network";
import type { SyncOptions } from "./options.ts";
import { TokenBucket } from "./token-bucket.ts";

/** What the sync knows about one peer. */
export interface SyncPeer {
  readonly peer: string;
  height: number;
  /** Display hex. */
  bestHash: string;
  work: bigint;
  /**
   * The announced work for which a header sync from this peer ended without reaching it (a stale
   * status, or a peer that claims more than it has): not tried again until the status changes.
   */
  headersTriedAtWork: bigint | undefined;
  /** No new block request before this time (a staller, a failed request, rate limited). */
  backoffUntil: number;
  readonly blockTokens: TokenBucket;
  readonly headerTokens: TokenBucket;
}

/** The peers with a status, kept from the network's `peer:status` and `peer:disconnect`. */
export class PeerSet {
  private readonly peers = new Map<string, SyncPeer>();
  private readonly options: SyncOptions;

  constructor(options: SyncOptions) {
    this.options = options;
  }

  get size(): number {
    return this.peers.size;
  }

  get(peer: string): SyncPeer | undefined {
    return this.peers.get(peer);
  }

  all(): SyncPeer[] {
    return [...this.peers.values()];
  }

  /** Records a status; returns true when it changed what the peer has. */
  update(peer: string, status: PeerStatus, now: number): boolean {
    const bestHash = hashToHex(status.bestHash);
    const known = this.peers.get(peer);
    if (known !== undefined) {
      const changed = known.bestHash !== bestHash || known.work !== status.chainWork;
      known.height = status.bestHeight;
      known.bestHash = bestHash;
      known.work = status.chainWork;
      if (changed) known.headersTriedAtWork = undefined;
      return changed;
    }
    const o = this.options;
    this.peers.set(peer, {
      peer,
      height: status.bestHeight,
      bestHash,
      work: status.chainWork,
      headersTriedAtWork: undefined,
      backoffUntil: 0,
      blockTokens: new TokenBucket(o.peerBlocksBurst, o.peerBlocksPerSecond, now),
      headerTokens: new TokenBucket(o.peerHeaderRequestsBurst, o.peerHeaderRequestsPerSecond, now),
    });
    return true;
  }

  remove(peer: string): boolean {
    return this.peers.delete(peer);
  }

  /** The peer announcing the most work not yet tried, if it is more than `than`. */
  bestAbove(than: bigint): SyncPeer | undefined {
    let best: SyncPeer | undefined;
    for (const p of this.peers.values()) {
      if (p.work <= than || p.headersTriedAtWork === p.work) continue;
      if (best === undefined || p.work > best.work) best = p;
    }
    return best;
  }

  /** The most work any peer announces (0 without peers). */
  maxWork(): bigint {
    let max = 0n;
    for (const p of this.peers.values()) if (p.work > max) max = p.work;
    return max;
  }

  maxHeight(): number {
    let max = 0;
    for (const p of this.peers.values()) if (p.height > max) max = p.height;
    return max;
  }
}
