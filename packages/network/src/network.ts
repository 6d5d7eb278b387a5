import { setTimeout as delay } from "node:timers/promises";
import type { GossipSub, GossipsubMessage } from "@libp2p/gossipsub";
import { TopicValidatorResult } from "@libp2p/gossipsub";
import type { PeerId, PrivateKey } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import { multiaddr } from "@multiformats/multiaddr";
import { hashToHex, hexToHash } from "@starling/chain";
import { type GossipKind, MAX_HEADERS_PER_REQUEST, MAX_MEMPOOL_TXIDS } from "./constants.ts";
import type { AddressBook } from "./discovery/address-book.ts";
import { Discovery } from "./discovery/discovery.ts";
import { MessageTooLargeError, NetworkNotStartedError } from "./errors.ts";
import type { Direction, NetworkEvents } from "./events.ts";
import { GossipValidation } from "./gossip/gossip-validation.ts";
import { contentHash } from "./gossip/message-id.ts";
import { SCORE_THRESHOLDS } from "./gossip/scoring.ts";
import { GossipTopics } from "./gossip/topics.ts";
import { createHost, type Host } from "./host/create-host.ts";
import type { NetworkLogger, NetworkMetrics } from "./metrics.ts";
import { SILENT_LOGGER } from "./metrics.ts";
import type { NetworkOptions } from "./options.ts";
import type { BanEntry, BanList } from "./peers/ban-list.ts";
import { type PeerInfo, PeerManager } from "./peers/peer-manager.ts";
import type { PenaltyReason } from "./peers/penalties.ts";
import { StatusHandshake } from "./peers/status-handshake.ts";
import { ReqRespClient } from "./reqresp/client.ts";
import { createInboundHandlers } from "./reqresp/inbound-handlers.ts";
import { protocolLimits } from "./reqresp/limits.ts";
import { RateLimiter } from "./reqresp/rate-limiter.ts";
import { ReqResp, type RequestOptions } from "./reqresp/req-resp.ts";
import type {
  ChainStatusProvider,
  GossipValidators,
  PeerStatus,
  ReqRespHandlers,
} from "./types.ts";
import { TypedEventTarget } from "./util/typed-event-target.ts";

/** What the network needs from the node, injected (js-libp2p's Components). */
export interface NetworkComponents {
  /** The local tip, sent in every status handshake. */
  chainStatus: ChainStatusProvider;
  validators: GossipValidators;
  handlers: ReqRespHandlers;
  metrics?: NetworkMetrics;
  logger?: NetworkLogger;
  /** The clock of bans and scores (tests move it); default Date.now. */
  now?: () => number;
}

export interface PublishResult {
  /** Display hex of the block hash or txid. */
  msgId: string;
  /** Peers the message was sent to. */
  recipients: number;
  /** True when the message had been seen already: nothing was sent. */
  duplicate: boolean;
}

/** The parts of gossipsub's class the public GossipSub interface leaves out. */
interface GossipsubInternals {
  reportMessageValidationResult(
    msgId: string,
    propagationSource: string,
    acceptance: TopicValidatorResult,
  ): void;
  getScore(peerId: string): number;
  getMeshPeers(topic: string): string[];
}

const VERDICT_TO_RESULT = {
  accept: TopicValidatorResult.Accept,
  reject: TopicValidatorResult.Reject,
  ignore: TopicValidatorResult.Ignore,
} as const;

/** Built by createNetwork (index.ts), which loads the key and the state files first. */
export interface NetworkParts {
  options: NetworkOptions;
  components: NetworkComponents;
  privateKey: PrivateKey;
  banList: BanList;
  addressBook: AddressBook;
}

/**
 * Starling's network: a libp2p host with the status handshake, the block and tx gossip topics, the
 * request/response protocols, discovery and peer management. Knows bytes and peers; what the bytes
 * mean is decided by the injected validators and handlers.
 */
export class Network extends TypedEventTarget<NetworkEvents> {
  readonly options: NetworkOptions;
  readonly topics: GossipTopics;
  private readonly components: NetworkComponents;
  private readonly logger: NetworkLogger;
  private readonly metrics: NetworkMetrics;
  private readonly now: () => number;
  private readonly host: Host;
  private readonly pubsub: GossipSub & GossipsubInternals;
  private readonly banList: BanList;
  private readonly addressBook: AddressBook;
  private readonly peerManager: PeerManager;
  private readonly reqResp: ReqResp;
  private readonly client: ReqRespClient;
  private readonly handshake: StatusHandshake;
  private readonly discovery: Discovery;
  private readonly gossip: GossipValidation;
  private readonly genesisHashBytes: Uint8Array;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private heartbeatRunning = false;
  private started = false;

  private constructor(parts: NetworkParts, host: Host, topics: GossipTopics) {
    super();
    const { options, components } = parts;
    this.options = options;
    this.components = components;
    this.logger = components.logger ?? SILENT_LOGGER;
    this.metrics = components.metrics ?? {};
    this.now = components.now ?? Date.now;
    this.banList = parts.banList;
    this.addressBook = parts.addressBook;
    this.host = host;
    // The host's own instance: gossipsub counts duplicates into it.
    this.topics = topics;
    this.genesisHashBytes = hexToHash(options.genesisHash);
    this.pubsub = gossipsubInternals(host.services.pubsub);
    const emit = this.emit.bind(this);

    this.peerManager = new PeerManager({
      libp2p: host,
      banList: this.banList,
      addressBook: this.addressBook,
      options,
      gossipScore: (peer) => this.pubsub.getScore(peer),
      graylistThreshold: SCORE_THRESHOLDS.graylistThreshold,
      emit,
      metrics: this.metrics,
      logger: this.logger,
      now: this.now,
    });
    const penalize = (peer: string, reason: PenaltyReason, points?: number): void =>
      this.peerManager.penalize(peer, reason, points);

    let handshake: StatusHandshake | null = null;
    this.reqResp = new ReqResp({
      libp2p: host,
      network: options.network,
      limits: protocolLimits(options.maxBlockBytes, options.maxTxBytes),
      inbound: createInboundHandlers({
        handlers: components.handlers,
        onStatus: (peer, status) => handshake!.onStatusRequest(peer, status),
        maxBlockBytes: options.maxBlockBytes,
        maxTxBytes: options.maxTxBytes,
      }),
      rateLimiter: new RateLimiter(options.rateLimits, this.now),
      requestTimeoutMs: options.requestTimeoutMs,
      maxInboundStreams: options.maxInboundStreamsPerProtocol,
      penalize,
      disconnect: (peer) => void this.peerManager.hangUp(peer),
      metrics: this.metrics,
      logger: this.logger,
    });
    this.client = new ReqRespClient(this.reqResp, penalize);
    handshake = new StatusHandshake({
      client: this.client,
      peerManager: this.peerManager,
      localStatus: () => this.localStatus(),
      addressesOf: (peer) => this.addressesOf(peer),
      statusTimeoutMs: options.statusTimeoutMs,
      logger: this.logger,
    });
    this.handshake = handshake;
    this.discovery = new Discovery({
      libp2p: host,
      addressBook: this.addressBook,
      banList: this.banList,
      targetPeers: options.targetPeers,
      targetOutboundPeers: options.targetOutboundPeers,
      dialTimeoutMs: options.statusTimeoutMs * 2,
      walkTimeoutMs: options.requestTimeoutMs,
      logger: this.logger,
      now: this.now,
    });
    this.gossip = new GossipValidation({
      topics: this.topics,
      validators: components.validators,
      report: (msgId, from, verdict) =>
        this.pubsub.reportMessageValidationResult(msgId, from, VERDICT_TO_RESULT[verdict]),
      penalize,
      emit,
      maxBytes: { block: options.maxBlockBytes, tx: options.maxTxBytes },
      maxPending: options.maxPendingValidations,
      metrics: this.metrics,
      logger: this.logger,
      now: this.now,
    });
  }

  /** Builds the host (not started). Use createNetwork() from index.ts. */
  static async create(parts: NetworkParts): Promise<Network> {
    const topics = new GossipTopics(parts.options.network, parts.options.genesisHash);
    const host = await createHost({
      options: parts.options,
      privateKey: parts.privateKey,
      topics,
      isBanned: (peer) => parts.banList.isBanned(peer),
    });
    return new Network(parts, host, topics);
  }

  /** Gossip messages received again after their first copy, by kind (from gossipsub's hooks). */
  gossipDuplicates(): { block: number; tx: number } {
    return this.topics.duplicates.snapshot();
  }

  /** This node's peer id. */
  get peerId(): string {
    return this.host.peerId.toString();
  }

  /** The libp2p node underneath, for diagnostics and tests; not part of the stable API. */
  get libp2p(): Host {
    return this.host;
  }

  get isStarted(): boolean {
    return this.started;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.host.addEventListener("peer:connect", this.onPeerConnect);
    this.host.addEventListener("peer:disconnect", this.onPeerDisconnect);
    this.pubsub.addEventListener("gossipsub:message", this.onGossipMessage);
    this.addEventListener("peer:status", this.onPeerStatus);
    await this.reqResp.start();
    await this.host.start();
    for (const topic of this.topics.all()) this.pubsub.subscribe(topic);
    this.started = true;
    await this.discovery.seedFromAddressBook();
    void this.discovery.fill();
    this.heartbeatTimer = setInterval(
      () => void this.heartbeat(),
      this.options.heartbeatIntervalMs,
    );
    this.heartbeatTimer.unref();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    await this.discovery.stop();
    await this.refreshAddressBook();
    this.pubsub.removeEventListener("gossipsub:message", this.onGossipMessage);
    this.removeEventListener("peer:status", this.onPeerStatus);
    await this.reqResp.stop().catch(() => {});
    await this.host.stop();
    this.host.removeEventListener("peer:connect", this.onPeerConnect);
    this.host.removeEventListener("peer:disconnect", this.onPeerDisconnect);
    // A validator that never answers must not hold stop() hostage.
    await Promise.race([
      this.gossip.onIdle(),
      delay(this.options.requestTimeoutMs, undefined, { ref: false }),
    ]);
    await this.addressBook
      .persist()
      .catch((err) => this.logger.warn({ err }, "could not save the address book"));
    await Promise.all([this.addressBook.flush(), this.banList.flush()]);
  }

  // --- gossip -----------------------------------------------------------------------------------

  publishBlock(bytes: Uint8Array): Promise<PublishResult> {
    return this.publish("block", bytes);
  }

  publishTx(bytes: Uint8Array): Promise<PublishResult> {
    return this.publish("tx", bytes);
  }

  /** Peers subscribed to a topic (the mesh forms among them). */
  topicPeers(kind: GossipKind): string[] {
    return this.pubsub.getSubscribers(this.topics.topic(kind)).map((p) => p.toString());
  }

  /** Peers in this node's mesh for a topic. */
  meshPeers(kind: GossipKind): string[] {
    return this.pubsub.getMeshPeers(this.topics.topic(kind));
  }

  private async publish(kind: GossipKind, bytes: Uint8Array): Promise<PublishResult> {
    this.assertStarted();
    const limit = kind === "block" ? this.options.maxBlockBytes : this.options.maxTxBytes;
    if (bytes.length > limit) throw new MessageTooLargeError(kind, bytes.length, limit);
    const msgId = hashToHex(contentHash(kind, bytes));
    try {
      const result = await this.pubsub.publish(this.topics.topic(kind), bytes);
      this.metrics.gossipPublished?.inc({ kind });
      return { msgId, recipients: result.recipients.length, duplicate: false };
    } catch (err) {
      if ((err as Error).message === "PublishError.Duplicate") {
        return { msgId, recipients: 0, duplicate: true };
      }
      throw err;
    }
  }

  // --- requests ---------------------------------------------------------------------------------

  /** Asks a peer for its current status (the handshake's message), updating its record. */
  async requestStatus(peer: string, options?: RequestOptions): Promise<PeerStatus> {
    this.assertStarted();
    return this.handshake.refresh(peer, options);
  }

  /** Bitcoin's getheaders: up to `max` (2000) 80-byte headers after the locator, up to `stop`. */
  requestHeaders(
    peer: string,
    locator: readonly Uint8Array[],
    stop: Uint8Array,
    options: RequestOptions & { max?: number } = {},
  ): Promise<Uint8Array[]> {
    this.assertStarted();
    return this.client.headers(
      peer,
      locator,
      stop,
      options.max ?? MAX_HEADERS_PER_REQUEST,
      options,
    );
  }

  /** Up to 16 blocks by hash, yielded as each arrives (in the order asked; unknown ones left out). */
  requestBlocks(
    peer: string,
    hashes: readonly Uint8Array[],
    options?: RequestOptions,
  ): AsyncGenerator<Uint8Array, void, undefined> {
    this.assertStarted();
    return this.client.blocks(peer, hashes, options);
  }

  /** The peer's mempool txids (internal byte order). */
  requestMempool(
    peer: string,
    options: RequestOptions & { max?: number } = {},
  ): Promise<Uint8Array[]> {
    this.assertStarted();
    return this.client.mempoolTxids(peer, options.max ?? MAX_MEMPOOL_TXIDS, options);
  }

  /** Mempool transactions by txid (at most 256 per call). */
  requestTxs(
    peer: string,
    txids: readonly Uint8Array[],
    options?: RequestOptions,
  ): Promise<Uint8Array[]> {
    this.assertStarted();
    return this.client.txs(peer, txids, options);
  }

  // --- peers ------------------------------------------------------------------------------------

  /** Connected peers with status, direction, addresses and score. */
  peers(): PeerInfo[] {
    return this.peerManager.list();
  }

  /** Dials a multiaddr (with /p2p/<id>); resolves with the peer id once connected. */
  async dial(address: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    this.assertStarted();
    const signal = options.signal ?? AbortSignal.timeout(this.options.statusTimeoutMs * 2);
    const connection = await this.host.dial(multiaddr(address), { signal });
    return connection.remotePeer.toString();
  }

  async hangUp(peer: string): Promise<void> {
    await this.peerManager.hangUp(peer);
  }

  /** Addresses this node listens on, each with /p2p/<peer id>. */
  getMultiaddrs(): string[] {
    return this.host.getMultiaddrs().map((ma) => ma.toString());
  }

  /** Misbehaviour from outside (e.g. a synced block the chain rejected); bans at the threshold. */
  reportPeer(peer: string, reason: PenaltyReason, points?: number): void {
    this.peerManager.penalize(peer, reason, points);
  }

  ban(
    peer: string,
    reason: string,
    durationMs: number = this.options.banDurationMs,
  ): Promise<BanEntry> {
    peerIdFromString(peer);
    return this.peerManager.ban(peer, reason, durationMs);
  }

  unban(peer: string): Promise<boolean> {
    return this.banList.unban(peer);
  }

  listBans(): BanEntry[] {
    return this.banList.list();
  }

  clearBans(): Promise<number> {
    return this.banList.clear();
  }

  // --- internals --------------------------------------------------------------------------------

  private localStatus(): PeerStatus {
    const chain = this.components.chainStatus();
    return {
      network: this.options.network,
      genesisHash: this.genesisHashBytes,
      bestHeight: chain.bestHeight,
      bestHash: chain.bestHash,
      chainWork: chain.chainWork,
    };
  }

  private addressesOf(peer: string): string[] {
    return this.host
      .getConnections(peerIdFromString(peer))
      .filter((c) => c.direction === "outbound")
      .map((c) => stripPeerId(c.remoteAddr.toString()));
  }

  private directionOf(peer: PeerId): Direction {
    return this.host.getConnections(peer)[0]?.direction ?? "inbound";
  }

  private readonly onPeerConnect = (event: CustomEvent<PeerId>): void => {
    const peer = event.detail.toString();
    this.peerManager.onConnect(peer, this.directionOf(event.detail));
    void this.handshake.onConnect(peer);
  };

  private readonly onPeerDisconnect = (event: CustomEvent<PeerId>): void => {
    this.peerManager.onDisconnect(event.detail.toString());
  };

  private readonly onPeerStatus = (): void => {
    if (this.started && this.peerManager.connectedCount < this.options.targetPeers) {
      void this.discovery.fill();
    }
  };

  private readonly onGossipMessage = (event: CustomEvent<GossipsubMessage>): void => {
    const { propagationSource, msgId, msg } = event.detail;
    this.gossip.onMessage({
      topic: msg.topic,
      msgIdStr: msgId,
      from: propagationSource.toString(),
      data: msg.data,
    });
  };

  /**
   * Records the listen addresses (learnt by identify) of peers that passed the handshake, so that
   * inbound peers, whose remote address is an ephemeral port, can be redialled after a restart.
   */
  private async refreshAddressBook(): Promise<void> {
    for (const info of this.peerManager.list()) {
      if (info.status === null) continue;
      try {
        const stored = await this.host.peerStore.get(peerIdFromString(info.peer));
        const addrs = stored.addresses.map((a) => stripPeerId(a.multiaddr.toString()));
        this.addressBook.record(info.peer, [...this.addressesOf(info.peer), ...addrs]);
      } catch {
        // Not in the peer store (yet): the next heartbeat tries again.
      }
    }
  }

  private async heartbeat(): Promise<void> {
    if (this.heartbeatRunning || !this.started) return;
    this.heartbeatRunning = true;
    try {
      await this.refreshAddressBook();
      await this.peerManager.heartbeat();
      if (this.started) await this.discovery.fill();
    } catch (err) {
      this.logger.warn({ err }, "network heartbeat failed");
    } finally {
      this.heartbeatRunning = false;
    }
  }

  private assertStarted(): void {
    if (!this.started) throw new NetworkNotStartedError();
  }
}

function gossipsubInternals(pubsub: GossipSub): GossipSub & GossipsubInternals {
  const candidate = pubsub as GossipSub & Partial<GossipsubInternals>;
  if (
    typeof candidate.reportMessageValidationResult !== "function" ||
    typeof candidate.getScore !== "function" ||
    typeof candidate.getMeshPeers !== "function"
  ) {
    throw new TypeError("@libp2p/gossipsub no longer exposes the methods Network relies on");
  }
  return candidate as GossipSub & GossipsubInternals;
}

function stripPeerId(address: string): string {
  const at = address.indexOf("/p2p/");
  return at === -1 ? address : address.slice(0, at);
}
