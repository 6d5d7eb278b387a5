import { randomBytes } from "node:crypto";
import type { Libp2p, PeerId } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import { multiaddr } from "@multiformats/multiaddr";
import type { NetworkLogger } from "../metrics.ts";
import type { BanList } from "../peers/ban-list.ts";
import type { AddressBook } from "./address-book.ts";

/** A peer whose dial failed is not tried again for this long (doubling per failure, capped). */
const DIAL_BACKOFF_MS = 5_000;
const MAX_DIAL_BACKOFF_MS = 10 * 60_000;
const MAX_BACKOFF_ENTRIES = 4096;
/** Candidates looked at per round in the peer store. */
const MAX_CANDIDATES = 64;

export interface DiscoveryDeps {
  libp2p: Pick<
    Libp2p,
    "dial" | "getPeers" | "getConnections" | "peerStore" | "peerRouting" | "peerId"
  >;
  addressBook: AddressBook;
  banList: BanList;
  targetPeers: number;
  /** Outbound peers wanted at least: dialling is the only way to get them. */
  targetOutboundPeers: number;
  dialTimeoutMs: number;
  /** How long one random walk (DHT closest-peers query for a random key) may run. */
  walkTimeoutMs: number;
  logger: NetworkLogger;
  now(): number;
}

/**
 * Keeps the peer count near the target: first the peers already known (address book, peer store
 * filled by identify and the DHT), then random walks, a DHT query for the peers closest to a random
 * key, which is what libp2p's internal random-walk component does, done here through the public
 * peer routing so that each round is bounded and abortable.
 */
export class Discovery {
  private readonly deps: DiscoveryDeps;
  private readonly backoff = new Map<string, { until: number; failures: number }>();
  private running: Promise<void> | null = null;
  private controller = new AbortController();

  constructor(deps: DiscoveryDeps) {
    this.deps = deps;
  }

  /** Puts the address book into the peer store, so that a restart reconnects without bootstrap. */
  async seedFromAddressBook(): Promise<number> {
    let seeded = 0;
    for (const entry of this.deps.addressBook.list()) {
      if (this.deps.banList.isBanned(entry.peer)) continue;
      try {
        const id = peerIdFromString(entry.peer);
        if (id.equals(this.deps.libp2p.peerId)) continue;
        await this.deps.libp2p.peerStore.merge(id, {
          multiaddrs: entry.addrs.map((a) => multiaddr(a)),
        });
        seeded++;
      } catch (err) {
        this.deps.logger.debug({ err, peer: entry.peer }, "bad address book entry");
      }
    }
    return seeded;
  }

  /** Runs one fill round unless one is already running. */
  fill(): Promise<void> {
    if (this.running === null) {
      this.running = this.round().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  async stop(): Promise<void> {
    this.controller.abort(new Error("discovery stopped"));
    await this.running?.catch(() => {});
    this.controller = new AbortController();
  }

  private deficit(): number {
    const peers = this.deps.libp2p.getPeers().length;
    const outbound = new Set(
      this.deps.libp2p
        .getConnections()
        .filter((c) => c.direction === "outbound")
        .map((c) => c.remotePeer.toString()),
    ).size;
    return Math.max(this.deps.targetPeers - peers, this.deps.targetOutboundPeers - outbound);
  }

  private async round(): Promise<void> {
    if (this.deficit() <= 0) return;
    const known = await this.knownCandidates();
    await this.dialAll(known.slice(0, this.deficit()));
    if (this.deficit() <= 0 || this.controller.signal.aborted) return;
    await this.randomWalk();
  }

  private async knownCandidates(): Promise<PeerId[]> {
    const connected = new Set(this.deps.libp2p.getPeers().map((p) => p.toString()));
    const self = this.deps.libp2p.peerId.toString();
    const now = this.deps.now();
    const usable = (id: string): boolean =>
      id !== self &&
      !connected.has(id) &&
      !this.deps.banList.isBanned(id) &&
      (this.backoff.get(id)?.until ?? 0) <= now;
    const out = new Map<string, PeerId>();
    // Peers with a good past handshake first, then anything the peer store has addresses for.
    for (const entry of this.deps.addressBook.list()) {
      if (out.size >= MAX_CANDIDATES) break;
      if (usable(entry.peer)) out.set(entry.peer, peerIdFromString(entry.peer));
    }
    const stored = await this.deps.libp2p.peerStore.all({
      filters: [(p) => p.addresses.length > 0 && usable(p.id.toString())],
      limit: MAX_CANDIDATES,
    });
    for (const p of stored) {
      if (out.size >= MAX_CANDIDATES) break;
      out.set(p.id.toString(), p.id);
    }
    return [...out.values()];
  }

  private async dialAll(peers: PeerId[]): Promise<void> {
    await Promise.all(peers.map((p) => this.dial(p)));
  }

  private async dial(peer: PeerId): Promise<void> {
    const id = peer.toString();
    const signal = AbortSignal.any([
      this.controller.signal,
      AbortSignal.timeout(this.deps.dialTimeoutMs),
    ]);
    try {
      await this.deps.libp2p.dial(peer, { signal });
      this.backoff.delete(id);
    } catch (err) {
      const failures = (this.backoff.get(id)?.failures ?? 0) + 1;
      const wait = Math.min(MAX_DIAL_BACKOFF_MS, DIAL_BACKOFF_MS * 2 ** (failures - 1));
      this.backoff.delete(id);
      if (this.backoff.size >= MAX_BACKOFF_ENTRIES) {
        const oldest = this.backoff.keys().next();
        if (oldest.done !== true) this.backoff.delete(oldest.value);
      }
      this.backoff.set(id, { until: this.deps.now() + wait, failures });
      this.deps.logger.debug({ err, peer: id }, "dial failed");
    }
  }

  private async randomWalk(): Promise<void> {
    const signal = AbortSignal.any([
      this.controller.signal,
      AbortSignal.timeout(this.deps.walkTimeoutMs),
    ]);
    const dials: Promise<void>[] = [];
    try {
      for await (const info of this.deps.libp2p.peerRouting.getClosestPeers(randomBytes(32), {
        signal,
      })) {
        if (this.deficit() - dials.length <= 0) break;
        const id = info.id.toString();
        if (id === this.deps.libp2p.peerId.toString()) continue;
        if (this.deps.banList.isBanned(id)) continue;
        if (this.deps.libp2p.getPeers().some((p) => p.equals(info.id))) continue;
        dials.push(this.dial(info.id));
      }
    } catch (err) {
      // No DHT peers yet, the walk timed out, or we are stopping: the next round tries again.
      this.deps.logger.debug({ err }, "random walk ended");
    }
    await Promise.all(dials);
  }
}
