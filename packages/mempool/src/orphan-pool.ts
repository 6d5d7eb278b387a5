import { outpointKey, type Transaction } from "@starling/chain";

export interface OrphanPoolLimits {
  /** Orphans held at most. */
  readonly maxCount: number;
  /** Total bytes of orphans held at most. */
  readonly maxBytes: number;
  /** The share (0..1] of both limits one peer may fill. */
  readonly peerShare: number;
  /** Seconds an orphan waits for its parents. */
  readonly expirySeconds: number;
}

export interface Orphan {
  readonly tx: Transaction;
  readonly txid: string;
  readonly size: number;
  readonly peer: string;
  /** Seconds, when it arrived. */
  readonly time: number;
  /** Txids of the transactions it spends that neither the chain nor the mempool has. */
  readonly missingParents: readonly string[];
}

/**
 * Transactions whose inputs are missing, waiting for their parents (Core's TxOrphanage). Bounded
 * by count and bytes overall and per peer: a peer over its share loses its own oldest orphan, and
 * when the pool is full the peer holding the most bytes loses its oldest, so no single peer can
 * push out everyone else's. Orphans expire after 20 minutes.
 */
export class OrphanPool {
  private readonly limits: OrphanPoolLimits;
  private readonly byTxid = new Map<string, Orphan>();
  /** Per peer, its orphans in arrival order. */
  private readonly byPeer = new Map<string, Map<string, Orphan>>();
  private readonly peerBytes = new Map<string, number>();
  /** Missing parent txid → orphans waiting for it. */
  private readonly waiting = new Map<string, Set<string>>();
  private totalBytes = 0;

  constructor(limits: OrphanPoolLimits) {
    this.limits = limits;
  }

  get count(): number {
    return this.byTxid.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  has(txid: string): boolean {
    return this.byTxid.has(txid);
  }

  get(txid: string): Orphan | undefined {
    return this.byTxid.get(txid);
  }

  /** Orphans from one peer. */
  countFor(peer: string): number {
    return this.byPeer.get(peer)?.size ?? 0;
  }

  /**
   * Adds an orphan (a no-op when present), first expiring old ones and evicting to make room.
   * Returns the txids evicted.
   */
  add(orphan: Orphan, now: number): string[] {
    if (this.byTxid.has(orphan.txid)) return [];
    const evicted = this.expire(now);
    const peerMaxCount = Math.max(1, Math.floor(this.limits.maxCount * this.limits.peerShare));
    const peerMaxBytes = Math.max(orphan.size, this.limits.maxBytes * this.limits.peerShare);
    for (;;) {
      const own = this.byPeer.get(orphan.peer);
      const ownBytes = this.peerBytes.get(orphan.peer) ?? 0;
      if (
        own === undefined ||
        (own.size < peerMaxCount && ownBytes + orphan.size <= peerMaxBytes)
      ) {
        break;
      }
      evicted.push(this.evictOldestOf(orphan.peer));
    }
    while (
      this.byTxid.size > 0 &&
      (this.byTxid.size >= this.limits.maxCount ||
        this.totalBytes + orphan.size > this.limits.maxBytes)
    ) {
      evicted.push(this.evictOldestOf(this.largestPeer()));
    }
    this.byTxid.set(orphan.txid, orphan);
    let own = this.byPeer.get(orphan.peer);
    if (own === undefined) {
      own = new Map();
      this.byPeer.set(orphan.peer, own);
    }
    own.set(orphan.txid, orphan);
    this.peerBytes.set(orphan.peer, (this.peerBytes.get(orphan.peer) ?? 0) + orphan.size);
    this.totalBytes += orphan.size;
    for (const parent of orphan.missingParents) {
      let set = this.waiting.get(parent);
      if (set === undefined) {
        set = new Set();
        this.waiting.set(parent, set);
      }
      set.add(orphan.txid);
    }
    return evicted;
  }

  remove(txid: string): boolean {
    const orphan = this.byTxid.get(txid);
    if (orphan === undefined) return false;
    this.byTxid.delete(txid);
    const own = this.byPeer.get(orphan.peer)!;
    own.delete(txid);
    const bytes = this.peerBytes.get(orphan.peer)! - orphan.size;
    if (own.size === 0) {
      this.byPeer.delete(orphan.peer);
      this.peerBytes.delete(orphan.peer);
    } else {
      this.peerBytes.set(orphan.peer, bytes);
    }
    this.totalBytes -= orphan.size;
    for (const parent of orphan.missingParents) {
      const set = this.waiting.get(parent);
      set?.delete(txid);
      if (set?.size === 0) this.waiting.delete(parent);
    }
    return true;
  }

  /** Orphans that wait for `parentTxid` (they stay in the pool). */
  waitingFor(parentTxid: string): Orphan[] {
    const set = this.waiting.get(parentTxid);
    return set === undefined ? [] : [...set].map((txid) => this.byTxid.get(txid)!);
  }

  /** Drops orphans older than the expiry; returns their txids. */
  expire(now: number): string[] {
    const removed: string[] = [];
    for (const orphan of this.byTxid.values()) {
      if (orphan.time + this.limits.expirySeconds <= now) removed.push(orphan.txid);
    }
    for (const txid of removed) this.remove(txid);
    return removed;
  }

  /**
   * Drops orphans a block made pointless: included in it, or spending an outpoint one of its
   * transactions spends (Core's EraseForBlock). Returns their txids.
   */
  removeForBlock(transactions: readonly Transaction[]): string[] {
    const spent = new Set<string>();
    const included = new Set<string>();
    for (const tx of transactions) {
      included.add(tx.txid());
      for (const input of tx.inputs) spent.add(outpointKey(input.prevTxid, input.prevIndex));
    }
    const removed: string[] = [];
    for (const orphan of this.byTxid.values()) {
      if (
        included.has(orphan.txid) ||
        orphan.tx.inputs.some((i) => spent.has(outpointKey(i.prevTxid, i.prevIndex)))
      ) {
        removed.push(orphan.txid);
      }
    }
    for (const txid of removed) this.remove(txid);
    return removed;
  }

  private evictOldestOf(peer: string): string {
    const oldest = this.byPeer.get(peer)!.keys().next().value!;
    this.remove(oldest);
    return oldest;
  }

  private largestPeer(): string {
    let best = "";
    let bestBytes = -1;
    for (const [peer, bytes] of this.peerBytes) {
      if (bytes > bestBytes) {
        best = peer;
        bestBytes = bytes;
      }
    }
    return best;
  }
}
