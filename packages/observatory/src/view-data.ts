import type { GossipDuplicates, ObservatorySnapshot, PropagationReport } from "./types.ts";

/** Block size classes of the delay CDF. */
export const SIZE_CLASSES = [
  { id: "small", label: "< 10 kB", maxBytes: 10_000 },
  { id: "medium", label: "10–100 kB", maxBytes: 100_000 },
  { id: "large", label: "≥ 100 kB", maxBytes: Number.POSITIVE_INFINITY },
] as const;

export type SizeClassId = (typeof SIZE_CLASSES)[number]["id"];

export function sizeClassOf(bytes: number): SizeClassId {
  for (const c of SIZE_CLASSES) if (bytes < c.maxBytes) return c.id;
  return "large";
}

/** What the charts draw (web/charts.js): the report's blocks plus node status and topology. */
export interface ViewData {
  readonly generatedMs: number;
  readonly durationS: number;
  readonly sizeClasses: readonly { readonly id: string; readonly label: string }[];
  readonly nodes: readonly {
    readonly name: string;
    readonly reachable: boolean;
    readonly lastError: string | null;
    readonly height: number | null;
    readonly peers: number;
    readonly externalPeers: number;
    readonly mempoolSize: number | null;
    readonly mempoolBytes: number | null;
    readonly duplicates: GossipDuplicates | null;
  }[];
  readonly topology: { readonly edges: readonly { readonly from: string; readonly to: string }[] };
  readonly blocks: readonly (PropagationReport["blocks"][number] & {
    readonly sizeClass: string;
  })[];
  readonly txDelaysMs: readonly number[];
  readonly summary: PropagationReport["summary"];
  readonly extra?: unknown;
}

/** Most blocks the charts carry (the newest); the report files keep them all. */
const MAX_VIEW_BLOCKS = 1000;
/** Most transaction delays the CDF carries: evenly spaced quantiles keep its shape. */
const MAX_CDF_POINTS = 2000;

/** At most `max` evenly spaced values of an ascending array, always with its first and last. */
export function downsampleSorted(sorted: readonly number[], max: number): number[] {
  if (sorted.length <= max) return [...sorted];
  const out: number[] = [];
  for (let i = 0; i < max; i++) {
    out.push(sorted[Math.round((i * (sorted.length - 1)) / (max - 1))]!);
  }
  return out;
}

export function buildViewData(
  report: PropagationReport,
  snapshot: ObservatorySnapshot,
  extra?: unknown,
): ViewData {
  const edges = new Map<string, { from: string; to: string }>();
  for (const node of snapshot.nodes) {
    for (const peer of node.peers) {
      if (peer.node === null || peer.node === node.name) continue;
      // One undirected edge per connection, drawn from the dialling side.
      const [from, to] =
        peer.direction === "outbound" ? [node.name, peer.node] : [peer.node, node.name];
      const key = [from, to].sort().join("\u0000");
      if (!edges.has(key)) edges.set(key, { from, to });
    }
  }
  return {
    generatedMs: report.generatedMs,
    durationS: report.durationS,
    sizeClasses: SIZE_CLASSES.map((c) => ({ id: c.id, label: c.label })),
    nodes: snapshot.nodes.map((n) => ({
      name: n.name,
      reachable: n.reachable,
      lastError: n.lastError,
      height: n.height,
      peers: n.peers.length,
      externalPeers: n.peers.filter((p) => p.node === null).length,
      mempoolSize: n.mempool?.size ?? null,
      mempoolBytes: n.mempool?.bytes ?? null,
      duplicates: n.duplicates,
    })),
    topology: { edges: [...edges.values()] },
    blocks: report.blocks
      .slice(-MAX_VIEW_BLOCKS)
      .map((b) => ({ ...b, sizeClass: sizeClassOf(b.bytes) })),
    txDelaysMs: downsampleSorted(report.txDelaysMs, MAX_CDF_POINTS),
    summary: report.summary,
    ...(extra === undefined ? {} : { extra }),
  };
}
