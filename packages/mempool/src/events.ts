import type { Transaction } from "@starling/chain";

/** Why a transaction left the mempool (Core's MemPoolRemovalReason). */
export type RemovalReason = "block" | "conflict" | "replaced" | "evicted" | "expired" | "reorg";

export interface TxAddedEvent {
  readonly txid: string;
  readonly tx: Transaction;
  readonly fee: bigint;
  readonly size: number;
  /** The peer it came from; undefined for local submissions, reorganisations and loading. */
  readonly peer: string | undefined;
  /** Transactions it replaced. */
  readonly replaced: readonly string[];
}

export interface TxRemovedEvent {
  readonly txid: string;
  readonly tx: Transaction;
  readonly reason: RemovalReason;
  /** For "replaced": the replacement's txid. */
  readonly replacedBy?: string;
}

export interface MempoolEvents {
  "tx-added": TxAddedEvent;
  "tx-removed": TxRemovedEvent;
}

export type MempoolListener<K extends keyof MempoolEvents> = (event: MempoolEvents[K]) => void;

/**
 * Typed listeners. Events are queued while the mempool changes and delivered once it is consistent
 * again, so a listener may call back into the mempool. A listener that throws does not stop the
 * others; its error is rethrown asynchronously (an uncaught exception, as EventTarget does).
 */
export class MempoolEventEmitter {
  private readonly listeners: { [K in keyof MempoolEvents]: Set<MempoolListener<K>> } = {
    "tx-added": new Set(),
    "tx-removed": new Set(),
  };
  private pending: { type: keyof MempoolEvents; event: unknown }[] = [];
  private flushing = false;

  on<K extends keyof MempoolEvents>(type: K, listener: MempoolListener<K>): () => void {
    this.listeners[type].add(listener);
    return () => this.off(type, listener);
  }

  off<K extends keyof MempoolEvents>(type: K, listener: MempoolListener<K>): void {
    this.listeners[type].delete(listener);
  }

  queue<K extends keyof MempoolEvents>(type: K, event: MempoolEvents[K]): void {
    if (this.listeners[type].size > 0) this.pending.push({ type, event });
  }

  flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        for (const { type, event } of batch) {
          for (const listener of this.listeners[type] as Set<(e: unknown) => void>) {
            try {
              listener(event);
            } catch (error) {
              queueMicrotask(() => {
                throw error;
              });
            }
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
