import type { CoinEntry } from "../consensus/utxo-view.ts";
import type { BlockValidationError } from "../errors.ts";
import type { Block } from "../primitives/block.ts";
import type { BlockHeader } from "../primitives/block-header.ts";
import type { Outpoint } from "./store.ts";

/**
 * Typed events of the chain state machine. Listeners run synchronously, after the change they
 * report is committed to the store, in chain order: during a reorganisation every
 * `block:disconnected` (tip first), then every `block:connected` (fork point first), then one
 * `tip:changed`. The mempool and the wallet follow the chain with them.
 */

/** The main chain's tip. */
export interface ChainTip {
  readonly hash: string;
  readonly height: number;
  readonly chainWork: bigint;
  /** The tip block's own time. */
  readonly time: number;
  /** Median-time-past of the tip: what finality of the next block's transactions is judged by. */
  readonly medianTimePast: number;
}

export interface BlockConnectedEvent {
  readonly block: Block;
  readonly hash: string;
  readonly height: number;
  /** Coins the block spent from the set, in spending order (its undo data). */
  readonly spent: readonly CoinEntry[];
  /** Coins the block added to the set. */
  readonly created: readonly CoinEntry[];
  /** Sum of the block's transaction fees. */
  readonly fees: bigint;
}

export interface BlockDisconnectedEvent {
  readonly block: Block;
  readonly hash: string;
  readonly height: number;
  /** Coins put back (those the block had spent). */
  readonly restored: readonly CoinEntry[];
  /** Coins removed (those the block had added). */
  readonly removed: readonly Outpoint[];
}

export interface TipChangedEvent {
  readonly tip: ChainTip;
  readonly previous: ChainTip | undefined;
  /** Blocks disconnected on the way (0 unless it was a reorganisation). */
  readonly disconnected: number;
  readonly connected: number;
}

export interface HeaderAcceptedEvent {
  readonly hash: string;
  readonly height: number;
  readonly header: BlockHeader;
}

export interface BlockInvalidEvent {
  readonly hash: string;
  readonly height: number;
  /** Core's reject code, as `error.code`. */
  readonly code: string;
  readonly error: BlockValidationError;
  /** Who sent the block, as given to `processBlock` (to score the right peer). */
  readonly source: string | undefined;
}

export interface ChainEvents {
  "header:accepted": HeaderAcceptedEvent;
  "block:connected": BlockConnectedEvent;
  "block:disconnected": BlockDisconnectedEvent;
  "tip:changed": TipChangedEvent;
  "block:invalid": BlockInvalidEvent;
}

export type ChainEventName = keyof ChainEvents;
export type ChainListener<K extends ChainEventName> = (event: ChainEvents[K]) => void;

/**
 * A small typed emitter. A listener that throws does not stop the others nor the chain: the error
 * goes to `onListenerError` (by default rethrown on a later tick, so a bug is not hidden).
 */
export class ChainEventEmitter {
  private readonly listeners = new Map<ChainEventName, Set<(event: never) => void>>();
  onListenerError: (error: unknown, event: ChainEventName) => void = (error) => {
    queueMicrotask(() => {
      throw error;
    });
  };

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends ChainEventName>(name: K, listener: ChainListener<K>): () => void {
    let set = this.listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener);
    return () => this.off(name, listener);
  }

  off<K extends ChainEventName>(name: K, listener: ChainListener<K>): void {
    this.listeners.get(name)?.delete(listener);
  }

  emit<K extends ChainEventName>(name: K, event: ChainEvents[K]): void {
    const set = this.listeners.get(name);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as ChainListener<K>)(event);
      } catch (error) {
        this.onListenerError(error, name);
      }
    }
  }

  listenerCount(name: ChainEventName): number {
    return this.listeners.get(name)?.size ?? 0;
  }
}
