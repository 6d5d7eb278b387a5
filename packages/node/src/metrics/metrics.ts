import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every metric the node records, defined in this one place (Lodestar's beacon-node metrics) and
 * passed down as `metrics: Metrics | null`. Each Metrics has its own prom-client Registry; nothing
 * goes to prom-client's global one. Names are `<prefix><subsystem>_<what>_<unit>`; the table is in
 * docs/observability.md.
 */

export interface MetricsOptions {
  /** Default "starling_". */
  readonly prefix: string;
  /** prom-client's process and Node.js metrics (unprefixed, their standard names); default true. */
  readonly defaultMetrics: boolean;
  /** Milliseconds since the epoch, for the tip age; injectable for tests. */
  readonly now: () => number;
}

export const DEFAULT_METRICS_OPTIONS: MetricsOptions = Object.freeze({
  prefix: "starling_",
  defaultMetrics: true,
  now: Date.now,
});

export interface ChainMetrics {
  /** Height of the best block. */
  readonly height: Gauge;
  /** Height of the best header known (ahead of `height` while blocks download). */
  readonly headers: Gauge;
  /** The best block's header time, seconds since the epoch; `tipAge` is derived from it. */
  readonly tipTimestamp: Gauge;
  /** Now minus `tipTimestamp`, computed at each scrape (0 before a tip is set). */
  readonly tipAge: Gauge;
  /** Time to validate and connect one block, seconds. */
  readonly blockValidationSeconds: Histogram;
  readonly blocksConnected: Counter;
  readonly reorgs: Counter;
  /** Blocks disconnected by each reorganisation. */
  readonly reorgDepth: Histogram;
}

/** The fields of the mempool's `info()` (MempoolInfo) the gauges take. */
export interface MempoolInfoLike {
  readonly size: number;
  readonly bytes: number;
  readonly mempoolminfee: bigint;
}

export interface MempoolMetrics {
  readonly transactions: Gauge;
  readonly sizeBytes: Gauge;
  /** Core's mempoolminfee: base units per 1000 bytes. */
  readonly minFeeRate: Gauge;
  readonly added: Counter;
  /** By the mempool's RemovalReason ("block", "conflict", "replaced", "evicted", "expired", "reorg"). */
  readonly removed: Counter<"reason">;
  /** Sets the three gauges from `mempool.info()`. */
  setInfo(info: MempoolInfoLike): void;
}

/** Field names and labels as @starling/network's NetworkMetrics, so it is passed there as is. */
export interface NetworkPromMetrics {
  readonly peers: Gauge<"direction">;
  readonly gossipReceived: Counter<"kind">;
  readonly gossipVerdicts: Counter<"kind" | "verdict">;
  readonly gossipValidationSeconds: Histogram<"kind">;
  readonly gossipQueueDropped: Counter<"kind">;
  readonly gossipPublished: Counter<"kind">;
  readonly reqRespRequests: Counter<"protocol" | "direction" | "result">;
  readonly reqRespSeconds: Histogram<"protocol">;
  readonly reqRespRateLimited: Counter<"protocol">;
  readonly peerPenalties: Counter<"reason">;
  readonly peerBans: Counter<"reason">;
}

export interface SyncMetrics {
  /** Estimated verification progress, 0 to 1 (getblockchaininfo's verificationprogress). */
  readonly progress: Gauge;
  /** The best height peers announce: what the node syncs towards. */
  readonly targetHeight: Gauge;
}

export interface MinerPromMetrics {
  readonly hashRate: Gauge;
  readonly hashes: Counter;
  readonly threads: Gauge;
  readonly blocksFound: Counter;
  /** Templates built, by why ("first", "new-tip", "fees", "forced", "on-demand"). */
  readonly templates: Counter<"reason">;
  readonly templateTransactions: Gauge;
  readonly templateSizeBytes: Gauge;
}

export interface PropagationMetrics {
  /** Seconds from a block's header time to this node first seeing it, by kind ("block" | "tx"). */
  readonly firstSightDelaySeconds: Histogram<"kind">;
}

export interface RpcPromMetrics {
  /** By method and result ("ok" or the error code). */
  readonly calls: Counter<"method" | "result">;
  readonly seconds: Histogram<"method">;
}

export interface Metrics {
  readonly register: Registry;
  readonly chain: ChainMetrics;
  readonly mempool: MempoolMetrics;
  readonly network: NetworkPromMetrics;
  readonly sync: SyncMetrics;
  readonly miner: MinerPromMetrics;
  readonly propagation: PropagationMetrics;
  readonly rpc: RpcPromMetrics;
}

/** Block validation: from a cached small block to a full one on a slow disk. */
const VALIDATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const REORG_DEPTH_BUCKETS = [1, 2, 3, 5, 10, 20, 50, 100];
const NETWORK_SECONDS_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** First sight: header times are whole seconds and clocks drift, so sub-second buckets are few. */
const FIRST_SIGHT_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const RPC_BUCKETS = [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];

export function createMetrics(options: Partial<MetricsOptions> = {}): Metrics {
  const opts = { ...DEFAULT_METRICS_OPTIONS, ...options };
  const register = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register });
  const registers = [register];
  const p = opts.prefix;

  const gauge = <T extends string = string>(name: string, help: string, labelNames: T[] = []) =>
    new Gauge<T>({ name: p + name, help, labelNames, registers });
  const counter = <T extends string = string>(name: string, help: string, labelNames: T[] = []) =>
    new Counter<T>({ name: p + name, help, labelNames, registers });
  const histogram = <T extends string = string>(
    name: string,
    help: string,
    buckets: number[],
    labelNames: T[] = [],
  ) => new Histogram<T>({ name: p + name, help, labelNames, buckets, registers });

  const tipTimestamp = gauge("chain_tip_timestamp_seconds", "Header time of the best block");
  const chain: ChainMetrics = {
    height: gauge("chain_height", "Height of the best block"),
    headers: gauge("chain_headers", "Height of the best header known"),
    tipTimestamp,
    tipAge: new Gauge({
      name: `${p}chain_tip_age_seconds`,
      help: "Seconds since the header time of the best block",
      registers,
      async collect() {
        const tip = (await tipTimestamp.get()).values[0]?.value ?? 0;
        this.set(tip > 0 ? opts.now() / 1000 - tip : 0);
      },
    }),
    blockValidationSeconds: histogram(
      "chain_block_validation_seconds",
      "Time to validate and connect a block",
      VALIDATION_BUCKETS,
    ),
    blocksConnected: counter("chain_blocks_connected_total", "Blocks connected to the best chain"),
    reorgs: counter("chain_reorgs_total", "Reorganisations of the best chain"),
    reorgDepth: histogram(
      "chain_reorg_depth_blocks",
      "Blocks disconnected per reorganisation",
      REORG_DEPTH_BUCKETS,
    ),
  };

  const transactions = gauge("mempool_transactions", "Transactions in the mempool");
  const sizeBytes = gauge("mempool_size_bytes", "Serialized size of the mempool's transactions");
  const minFeeRate = gauge(
    "mempool_min_fee_rate_per_kilobyte",
    "Minimum fee rate to enter the mempool, base units per 1000 bytes",
  );
  const mempool: MempoolMetrics = {
    transactions,
    sizeBytes,
    minFeeRate,
    added: counter("mempool_transactions_added_total", "Transactions accepted to the mempool"),
    removed: counter(
      "mempool_transactions_removed_total",
      "Transactions removed from the mempool, by reason",
      ["reason"],
    ),
    setInfo(info) {
      transactions.set(info.size);
      sizeBytes.set(info.bytes);
      minFeeRate.set(Number(info.mempoolminfee));
    },
  };

  const network: NetworkPromMetrics = {
    peers: gauge("network_peers", "Connected peers, by direction", ["direction"]),
    gossipReceived: counter(
      "network_gossip_received_total",
      "Gossip messages seen for the first time, by kind",
      ["kind"],
    ),
    gossipVerdicts: counter(
      "network_gossip_verdicts_total",
      "Gossip validation verdicts, by kind (topic) and verdict",
      ["kind", "verdict"],
    ),
    gossipValidationSeconds: histogram(
      "network_gossip_validation_seconds",
      "Time to validate a gossip message, by kind",
      NETWORK_SECONDS_BUCKETS,
      ["kind"],
    ),
    gossipQueueDropped: counter(
      "network_gossip_queue_dropped_total",
      "Gossip messages dropped because the validation queue was full, by kind",
      ["kind"],
    ),
    gossipPublished: counter(
      "network_gossip_published_total",
      "Gossip messages published, by kind",
      ["kind"],
    ),
    reqRespRequests: counter(
      "network_reqresp_requests_total",
      "Req/resp requests, by protocol, direction and result",
      ["protocol", "direction", "result"],
    ),
    reqRespSeconds: histogram(
      "network_reqresp_seconds",
      "Duration of outbound req/resp requests, by protocol",
      NETWORK_SECONDS_BUCKETS,
      ["protocol"],
    ),
    reqRespRateLimited: counter(
      "network_reqresp_rate_limited_total",
      "Inbound requests refused by the rate limiter, by protocol",
      ["protocol"],
    ),
    peerPenalties: counter("network_peer_penalties_total", "Misbehaviour penalties, by reason", [
      "reason",
    ]),
    peerBans: counter("network_peer_bans_total", "Peer bans, by reason", ["reason"]),
  };

  const sync: SyncMetrics = {
    progress: gauge("sync_progress_ratio", "Estimated verification progress, 0 to 1"),
    targetHeight: gauge("sync_target_height", "Best height announced by peers"),
  };

  const miner: MinerPromMetrics = {
    hashRate: gauge("miner_hash_rate_hashes_per_second", "Hashes per second of the local miner"),
    hashes: counter("miner_hashes_total", "Hashes computed by the local miner"),
    threads: gauge("miner_threads", "Worker threads searching for proof of work"),
    blocksFound: counter("miner_blocks_found_total", "Blocks found by the local miner"),
    templates: counter("miner_templates_total", "Block templates built, by reason", ["reason"]),
    templateTransactions: gauge(
      "miner_template_transactions",
      "Transactions in the current block template",
    ),
    templateSizeBytes: gauge("miner_template_size_bytes", "Size of the current block template"),
  };

  const propagation: PropagationMetrics = {
    firstSightDelaySeconds: histogram(
      "propagation_first_sight_delay_seconds",
      "Seconds from an object's origin time to this node first seeing it, by kind",
      FIRST_SIGHT_BUCKETS,
      ["kind"],
    ),
  };

  const rpc: RpcPromMetrics = {
    calls: counter("rpc_calls_total", "JSON-RPC calls, by method and result", ["method", "result"]),
    seconds: histogram(
      "rpc_call_duration_seconds",
      "JSON-RPC call duration, by method",
      RPC_BUCKETS,
      ["method"],
    ),
  };

  return { register, chain, mempool, network, sync, miner, propagation, rpc };
}
