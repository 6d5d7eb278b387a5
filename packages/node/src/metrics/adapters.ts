import type { MinerMetrics } from "@starling/miner";
import type { Metrics, NetworkPromMetrics } from "./metrics.ts";

/**
 * Adapters from the node's prom-client metrics to the small metrics interfaces the library
 * packages declare (they depend on no metrics library). NetworkMetricsShape copies the network's
 * interface structurally while this package does not list @starling/network; TypeScript checks
 * the copy where the node hands the object to the network.
 */

type Labels<T extends string> = Partial<Record<T, string | number>>;

/** @starling/network's NetworkMetrics (src/metrics.ts), field for field. */
export interface NetworkMetricsShape {
  peers?: { set(labels: Labels<"direction">, value: number): void };
  gossipReceived?: { inc(labels: Labels<"kind">, value?: number): void };
  gossipVerdicts?: { inc(labels: Labels<"kind" | "verdict">, value?: number): void };
  gossipValidationSeconds?: { observe(labels: Labels<"kind">, value: number): void };
  gossipQueueDropped?: { inc(labels: Labels<"kind">, value?: number): void };
  gossipPublished?: { inc(labels: Labels<"kind">, value?: number): void };
  reqRespRequests?: {
    inc(labels: Labels<"protocol" | "direction" | "result">, value?: number): void;
  };
  reqRespSeconds?: { observe(labels: Labels<"protocol">, value: number): void };
  reqRespRateLimited?: { inc(labels: Labels<"protocol">, value?: number): void };
  peerPenalties?: { inc(labels: Labels<"reason">, value?: number): void };
  peerBans?: { inc(labels: Labels<"reason">, value?: number): void };
}

/** The network's metrics: prom-client's objects already have its shape and label names. */
export function networkMetrics(metrics: Metrics): NetworkMetricsShape & NetworkPromMetrics {
  return metrics.network;
}

/** The miner's callbacks, mapped onto `metrics.miner`. */
export function minerMetrics(metrics: Metrics): Required<MinerMetrics> {
  const m = metrics.miner;
  return {
    // prom-client throws on a negative increment; a miner restart may report 0.
    addHashes: (count) => {
      if (count > 0) m.hashes.inc(count);
    },
    setHashRate: (rate) => m.hashRate.set(rate),
    setThreads: (threads) => m.threads.set(threads),
    blockFound: () => m.blocksFound.inc(),
    templateBuilt: (info) => {
      m.templates.inc({ reason: info.reason });
      m.templateTransactions.set(info.transactions);
      m.templateSizeBytes.set(info.size);
    },
  };
}
