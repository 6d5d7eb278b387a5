import type { ChainState } from "@starling/chain";
import type { Network } from "@starling/network";
import type { ComponentLogger } from "../logging/component-logger.ts";
import type { Metrics } from "../metrics/metrics.ts";

export type SyncState = "idle" | "headers" | "blocks" | "synced";

export interface SyncStatus {
  /**
   * `idle`: not started, or no peer with a status yet; `headers`: fetching headers, no block to
   * download yet; `blocks`: downloading and connecting blocks; `synced`: the tip is the best known
   * header and no peer announces more work.
   */
  state: SyncState;
  /** Height of the best valid header. */
  headerHeight: number;
  /** Height of the main chain's tip. */
  blockHeight: number;
  /** Peers with a status. */
  peers: number;
  /** Tip height over the best height known (headers or peers), 0..1. */
  progress: number;
}

export interface SyncProgressEvent extends SyncStatus {
  /** Blocks connected per second since the previous progress event. */
  blocksPerSecond: number;
  /** Block requests open. */
  inFlight: number;
}

export interface SyncedEvent {
  height: number;
  /** Display hex. */
  hash: string;
}

export interface SyncErrorEvent {
  /** A failure the sync cannot recover from (storage, corruption): the node should stop. */
  error: unknown;
}

/** A downloaded block about to be handed to the chain (for first-sight records). */
export interface SyncBlockReceivedEvent {
  /** Display hex. */
  hash: string;
  height: number;
  /** The peer that served it. */
  source: string;
  bytes: number;
  /** Unix ms. */
  atMs: number;
}

/** A downloaded block the chain accepted, and how long that took. */
export interface SyncBlockConnectedEvent {
  hash: string;
  validationMs: number;
}

export interface SyncEvents {
  received: SyncBlockReceivedEvent;
  connected: SyncBlockConnectedEvent;
  progress: SyncProgressEvent;
  synced: SyncedEvent;
  error: SyncErrorEvent;
}

type Listener<T> = ((event: CustomEvent<T>) => void) | { handleEvent(event: CustomEvent<T>): void };

/** An EventTarget whose event names and `detail` types are checked. */
export class SyncEventTarget extends EventTarget {
  override addEventListener<K extends keyof SyncEvents>(
    type: K,
    listener: Listener<SyncEvents[K]>,
    options?: Parameters<EventTarget["addEventListener"]>[2],
  ): void {
    super.addEventListener(
      type,
      listener as Parameters<EventTarget["addEventListener"]>[1],
      options,
    );
  }

  override removeEventListener<K extends keyof SyncEvents>(
    type: K,
    listener: Listener<SyncEvents[K]>,
    options?: Parameters<EventTarget["removeEventListener"]>[2],
  ): void {
    super.removeEventListener(
      type,
      listener as Parameters<EventTarget["removeEventListener"]>[1],
      options,
    );
  }

  emit<K extends keyof SyncEvents>(type: K, detail: SyncEvents[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

export interface BlockSync {
  /** Starts following peers (idempotent). */
  start(): void;
  /** Aborts every request and resolves once no sync work runs any more. */
  stop(): Promise<void>;
  status(): SyncStatus;
  /** Gossip brought a block whose parent we lack: fetch headers from that peer. */
  onUnknownParent(peer: string): void;
  readonly events?: SyncEventTarget;
}

/** What the sync uses of the network (a `Network` satisfies it; unit tests pass a fake). */
export type SyncNetwork = Pick<
  Network,
  | "requestHeaders"
  | "requestBlocks"
  | "requestStatus"
  | "peers"
  | "reportPeer"
  | "addEventListener"
  | "removeEventListener"
>;

export interface SyncComponents {
  chain: ChainState;
  network: SyncNetwork;
  logger?: ComponentLogger;
  /** Only `sync` is used: `progress` and `targetHeight`. */
  metrics?: Pick<Metrics, "sync">;
  /** Unix milliseconds (the node's adjusted time); the chain is given seconds. */
  now: () => number;
}
