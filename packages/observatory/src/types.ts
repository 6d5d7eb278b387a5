/**
 * The observatory's data: what it asks of each node (ObservedNode), the raw snapshot it keeps
 * (JSON-serialisable, written as raw.json) and the report computed from it (report.json).
 */

/** One node the observatory polls over JSON-RPC. */
export interface ObservedNode {
  /** "node0", "boot0", or the RPC URL's host:port. */
  readonly name: string;
  /** Calls a JSON-RPC method; throws on any error. */
  call(method: string, params?: readonly unknown[], signal?: AbortSignal): Promise<unknown>;
}

export type SightKind = "block" | "tx";
export type SightVia = "gossip" | "sync" | "local";

/** A node's first-sight record, as `getpropagation` returns it. */
export interface SightRecord {
  readonly hash: string;
  readonly kind: SightKind;
  readonly firstSeenMs: number;
  readonly fromPeer: string | null;
  readonly via: SightVia;
  readonly bytes: number;
  readonly validationMs: number | null;
  readonly verdict: string | null;
}

export interface PeerSnapshot {
  readonly peerId: string;
  readonly direction: "inbound" | "outbound";
  /** The observed node with this peer id, or null for a peer outside the observed set. */
  readonly node: string | null;
  readonly score: number | null;
  readonly gossipScore: number | null;
}

export interface GossipDuplicates {
  readonly block: number;
  readonly tx: number;
}

export interface NodeSnapshot {
  readonly name: string;
  readonly peerId: string | null;
  /** Whether the last poll reached the node. */
  readonly reachable: boolean;
  /** Whether any poll ever reached it (coverage counts only these nodes). */
  readonly everReachable: boolean;
  readonly lastError: string | null;
  readonly lastPollMs: number | null;
  readonly height: number | null;
  readonly bestHash: string | null;
  readonly listenAddresses: readonly string[];
  readonly peers: readonly PeerSnapshot[];
  readonly mempool: { readonly size: number; readonly bytes: number } | null;
  /** Gossip messages received again after the first copy (null: the node does not say). */
  readonly duplicates: GossipDuplicates | null;
  /** The node's best chain as far as observed: height → block hash. */
  readonly chain: Readonly<Record<string, string>>;
  /** First-sight records collected from the node, oldest first. */
  readonly records: readonly SightRecord[];
}

export interface BlockInfo {
  readonly hash: string;
  readonly height: number | null;
  readonly bytes: number | null;
  readonly txCount: number | null;
  readonly prevHash: string | null;
}

/** A node's best chain stopped containing its previous tip. */
export interface ReorgEvent {
  readonly node: string;
  readonly atMs: number;
  readonly oldTip: string;
  readonly oldHeight: number;
  readonly newTip: string;
  readonly newHeight: number;
  /** Blocks taken off the node's chain. */
  readonly depth: number;
}

export interface ObservatorySnapshot {
  readonly version: 1;
  readonly startedMs: number;
  readonly nowMs: number;
  /** Records first seen before this are not collected. */
  readonly sinceMs: number;
  readonly pollIntervalMs: number;
  readonly polls: number;
  readonly nodes: readonly NodeSnapshot[];
  readonly blocks: Readonly<Record<string, BlockInfo>>;
  readonly reorgs: readonly ReorgEvent[];
}

export interface ReportOptions {
  /** "Now" for the settle rule; default the snapshot's nowMs. */
  readonly nowMs?: number;
  /** Items younger than this are left out of coverage and delay statistics; default 2000. */
  readonly settleMs?: number;
}

export interface DelayStats {
  readonly count: number;
  /** Mean share of observed nodes that saw each settled item; null when none settled. */
  readonly coverage: number | null;
  readonly p50Ms: number | null;
  readonly p90Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  readonly meanHops: number | null;
  readonly maxHops: number | null;
}

export interface BlockReport {
  readonly hash: string;
  readonly height: number | null;
  /** The node the block started from. */
  readonly origin: string;
  readonly bytes: number;
  readonly coverage: number;
  /** Each node's delay after the origin's first sight (the origin is 0). */
  readonly delaysMs: Readonly<Record<string, number>>;
  /** Depth in the propagation tree; nodes whose path to the origin is unknown are left out. */
  readonly hops: Readonly<Record<string, number>>;
  /** Who first delivered the block to each node (null: the origin, or a peer outside the set). */
  readonly parents: Readonly<Record<string, string | null>>;
  readonly via: Readonly<Record<string, SightVia>>;
  readonly validationMs: Readonly<Record<string, number | null>>;
  readonly txCount: number | null;
  readonly originMs: number;
  /** Older than settleMs: counted in the statistics. */
  readonly settled: boolean;
  /** On the best chain of the majority of the nodes that know that height. */
  readonly onMajorityChain: boolean | null;
}

export interface PropagationReport {
  readonly nodes: readonly string[];
  readonly durationS: number;
  readonly blocks: readonly BlockReport[];
  readonly txs: {
    readonly count: number;
    readonly coverage: number | null;
    readonly p50Ms: number | null;
    readonly p90Ms: number | null;
    readonly p99Ms: number | null;
  };
  readonly summary: {
    readonly blocks: DelayStats;
    readonly txs: DelayStats;
    readonly orphanRate: number;
    readonly reorgs: number;
  };
  readonly generatedMs: number;
  readonly settleMs: number;
  /** Every settled transaction delay (non-origin nodes), sorted, for the CDF. */
  readonly txDelaysMs: readonly number[];
  readonly duplicates: Readonly<Record<string, GossipDuplicates | null>>;
}
