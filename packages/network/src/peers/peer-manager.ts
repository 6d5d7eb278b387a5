import type { Libp2p } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import type { AddressBook } from "../discovery/address-book.ts";
import type { Direction, NetworkEvents } from "../events.ts";
import type { NetworkLogger, NetworkMetrics } from "../metrics.ts";
import type { NetworkOptions } from "../options.ts";
import type { PeerStatus } from "../types.ts";
import type { BanEntry, BanList } from "./ban-list.ts";
import { DecayingPoints, PENALTY_POINTS, type PenaltyReason } from "./penalties.ts";

/** Peers whose misbehaviour is remembered after they leave (bounded; least recent go first). */
const MAX_REMEMBERED_PEERS = 4096;
/** A newly connected peer is not pruned for this long: it needs time to show its worth. */
const PRUNE_GRACE_MS = 30_000;
/** A gossip-graylisted peer is banned this long. */
const GRAYLIST_BAN_MS = 3600_000;

export interface PeerInfo {
  peer: string;
  direction: Direction;
  /** Remote addresses of the open connections. */
  addresses: string[];
  /** Last status received; null until the handshake completes. */
  status: PeerStatus | null;
  /** Combined score: gossipsub's score minus misbehaviour points. Higher is better. */
  score: number;
  gossipScore: number;
  misbehaviour: number;
  /** Unix ms. */
  connectedAt: number;
}

interface ConnectedPeer {
  direction: Direction;
  connectedAt: number;
  status: PeerStatus | null;
}

export interface PeerManagerDeps {
  libp2p: Pick<Libp2p, "getConnections" | "hangUp" | "getPeers">;
  banList: BanList;
  addressBook: AddressBook;
  options: NetworkOptions;
  /** Gossipsub's score of the peer (0 when unknown to gossipsub). */
  gossipScore(peer: string): number;
  graylistThreshold: number;
  emit<K extends keyof NetworkEvents & string>(type: K, detail: NetworkEvents[K]): void;
  metrics: NetworkMetrics;
  logger: NetworkLogger;
  now(): number;
}

/**
 * Keeps the books on peers: who is connected and how, their status, their misbehaviour points and
 * bans; prunes the worst peers above the target count. Misbehaviour points come from req/resp and
 * gossip verdicts, decay with a half-life, and ban a peer at the threshold; gossipsub's own score
 * joins them in the combined score that pruning ranks by.
 */
export class PeerManager {
  private readonly deps: PeerManagerDeps;
  private readonly connected = new Map<string, ConnectedPeer>();
  private readonly misbehaviour = new Map<string, DecayingPoints>();

  constructor(deps: PeerManagerDeps) {
    this.deps = deps;
  }

  onConnect(peer: string, direction: Direction): void {
    if (this.connected.has(peer)) return;
    this.connected.set(peer, { direction, connectedAt: this.deps.now(), status: null });
    this.updatePeerGauge();
  }

  onDisconnect(peer: string): void {
    const state = this.connected.get(peer);
    if (state === undefined) return;
    this.connected.delete(peer);
    this.updatePeerGauge();
    this.deps.emit("peer:disconnect", { peer, status: state.status });
  }

  /** Records a status that passed the handshake checks and announces it. */
  setStatus(peer: string, status: PeerStatus, addresses: readonly string[]): void {
    const state = this.connected.get(peer);
    if (state === undefined) return;
    state.status = status;
    this.deps.addressBook.record(peer, addresses);
    this.deps.emit("peer:status", { peer, status, direction: state.direction });
  }

  status(peer: string): PeerStatus | null {
    return this.connected.get(peer)?.status ?? null;
  }

  isConnected(peer: string): boolean {
    return this.connected.has(peer);
  }

  /** Adds misbehaviour points (default: the reason's table value); bans at the threshold. */
  penalize(peer: string, reason: PenaltyReason, points: number = PENALTY_POINTS[reason]): void {
    if (points <= 0) return;
    const now = this.deps.now();
    let record = this.misbehaviour.get(peer);
    if (record === undefined) {
      record = new DecayingPoints(now, this.deps.options.misbehaviourHalfLifeMs);
      this.forgetOverflow();
    } else {
      this.misbehaviour.delete(peer);
    }
    this.misbehaviour.set(peer, record);
    const total = record.add(points, now);
    this.deps.metrics.peerPenalties?.inc({ reason });
    this.deps.emit("peer:penalty", { peer, reason, points, total });
    this.deps.logger.debug({ peer, reason, points, total }, "peer penalised");
    // Rounded, so that the milliseconds of decay between the parts of a burst do not save it.
    if (Math.round(total) >= this.deps.options.banThreshold && !this.deps.banList.isBanned(peer)) {
      record.reset(now);
      void this.ban(peer, `misbehaviour: ${reason}`, this.deps.options.banDurationMs).catch((err) =>
        this.deps.logger.error({ err, peer }, "could not persist ban"),
      );
    }
  }

  misbehaviourOf(peer: string): number {
    return this.misbehaviour.get(peer)?.value(this.deps.now()) ?? 0;
  }

  score(peer: string): number {
    return this.deps.gossipScore(peer) - this.misbehaviourOf(peer);
  }

  async ban(peer: string, reason: string, durationMs: number): Promise<BanEntry> {
    const entry = await this.deps.banList.ban(peer, reason, durationMs);
    this.deps.addressBook.remove(peer);
    this.deps.metrics.peerBans?.inc({ reason: reason.split(":")[0] ?? reason });
    this.deps.logger.info({ peer, reason, expiresAt: entry.expiresAt }, "peer banned");
    this.deps.emit("peer:ban", entry);
    await this.hangUp(peer);
    return entry;
  }

  async hangUp(peer: string): Promise<void> {
    try {
      await this.deps.libp2p.hangUp(peerIdFromString(peer), {
        signal: AbortSignal.timeout(this.deps.options.statusTimeoutMs),
      });
    } catch (err) {
      this.deps.logger.debug({ err, peer }, "hang up failed");
    }
  }

  list(): PeerInfo[] {
    const out: PeerInfo[] = [];
    for (const [peer, state] of this.connected) {
      const addresses = this.deps.libp2p
        .getConnections(peerIdFromString(peer))
        .map((c) => c.remoteAddr.toString());
      const gossipScore = this.deps.gossipScore(peer);
      const misbehaviour = this.misbehaviourOf(peer);
      out.push({
        peer,
        direction: state.direction,
        addresses,
        status: state.status,
        score: gossipScore - misbehaviour,
        gossipScore,
        misbehaviour,
        connectedAt: state.connectedAt,
      });
    }
    return out;
  }

  get connectedCount(): number {
    return this.connected.size;
  }

  /**
   * One maintenance round: drop expired bans, disconnect graylisted gossip peers and peers that
   * never completed the handshake, and prune down to the target count, worst score first.
   */
  async heartbeat(): Promise<void> {
    const { options } = this.deps;
    const now = this.deps.now();
    await this.deps.banList.pruneExpired();
    const drop: Array<{ peer: string; why: string }> = [];
    for (const [peer, state] of this.connected) {
      if (this.deps.gossipScore(peer) < this.deps.graylistThreshold) {
        void this.ban(peer, "gossip score below graylist threshold", GRAYLIST_BAN_MS).catch(
          () => {},
        );
        continue;
      }
      if (state.status === null && now - state.connectedAt > 2 * options.statusTimeoutMs) {
        drop.push({ peer, why: "no status handshake" });
      }
    }
    for (const victim of this.pruneCandidates(
      now,
      drop.map((d) => d.peer),
    )) {
      drop.push({ peer: victim, why: "pruned: worst score above target" });
    }
    await Promise.all(
      drop.map(({ peer, why }) => {
        this.deps.logger.debug({ peer, why }, "disconnecting peer");
        return this.hangUp(peer);
      }),
    );
    for (const [peer, record] of this.misbehaviour) {
      if (!this.connected.has(peer) && record.value(now) < 0.5) this.misbehaviour.delete(peer);
    }
    await this.deps.addressBook
      .persist()
      .catch((err) => this.deps.logger.warn({ err }, "could not save the address book"));
  }

  /** Peers to cut: the excess above target, and inbound peers above their cap, worst first. */
  private pruneCandidates(now: number, alreadyDropped: readonly string[]): string[] {
    const { options } = this.deps;
    const gone = new Set(alreadyDropped);
    const eligible = [...this.connected.entries()]
      .filter(([peer, s]) => !gone.has(peer) && now - s.connectedAt > PRUNE_GRACE_MS)
      .map(([peer, s]) => ({ peer, direction: s.direction, score: this.score(peer) }))
      .sort((a, b) => a.score - b.score);
    const remaining = this.connected.size - gone.size;
    // Prune only well above target, so that new nodes can still get in.
    const pruneAbove = Math.max(options.targetPeers + 2, Math.ceil(options.targetPeers * 1.2));
    let excess = remaining > pruneAbove ? remaining - options.targetPeers : 0;
    let inbound = [...this.connected.values()].filter((s) => s.direction === "inbound").length;
    let outbound = remaining - inbound;
    const victims: string[] = [];
    for (const candidate of eligible) {
      const inboundOver = candidate.direction === "inbound" && inbound > options.maxInboundPeers;
      if (excess <= 0 && !inboundOver) continue;
      if (candidate.direction === "outbound" && outbound <= options.targetOutboundPeers) continue;
      victims.push(candidate.peer);
      excess--;
      if (candidate.direction === "inbound") inbound--;
      else outbound--;
    }
    return victims;
  }

  private forgetOverflow(): void {
    while (this.misbehaviour.size >= MAX_REMEMBERED_PEERS) {
      const oldest = this.misbehaviour.keys().next();
      if (oldest.done === true) return;
      this.misbehaviour.delete(oldest.value);
    }
  }

  private updatePeerGauge(): void {
    const gauge = this.deps.metrics.peers;
    if (gauge === undefined) return;
    let inbound = 0;
    for (const s of this.connected.values()) if (s.direction === "inbound") inbound++;
    gauge.set({ direction: "inbound" }, inbound);
    gauge.set({ direction: "outbound" }, this.connected.size - inbound);
  }
}
