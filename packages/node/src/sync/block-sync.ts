import {
  Block,
  BlockHeader,
  BlockValidationError,
  type ChainState,
  hexToHash,
  NonContinuousHeadersError,
  UnknownParentError,
} from "@starling/chain";
import type { PeerDisconnectEvent, PeerStatusEvent } from "@starling/network";
import { RemoteError, RequestTimeoutError } from "@starling/network";
import { type ComponentLogger, SILENT_COMPONENT_LOGGER } from "../logging/component-logger.ts";
import { DownloadScheduler, type WantedBlock } from "./download-scheduler.ts";
import type { SyncOptions } from "./options.ts";
import { PeerSet, type SyncPeer } from "./peer-set.ts";
import { ProgressMeter } from "./progress.ts";
import {
  type BlockSync as BlockSyncApi,
  type SyncComponents,
  SyncEventTarget,
  type SyncNetwork,
  type SyncState,
  type SyncStatus,
} from "./types.ts";

const NO_STOP = new Uint8Array(32);

/**
 * Headers-first initial block download and catch-up (Bitcoin Core's IBD, Lodestar's range sync).
 * Header sync follows the peer announcing the most work; blocks towards the best valid header are
 * fetched from every peer that has them, in a moving window, and connected strictly in order. See
 * docs/sync.md.
 *
 * Everything runs from `tick()`: it is called on peer events, when a request or a header round
 * ends, when blocks arrive, and by a timer; it starts work and never waits for it.
 */
export class BlockSync implements BlockSyncApi {
  readonly events = new SyncEventTarget();
  private readonly chain: ChainState;
  private readonly network: SyncNetwork;
  private readonly logger: ComponentLogger;
  private readonly metrics: SyncComponents["metrics"];
  private readonly now: () => number;
  private readonly options: SyncOptions;
  private readonly peers: PeerSet;
  private readonly scheduler: DownloadScheduler<Block>;
  private readonly progress: ProgressMeter;

  private running = false;
  private root = new AbortController();
  private timer: ReturnType<typeof setInterval> | null = null;
  private wakeTimer: ReturnType<typeof setTimeout> | null = null;
  private tickQueued = false;
  /** Target of the current download path (display hex), and the tip it was computed from. */
  private pathTarget: string | undefined;
  private pathDirty = true;
  private headerTask: Promise<void> | null = null;
  private headerPeer: string | null = null;
  private readonly unknownParentPeers: string[] = [];
  private readonly fetches = new Map<
    number,
    { controller: AbortController; task: Promise<void> }
  >();
  private drainTask: Promise<void> | null = null;
  private state: SyncState = "idle";
  private lastStatusRefresh = 0;

  constructor(components: SyncComponents, options: SyncOptions) {
    this.chain = components.chain;
    this.network = components.network;
    this.logger = components.logger ?? SILENT_COMPONENT_LOGGER;
    this.metrics = components.metrics;
    this.now = components.now;
    this.options = options;
    this.peers = new PeerSet(options);
    this.scheduler = new DownloadScheduler<Block>(options);
    this.progress = new ProgressMeter(options.progressIntervalMs);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.root = new AbortController();
    this.network.addEventListener("peer:status", this.onPeerStatus);
    this.network.addEventListener("peer:disconnect", this.onPeerDisconnect);
    this.chain.events.on("block:invalid", this.onChainChanged);
    this.chain.events.on("tip:changed", this.onTipChanged);
    const now = this.now();
    for (const info of this.network.peers()) {
      if (info.status !== null) this.peers.update(info.peer, info.status, now);
    }
    this.progress.reset(now, this.chain.height);
    this.timer = setInterval(() => this.tick(), this.options.tickIntervalMs);
    this.timer.unref();
    this.wake();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer !== null) clearInterval(this.timer);
    if (this.wakeTimer !== null) clearTimeout(this.wakeTimer);
    this.timer = null;
    this.wakeTimer = null;
    this.network.removeEventListener("peer:status", this.onPeerStatus);
    this.network.removeEventListener("peer:disconnect", this.onPeerDisconnect);
    this.chain.events.off("block:invalid", this.onChainChanged);
    this.chain.events.off("tip:changed", this.onTipChanged);
    this.root.abort(new DOMException("sync stopped", "AbortError"));
    await Promise.allSettled([
      this.headerTask,
      this.drainTask,
      ...[...this.fetches.values()].map((f) => f.task),
    ]);
    for (const id of this.scheduler.openRequests()) this.scheduler.finish(id, { leftOut: false });
    this.state = "idle";
  }

  status(): SyncStatus {
    const tip = this.chain.tip;
    const best = this.chain.bestHeader;
    const target = Math.max(best.height, this.peers.maxHeight(), tip.height);
    return {
      state: this.state,
      headerHeight: best.height,
      blockHeight: tip.height,
      peers: this.peers.size,
      progress: target === 0 ? 1 : tip.height / target,
    };
  }

  onUnknownParent(peer: string): void {
    if (!this.running || this.unknownParentPeers.includes(peer) || this.headerPeer === peer) return;
    this.unknownParentPeers.push(peer);
    this.wake();
  }

  // ---- events -----------------------------------------------------------------------------------

  private readonly onPeerStatus = (event: CustomEvent<PeerStatusEvent>): void => {
    const { peer, status } = event.detail;
    if (this.peers.update(peer, status, this.now())) this.scheduler.forgetMissing(peer);
    this.wake();
  };

  private readonly onPeerDisconnect = (event: CustomEvent<PeerDisconnectEvent>): void => {
    const { peer } = event.detail;
    if (!this.peers.remove(peer)) return;
    this.cancelRequestsOf(peer);
    this.wake();
  };

  private readonly onChainChanged = (): void => {
    this.pathDirty = true;
    this.wake();
  };

  private readonly onTipChanged = (event: { disconnected: number }): void => {
    if (event.disconnected > 0) this.pathDirty = true;
    this.wake();
  };

  // ---- the loop ---------------------------------------------------------------------------------

  /** Runs tick() soon, once, however many times it is asked for. */
  private wake(): void {
    if (this.tickQueued || !this.running) return;
    this.tickQueued = true;
    setImmediate(() => {
      this.tickQueued = false;
      this.tick();
    });
  }

  private wakeIn(ms: number): void {
    if (this.wakeTimer !== null || !Number.isFinite(ms)) return;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        this.tick();
      },
      Math.max(1, ms),
    );
    this.wakeTimer.unref();
  }

  private tick(): void {
    if (!this.running) return;
    try {
      this.updatePath();
      this.maybeSyncHeaders();
      this.checkStall();
      this.assignRequests();
      this.drain();
      this.updateState();
      this.maybeRefreshStatus();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.logger.error({ err: error }, "block sync failed; stopping it");
    this.events.emit("error", { error });
    void this.stop();
  }

  // ---- headers ----------------------------------------------------------------------------------

  private maybeSyncHeaders(): void {
    if (this.headerTask !== null) return;
    let peer: string | undefined;
    let goal: bigint | undefined;
    while (this.unknownParentPeers.length > 0 && peer === undefined) {
      peer = this.unknownParentPeers.shift();
    }
    if (peer === undefined) {
      const best = this.peers.bestAbove(this.chain.bestHeader.chainWork);
      if (best === undefined) return;
      peer = best.peer;
      goal = best.work;
    }
    const from = peer;
    this.headerPeer = from;
    this.headerTask = this.syncHeadersFrom(from, goal)
      .catch((error) => this.onHeaderFailure(from, error))
      .finally(() => {
        this.headerTask = null;
        this.headerPeer = null;
        this.wake();
      });
  }

  /**
   * Rounds of getheaders from `peer`: the first from our best header's locator, the next ones from
   * the last header it sent, so a side chain is followed too; until it sends fewer than asked or
   * its chain reaches the work it announced.
   */
  private async syncHeadersFrom(peer: string, goal: bigint | undefined): Promise<void> {
    const signal = this.root.signal;
    let from = this.chain.bestHeader.hash;
    this.logger.debug({ peer, from, goal: goal?.toString() }, "header sync");
    for (;;) {
      await this.waitForHeaderToken(peer, signal);
      const locator = this.chain.getLocator(from).map(hexToHash);
      const raw = await this.network.requestHeaders(peer, locator, NO_STOP, {
        max: this.options.headersPerRequest,
        signal,
        timeoutMs: this.options.requestTimeoutMs,
      });
      if (raw.length === 0) break;
      const headers = raw.map((bytes) => BlockHeader.fromBytes(bytes));
      const accepted = await this.chain.acceptHeaders(headers, {
        now: Math.floor(this.now() / 1000),
      });
      const last = accepted[accepted.length - 1]!;
      from = last.hash;
      this.pathDirty = true;
      this.wake();
      if (raw.length < this.options.headersPerRequest) break;
      if (goal !== undefined && last.chainWork >= goal) break;
    }
    const state = this.peers.get(peer);
    // The peer's chain did not reach what it announced (a stale status, or a false one): do not
    // ask it again for that status; blocks still follow whatever valid headers it did send.
    if (state !== undefined && goal !== undefined && this.chain.bestHeader.chainWork < goal) {
      state.headersTriedAtWork = goal;
    }
  }

  private async waitForHeaderToken(peer: string, signal: AbortSignal): Promise<void> {
    const state = this.peers.get(peer);
    if (state === undefined) return;
    for (;;) {
      const wait = state.headerTokens.msUntil(1, this.now());
      if (wait === 0 && state.headerTokens.take(1, this.now())) return;
      await sleep(Math.max(wait, 10), signal);
    }
  }

  private onHeaderFailure(peer: string, error: unknown): void {
    if (isAbort(error) && this.root.signal.aborted) return;
    const state = this.peers.get(peer);
    if (state !== undefined) {
      state.headersTriedAtWork = state.work;
      state.backoffUntil = this.now() + this.options.peerBackoffMs;
    }
    if (error instanceof BlockValidationError) {
      // Headers that break a rule (proof of work, ASERT bits, timestamps): the peer's chain is
      // invalid. `time-too-new` may become valid and costs nothing (its score is 0).
      if (error.score > 0) this.network.reportPeer(peer, "invalid-data", error.score);
      this.logger.warn({ peer, code: error.code }, "peer sent invalid headers");
    } else if (error instanceof NonContinuousHeadersError || error instanceof UnknownParentError) {
      this.network.reportPeer(peer, "bad-response");
      this.logger.warn({ peer, err: error }, "peer sent headers that do not connect");
    } else if (isPeerFault(error)) {
      // Bad framing, timeouts: the network has charged the peer already.
      this.logger.debug({ peer, err: error }, "header request failed");
    } else if (isDecodeError(error)) {
      this.network.reportPeer(peer, "bad-response");
    } else {
      this.logger.warn({ peer, err: error }, "header sync failed");
    }
  }

  // ---- the download path ------------------------------------------------------------------------

  /**
   * The blocks to fetch: from the first block of the best header's chain that is not on our main
   * chain, up to the best header, without those already stored. Extended in place when the best
   * header grew on top of the previous target; rebuilt after an invalid block or a reorganisation.
   */
  private updatePath(): void {
    const best = this.chain.bestHeader;
    const tip = this.chain.tip;
    if (best.chainWork <= tip.chainWork) {
      if (this.scheduler.remaining > 0 || this.pathTarget !== undefined) this.scheduler.setPath([]);
      this.pathTarget = undefined;
      this.pathDirty = false;
      return;
    }
    if (!this.pathDirty && best.hash === this.pathTarget) return;
    const extendFrom = this.pathDirty ? undefined : this.pathTarget;
    const collected: WantedBlock[] = [];
    let hash: string | undefined = best.hash;
    let joined = false;
    while (hash !== undefined) {
      if (hash === extendFrom && this.scheduler.has(hash)) {
        joined = true;
        break;
      }
      const info = this.chain.getBlockInfo(hash);
      if (info === undefined || info.onMainChain) break;
      if (!info.haveData) collected.push({ hash, height: info.height });
      hash = info.height === 0 ? undefined : info.header.prevBlock;
    }
    collected.reverse();
    this.scheduler.setPath(joined ? [...this.currentPath(), ...collected] : collected);
    this.pathTarget = best.hash;
    this.pathDirty = false;
  }

  private currentPath(): WantedBlock[] {
    return this.scheduler.path();
  }

  // ---- blocks -----------------------------------------------------------------------------------

  private eligible(now: number): SyncPeer[] {
    return this.peers
      .all()
      .filter((p) => p.backoffUntil <= now)
      .sort((a, b) => this.scheduler.inFlight(a.peer) - this.scheduler.inFlight(b.peer));
  }

  private assignRequests(): void {
    if (this.scheduler.remaining === 0) return;
    const now = this.now();
    let soonest = Number.POSITIVE_INFINITY;
    for (let progress = true; progress; ) {
      progress = false;
      for (const peer of this.eligible(now)) {
        const want = Math.min(this.options.blocksPerRequest, this.scheduler.pendingInWindow());
        if (want === 0) return;
        const wait = peer.blockTokens.msUntil(want, now);
        if (wait > 0) {
          soonest = Math.min(soonest, wait);
          continue;
        }
        const request = this.scheduler.nextRequest(peer.peer, (h) => h <= peer.height, now, want);
        if (request === null) continue;
        peer.blockTokens.take(request.hashes.length, now);
        this.startFetch(request.id, peer.peer, request.hashes);
        progress = true;
      }
    }
    this.wakeIn(soonest);
  }

  private startFetch(id: number, peer: string, hashes: readonly string[]): void {
    const controller = new AbortController();
    const task = this.fetch(id, peer, hashes, controller.signal).finally(() => {
      this.fetches.delete(id);
      this.wake();
    });
    this.fetches.set(id, { controller, task });
  }

  private async fetch(
    id: number,
    peer: string,
    hashes: readonly string[],
    own: AbortSignal,
  ): Promise<void> {
    const signal = AbortSignal.any([this.root.signal, own]);
    let complete = false;
    try {
      const blocks = this.network.requestBlocks(peer, hashes.map(hexToHash), {
        signal,
        timeoutMs: this.options.requestTimeoutMs,
      });
      for await (const bytes of blocks) {
        let block: Block;
        try {
          block = Block.fromBytes(bytes);
        } catch {
          this.network.reportPeer(peer, "bad-response");
          this.backOff(peer);
          return;
        }
        if (this.scheduler.delivered(id, block.hash(), block, bytes.length, this.now())) {
          this.drain();
        }
      }
      complete = true;
    } catch (error) {
      if (signal.aborted) return;
      this.backOff(peer);
      if (error instanceof RemoteError && error.code === "RATE_LIMITED") {
        this.logger.warn({ peer }, "peer rate-limited our block requests; backing off");
      } else if (!isPeerFault(error)) {
        this.logger.warn({ peer, err: error }, "block request failed");
      } else {
        this.logger.debug({ peer, err: error }, "block request failed");
      }
    } finally {
      // A full answer that left blocks out: the peer lacks them (its status may be stale).
      this.scheduler.finish(id, { leftOut: complete });
    }
  }

  private backOff(peer: string): void {
    const state = this.peers.get(peer);
    if (state !== undefined) state.backoffUntil = this.now() + this.options.peerBackoffMs;
  }

  private cancelRequestsOf(peer: string): void {
    for (const id of this.scheduler.requestsOf(peer)) {
      this.scheduler.finish(id, { leftOut: false });
      this.fetches.get(id)?.controller.abort(new DOMException("request cancelled", "AbortError"));
    }
  }

  /**
   * The window waits on a block a peer has not delivered for the stall timeout while another peer
   * could fetch it: cancel that peer's requests, report it, back it off, hand its blocks out again.
   */
  private checkStall(): void {
    const now = this.now();
    const stall = this.scheduler.stallCandidate(now, this.options.stallTimeoutMs);
    if (stall === undefined) return;
    const others = this.eligible(now).filter(
      (p) => p.peer !== stall.peer && p.height >= stall.height,
    );
    if (others.length === 0) return;
    this.logger.warn(
      { peer: stall.peer, height: stall.height, hash: stall.hash },
      "peer stalls the block download; reassigning its blocks",
    );
    if (this.options.stallPenalty > 0) {
      this.network.reportPeer(stall.peer, "request-timeout", this.options.stallPenalty);
    }
    this.backOff(stall.peer);
    this.cancelRequestsOf(stall.peer);
  }

  /** Connects the blocks at the window's head, one at a time, in chain order. */
  private drain(): void {
    if (this.drainTask !== null || this.scheduler.peekReady() === undefined) return;
    this.drainTask = this.connectReady()
      .catch((error) => {
        if (!(isAbort(error) && this.root.signal.aborted)) this.fail(error);
      })
      .finally(() => {
        this.drainTask = null;
        this.wake();
      });
  }

  private async connectReady(): Promise<void> {
    for (;;) {
      if (!this.running) return;
      const ready = this.scheduler.peekReady();
      if (ready === undefined) return;
      try {
        const startedMs = this.now();
        this.events.dispatchEvent(
          new CustomEvent("received", {
            detail: {
              hash: ready.hash,
              height: ready.height,
              source: ready.source,
              bytes: ready.block.toBytes().length,
              atMs: startedMs,
            },
          }),
        );
        await this.chain.processBlock(ready.block, {
          now: Math.floor(startedMs / 1000),
          source: ready.source,
          signal: this.root.signal,
        });
        this.events.dispatchEvent(
          new CustomEvent("connected", {
            detail: { hash: ready.hash, validationMs: this.now() - startedMs },
          }),
        );
        this.scheduler.consumed(ready.hash);
        this.progress.connected(1);
      } catch (error) {
        if (!(error instanceof BlockValidationError)) throw error;
        if (error.corruptionPossible) {
          // A mutated block: its hash says nothing about the real block, fetch it from another.
          this.network.reportPeer(ready.source, "bad-response");
          this.scheduler.refetch(ready.hash, ready.source);
        } else {
          // The chain marked it (and its descendants) invalid: the best header moves elsewhere.
          if (error.code !== "bad-prevblk" && error.score > 0) {
            this.network.reportPeer(ready.source, "invalid-data", error.score);
          }
          this.scheduler.consumed(ready.hash);
          this.pathDirty = true;
        }
        this.logger.warn(
          { peer: ready.source, hash: ready.hash, height: ready.height, code: error.code },
          "synced block rejected",
        );
        this.wake();
      }
      this.maybeReportProgress();
    }
  }

  // ---- state and progress -----------------------------------------------------------------------

  private updateState(): void {
    const tip = this.chain.tip;
    const best = this.chain.bestHeader;
    const behind =
      best.chainWork > tip.chainWork || this.peers.bestAbove(tip.chainWork) !== undefined;
    let state: SyncState;
    if (!behind) state = this.peers.size === 0 && this.state === "idle" ? "idle" : "synced";
    else if (this.scheduler.remaining === 0 && this.headerTask !== null) state = "headers";
    else state = "blocks";
    const was = this.state;
    this.state = state;
    if (state === "synced" && was !== "synced") {
      this.logger.info({ height: tip.height, hash: tip.hash }, "synced");
      this.emitProgress(true);
      this.events.emit("synced", { height: tip.height, hash: tip.hash });
    } else if (state !== "synced" && was === "synced") {
      this.logger.info({ height: tip.height, peers: this.peers.size }, "behind peers; syncing");
    }
    this.maybeReportProgress();
  }

  private maybeReportProgress(): void {
    if (this.state === "synced" || this.state === "idle") return;
    if (!this.progress.due(this.now())) return;
    this.emitProgress(false);
  }

  private emitProgress(final: boolean): void {
    const status = this.status();
    const rate = this.progress.sample(this.now(), this.chain.height);
    const detail = {
      ...status,
      blocksPerSecond: rate,
      inFlight: this.scheduler.openRequests().length,
    };
    this.metrics?.sync.progress.set(status.progress);
    this.metrics?.sync.targetHeight.set(Math.max(status.headerHeight, this.peers.maxHeight()));
    if (!final) {
      this.logger.info(
        {
          progress: `${(status.progress * 100).toFixed(1)}%`,
          height: status.blockHeight,
          headers: status.headerHeight,
          blocksPerSecond: Math.round(rate * 10) / 10,
          peers: status.peers,
          inFlight: detail.inFlight,
        },
        "sync progress",
      );
    }
    this.events.emit("progress", detail);
  }

  /** While synced, ask the best peer for its status now and then: a quiet way to learn of more work. */
  private maybeRefreshStatus(): void {
    const interval = this.options.statusRefreshIntervalMs;
    if (interval === 0 || this.state !== "synced") return;
    const now = this.now();
    if (now - this.lastStatusRefresh < interval) return;
    this.lastStatusRefresh = now;
    const peers = this.peers.all();
    const peer = peers[Math.floor(Math.random() * peers.length)];
    if (peer === undefined) return;
    this.network
      .requestStatus(peer.peer, { signal: this.root.signal })
      .catch((err) => this.logger.debug({ peer: peer.peer, err }, "status refresh failed"));
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/** Failures the network already charged the peer for, or that are nobody's fault. */
function isPeerFault(error: unknown): boolean {
  if (error instanceof RequestTimeoutError || error instanceof RemoteError) return true;
  const name = error instanceof Error ? error.name : "";
  return (
    name === "ProtocolViolationError" ||
    name === "RequestAbortedError" ||
    name === "PeerBannedError" ||
    name.endsWith("StreamResetError") ||
    name === "UnsupportedProtocolError" ||
    name === "AbortError" ||
    name === "NetworkNotStartedError" ||
    name === "DialError" ||
    name === "ConnectionClosedError" ||
    name === "StreamStateError" ||
    name === "MuxerClosedError" ||
    name === "NoValidAddressesError"
  );
}

function isDecodeError(error: unknown): boolean {
  return error instanceof Error && error.name === "DecodeError";
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
