import type {
  BlockInfo,
  GossipDuplicates,
  NodeSnapshot,
  ObservedNode,
  PeerSnapshot,
  ReorgEvent,
  SightRecord,
} from "./types.ts";

/** Records re-read behind the newest one seen, so late validation outcomes are picked up. */
const REFETCH_OVERLAP_MS = 5000;
const PAGE_SIZE = 1000;
const MAX_PAGE_SIZE = 100_000;
/** Headers walked back per poll when a node's tip moves (a longer catch-up continues next poll). */
const MAX_WALK_PER_POLL = 500;
/** Polls a block's header is looked up on a node before giving up (it may never be accepted). */
const HEADER_ATTEMPTS = 5;
const MAX_HEADER_LOOKUPS_PER_POLL = 200;
/** JSON-RPC "method not found". */
const METHOD_NOT_FOUND = -32601;

interface HeaderJson {
  hash: string;
  height: number;
  nTx?: number;
  previousblockhash?: string;
}

/** What the poller shares with the whole observatory: block facts and the peer-id → name map. */
export interface PollContext {
  readonly blocks: Map<string, BlockInfo>;
  readonly reorgs: ReorgEvent[];
  nameOfPeer(peerId: string): string | null;
  readonly now: () => number;
  readonly sinceMs: number;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isRecord(value: unknown): value is SightRecord {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    typeof r.hash === "string" &&
    (r.kind === "block" || r.kind === "tx") &&
    typeof r.firstSeenMs === "number"
  );
}

/** One observed node's state across polls: status, peers, incremental first-sight records, chain. */
export class NodePoller {
  readonly node: ObservedNode;
  private peerId: string | null = null;
  private reachable = false;
  private everReachable = false;
  private lastError: string | null = null;
  private lastPollMs: number | null = null;
  private height: number | null = null;
  private bestHash: string | null = null;
  private listenAddresses: string[] = [];
  private peers: PeerSnapshot[] = [];
  private mempool: { size: number; bytes: number } | null = null;
  private duplicates: GossipDuplicates | null = null;
  private duplicatesSupported = true;
  private readonly records = new Map<string, SightRecord>();
  private newestSeenMs: number | null = null;
  private readonly chain = new Map<number, string>();
  /** Blocks recorded whose facts are not known yet → header lookups left before giving up. */
  private readonly pendingBlocks = new Map<string, number>();
  /** records, oldest first; null when a change invalidated it. */
  private sortedRecords: SightRecord[] | null = null;
  /** The lowest height whose chain entry is kept; walks stop below it. */
  private chainFloor: number | null = null;

  constructor(node: ObservedNode) {
    this.node = node;
  }

  get name(): string {
    return this.node.name;
  }

  get knownPeerId(): string | null {
    return this.peerId;
  }

  /** One poll; failures mark the node unreachable and never throw (except the caller's abort). */
  async poll(ctx: PollContext, signal: AbortSignal): Promise<void> {
    try {
      await this.pollOrThrow(ctx, signal);
      this.reachable = true;
      this.everReachable = true;
      this.lastError = null;
    } catch (err) {
      this.reachable = false;
      this.lastError = errorMessage(err);
    }
    this.lastPollMs = ctx.now();
  }

  private call(method: string, params: readonly unknown[], signal: AbortSignal): Promise<unknown> {
    return this.node.call(method, params, signal);
  }

  private async pollOrThrow(ctx: PollContext, signal: AbortSignal): Promise<void> {
    const network = (await this.call("getnetworkinfo", [], signal)) as {
      peerid?: string;
      listenaddresses?: string[];
    };
    this.peerId = network.peerid ?? this.peerId;
    this.listenAddresses = network.listenaddresses ?? [];
    const [chainInfo, peerInfo, mempool] = await Promise.all([
      this.call("getblockchaininfo", [], signal) as Promise<{
        blocks: number;
        bestblockhash: string;
      }>,
      this.call("getpeerinfo", [], signal) as Promise<
        { peerid: string; inbound: boolean; score?: number; gossipscore?: number }[]
      >,
      this.call("getmempoolinfo", [], signal) as Promise<{ size: number; bytes: number }>,
    ]);
    this.peers = peerInfo.map((p) => ({
      peerId: p.peerid,
      direction: p.inbound ? "inbound" : "outbound",
      node: ctx.nameOfPeer(p.peerid),
      score: typeof p.score === "number" ? p.score : null,
      gossipScore: typeof p.gossipscore === "number" ? p.gossipscore : null,
    }));
    this.mempool = { size: mempool.size, bytes: mempool.bytes };
    await this.pollDuplicates(signal);
    await this.fetchRecords(ctx, signal);
    await this.followChain(ctx, chainInfo.blocks, chainInfo.bestblockhash, signal);
    await this.fetchBlockInfo(ctx, signal);
  }

  private async pollDuplicates(signal: AbortSignal): Promise<void> {
    if (!this.duplicatesSupported) return;
    try {
      const stats = (await this.call("getpropagationstats", [], signal)) as {
        duplicates?: { block?: number; tx?: number } | null;
      };
      const d = stats.duplicates;
      this.duplicates =
        d === null || d === undefined ? null : { block: d.block ?? 0, tx: d.tx ?? 0 };
    } catch (err) {
      if ((err as { code?: unknown }).code === METHOD_NOT_FOUND) this.duplicatesSupported = false;
      else throw err;
    }
  }

  /**
   * Reads the records first seen since the last poll (minus an overlap). `getpropagation` returns
   * the newest first and at most `count`, so a full page is followed by the next older one.
   */
  private async fetchRecords(ctx: PollContext, signal: AbortSignal): Promise<void> {
    const since =
      this.newestSeenMs === null
        ? ctx.sinceMs
        : Math.max(ctx.sinceMs, this.newestSeenMs - REFETCH_OVERLAP_MS);
    let until: number | null = null;
    let count = PAGE_SIZE;
    for (;;) {
      const page = (await this.call(
        "getpropagation",
        [null, since, until, null, count],
        signal,
      )) as unknown[];
      let oldest = Number.POSITIVE_INFINITY;
      for (const value of page) {
        if (!isRecord(value)) continue;
        const key = `${value.kind}:${value.hash}`;
        const known = this.records.get(key);
        if (known === undefined && value.kind === "block") {
          this.pendingBlocks.set(value.hash, HEADER_ATTEMPTS);
        }
        if (
          known === undefined ||
          known.validationMs !== value.validationMs ||
          known.verdict !== value.verdict
        ) {
          this.records.set(key, value);
          this.sortedRecords = null;
        }
        oldest = Math.min(oldest, value.firstSeenMs);
        if (this.newestSeenMs === null || value.firstSeenMs > this.newestSeenMs) {
          this.newestSeenMs = value.firstSeenMs;
        }
      }
      if (page.length < count) return;
      // A full page: go on with the older records (inclusive bound; duplicates merge by key).
      if (until !== null && oldest >= until) {
        // Every record of the page shares one millisecond: widen the page instead.
        if (count >= MAX_PAGE_SIZE) return;
        count = Math.min(MAX_PAGE_SIZE, count * 4);
      }
      until = oldest;
    }
  }

  private async header(hash: string, signal: AbortSignal): Promise<HeaderJson> {
    return (await this.call("getblockheader", [hash, true], signal)) as HeaderJson;
  }

  private rememberBlock(ctx: PollContext, header: HeaderJson): void {
    const known = ctx.blocks.get(header.hash);
    ctx.blocks.set(header.hash, {
      hash: header.hash,
      height: header.height,
      bytes: known?.bytes ?? this.records.get(`block:${header.hash}`)?.bytes ?? null,
      txCount: header.nTx ?? null,
      prevHash: header.previousblockhash ?? null,
    });
  }

  /**
   * Keeps this node's best chain (height → hash) from its tip down to where the observation
   * started, walking parents when the tip moves; notes a reorg when the old tip leaves the chain.
   */
  private async followChain(
    ctx: PollContext,
    tipHeight: number,
    tipHash: string,
    signal: AbortSignal,
  ): Promise<void> {
    const oldTip = this.bestHash;
    const oldHeight = this.height;
    this.height = tipHeight;
    this.bestHash = tipHash;
    if (oldTip === tipHash) return;
    if (this.chainFloor === null) this.chainFloor = tipHeight;
    let hash: string | undefined = tipHash;
    let height = tipHeight;
    let forkHeight = height;
    for (let steps = 0; hash !== undefined && steps < MAX_WALK_PER_POLL; steps++) {
      if (height < this.chainFloor || this.chain.get(height) === hash) break;
      const header = await this.header(hash, signal);
      this.rememberBlock(ctx, header);
      this.chain.set(height, hash);
      forkHeight = height - 1;
      hash = header.previousblockhash;
      height--;
    }
    for (const h of [...this.chain.keys()]) if (h > tipHeight) this.chain.delete(h);
    if (oldTip !== null && oldHeight !== null && this.chain.get(oldHeight) !== oldTip) {
      ctx.reorgs.push({
        node: this.name,
        atMs: ctx.now(),
        oldTip,
        oldHeight,
        newTip: tipHash,
        newHeight: tipHeight,
        depth: Math.max(1, oldHeight - forkHeight),
      });
    }
  }

  /** Height and transaction count of blocks this node recorded but that no chain walk covered. */
  private async fetchBlockInfo(ctx: PollContext, signal: AbortSignal): Promise<void> {
    let lookups = 0;
    for (const [hash, attemptsLeft] of [...this.pendingBlocks]) {
      // A long backlog (the first poll of a busy node) is spread over several polls.
      if (lookups >= MAX_HEADER_LOOKUPS_PER_POLL) return;
      const bytes = this.records.get(`block:${hash}`)?.bytes ?? null;
      const known = ctx.blocks.get(hash);
      if (known === undefined) {
        lookups++;
        try {
          this.rememberBlock(ctx, await this.header(hash, signal));
        } catch (err) {
          if (signal.aborted) throw err;
          // Not in the block index yet (the record comes before validation), or rejected.
          if (attemptsLeft > 1) {
            this.pendingBlocks.set(hash, attemptsLeft - 1);
            continue;
          }
        }
      } else if (known.bytes === null && bytes !== null) {
        ctx.blocks.set(hash, { ...known, bytes });
      }
      this.pendingBlocks.delete(hash);
    }
  }

  private recordsOldestFirst(): SightRecord[] {
    this.sortedRecords ??= [...this.records.values()].sort((a, b) => a.firstSeenMs - b.firstSeenMs);
    return this.sortedRecords;
  }

  snapshot(nameOfPeer: (peerId: string) => string | null): NodeSnapshot {
    const chain: Record<string, string> = {};
    for (const [h, hash] of [...this.chain.entries()].sort((a, b) => a[0] - b[0])) {
      chain[String(h)] = hash;
    }
    return {
      name: this.name,
      peerId: this.peerId,
      reachable: this.reachable,
      everReachable: this.everReachable,
      lastError: this.lastError,
      lastPollMs: this.lastPollMs,
      height: this.height,
      bestHash: this.bestHash,
      listenAddresses: [...this.listenAddresses],
      // Names resolve late: a peer may have been polled before its own node answered.
      peers: this.peers.map((p) => ({ ...p, node: p.node ?? nameOfPeer(p.peerId) })),
      mempool: this.mempool === null ? null : { ...this.mempool },
      duplicates: this.duplicates === null ? null : { ...this.duplicates },
      chain,
      records: this.recordsOldestFirst(),
    };
  }
}
