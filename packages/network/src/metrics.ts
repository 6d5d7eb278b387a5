/**
 * The metrics the network records, as narrow interfaces (Lodestar's "metrics as data"): the node
 * builds them with prom-client, whose Counter/Gauge/Histogram satisfy these shapes, and this package
 * stays free of a metrics library. Every field is optional; a missing metric is not recorded.
 *
 * Suggested names (Prometheus style, unit suffixes) are in README.md.
 */

export type MetricLabels<T extends string> = Partial<Record<T, string | number>>;

export interface CounterMetric<T extends string> {
  inc(labels: MetricLabels<T>, value?: number): void;
}

export interface GaugeMetric<T extends string> {
  set(labels: MetricLabels<T>, value: number): void;
}

export interface HistogramMetric<T extends string> {
  observe(labels: MetricLabels<T>, value: number): void;
}

export interface NetworkMetrics {
  /** Connected peers by direction ("inbound" | "outbound"). */
  peers?: GaugeMetric<"direction">;
  /** Gossip messages seen for the first time, by kind ("block" | "tx"). */
  gossipReceived?: CounterMetric<"kind">;
  /** Gossip verdicts by kind and verdict ("accept" | "reject" | "ignore"). */
  gossipVerdicts?: CounterMetric<"kind" | "verdict">;
  /** Time the injected validator took, seconds, by kind. */
  gossipValidationSeconds?: HistogramMetric<"kind">;
  /** Gossip messages dropped because the validation queue was full, by kind. */
  gossipQueueDropped?: CounterMetric<"kind">;
  /** Published gossip messages by kind. */
  gossipPublished?: CounterMetric<"kind">;
  /** Req/resp requests by protocol, direction and result ("ok" or an error name). */
  reqRespRequests?: CounterMetric<"protocol" | "direction" | "result">;
  /** Outbound request duration, seconds, by protocol. */
  reqRespSeconds?: HistogramMetric<"protocol">;
  /** Inbound requests refused by the per-peer rate limiter, by protocol. */
  reqRespRateLimited?: CounterMetric<"protocol">;
  /** Misbehaviour penalties by reason. */
  peerPenalties?: CounterMetric<"reason">;
  /** Bans by reason. */
  peerBans?: CounterMetric<"reason">;
}

/** A logger shape that pino satisfies: `(fields, message)`. */
export interface NetworkLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

const noop = (): void => {};

export const SILENT_LOGGER: NetworkLogger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
});
