import type { GossipsubOpts } from "@libp2p/gossipsub";
import type { GossipKind } from "../constants.ts";

type MetricsRegister = NonNullable<GossipsubOpts["metricsRegister"]>;

/** gossipsub's name for "a message arrived again after its first copy" (metrics.ts). */
const DUPLICATE_METRIC = "gossipsub_pre_validation_duplicate_total";

const noop = (): void => {};
const NOOP_GAUGE = { inc: noop, set: noop, addCollect: noop };
const NOOP_HISTOGRAM = { startTimer: () => noop, observe: noop, reset: noop };
const NOOP_AVG_MIN_MAX = { set: noop };

/**
 * Counts gossip messages received again after their first copy, per topic kind. gossipsub only
 * tells through its metrics hooks, so this is a MetricsRegister that keeps that one counter and
 * drops every other metric (the node's own metrics cover the rest).
 */
export class GossipDuplicateCounter {
  private readonly counts: Record<GossipKind, number> = { block: 0, tx: 0 };

  /** Duplicates received so far, by kind. */
  snapshot(): Record<GossipKind, number> {
    return { ...this.counts };
  }

  /** The register to give gossipsub, with topic labels "block" and "tx". */
  metricsRegister(): MetricsRegister {
    const counts = this.counts;
    const duplicates = {
      ...NOOP_GAUGE,
      inc: (labels: { topic?: string } | undefined, value = 1): void => {
        const topic = labels?.topic;
        if (topic === "block" || topic === "tx") counts[topic] += value;
      },
    };
    // gossipsub types each metric by its labels; these objects accept any labels at run time.
    const register = {
      gauge: (config: { name: string }) =>
        config.name === DUPLICATE_METRIC ? duplicates : NOOP_GAUGE,
      histogram: () => NOOP_HISTOGRAM,
      avgMinMax: () => NOOP_AVG_MIN_MAX,
    };
    return register as unknown as MetricsRegister;
  }
}
