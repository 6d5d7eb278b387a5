import { type ItemPropagation, itemPropagation, type NodeSight } from "./item-propagation.ts";
import { mean, percentile } from "./percentile.ts";
import type {
  BlockReport,
  DelayStats,
  GossipDuplicates,
  ObservatorySnapshot,
  PropagationReport,
  ReportOptions,
  SightKind,
} from "./types.ts";

export const DEFAULT_SETTLE_MS = 2000;

/** Every item of one kind in the snapshot, with each node's sighting of it. */
function sightingsByItem(snapshot: ObservatorySnapshot, kind: SightKind): Map<string, NodeSight[]> {
  const items = new Map<string, NodeSight[]>();
  for (const node of snapshot.nodes) {
    for (const record of node.records) {
      if (record.kind !== kind) continue;
      let list = items.get(record.hash);
      if (list === undefined) {
        list = [];
        items.set(record.hash, list);
      }
      list.push({ node: node.name, peerId: node.peerId, record });
    }
  }
  return items;
}

interface Accumulator {
  count: number;
  coverages: number[];
  delays: number[];
  hops: number[];
}

function accumulate(
  acc: Accumulator,
  item: ItemPropagation,
  observed: ReadonlySet<string>,
  settled: boolean,
): number {
  acc.count++;
  const seenBy = Object.keys(item.delaysMs).filter((n) => observed.has(n)).length;
  const coverage = observed.size === 0 ? 0 : seenBy / observed.size;
  if (!settled) return coverage;
  acc.coverages.push(coverage);
  for (const [node, delay] of Object.entries(item.delaysMs)) {
    if (node === item.origin) continue;
    acc.delays.push(delay);
    const hops = item.hops[node];
    if (hops !== undefined) acc.hops.push(hops);
  }
  return coverage;
}

function stats(acc: Accumulator): DelayStats {
  const sorted = [...acc.delays].sort((a, b) => a - b);
  return {
    count: acc.count,
    coverage: mean(acc.coverages),
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length === 0 ? null : sorted[sorted.length - 1]!,
    meanHops: mean(acc.hops),
    maxHops: acc.hops.length === 0 ? null : Math.max(...acc.hops),
  };
}

/** Whether a block is on the best chain of most nodes that know its height (null: none do). */
function onMajorityChain(
  snapshot: ObservatorySnapshot,
  hash: string,
  height: number | null,
): boolean | null {
  if (height === null) return null;
  let votes = 0;
  let forIt = 0;
  for (const node of snapshot.nodes) {
    const atHeight = node.chain[String(height)];
    if (atHeight === undefined) continue;
    votes++;
    if (atHeight === hash) forIt++;
  }
  return votes === 0 ? null : forIt * 2 > votes;
}

/** The propagation report of a snapshot: a pure function of its records and chain views. */
export function computeReport(
  snapshot: ObservatorySnapshot,
  options: ReportOptions = {},
): PropagationReport {
  const nowMs = options.nowMs ?? snapshot.nowMs;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const observed = new Set(snapshot.nodes.filter((n) => n.everReachable).map((n) => n.name));
  const isSettled = (item: ItemPropagation): boolean => nowMs - item.originMs >= settleMs;

  const blockAcc: Accumulator = { count: 0, coverages: [], delays: [], hops: [] };
  const blocks: BlockReport[] = [];
  let orphans = 0;
  for (const [hash, sights] of sightingsByItem(snapshot, "block")) {
    const item = itemPropagation(hash, sights);
    const settled = isSettled(item);
    const coverage = accumulate(blockAcc, item, observed, settled);
    const info = snapshot.blocks[hash];
    const height = info?.height ?? null;
    const majority = onMajorityChain(snapshot, hash, height);
    if (majority === false) orphans++;
    blocks.push({
      hash,
      height,
      origin: item.origin,
      bytes: info?.bytes ?? item.bytes,
      coverage,
      delaysMs: item.delaysMs,
      hops: item.hops,
      parents: item.parents,
      via: item.via,
      validationMs: item.validationMs,
      txCount: info?.txCount ?? null,
      originMs: item.originMs,
      settled,
      onMajorityChain: majority,
    });
  }
  blocks.sort((a, b) => a.originMs - b.originMs || (a.height ?? 0) - (b.height ?? 0));

  const txAcc: Accumulator = { count: 0, coverages: [], delays: [], hops: [] };
  for (const [hash, sights] of sightingsByItem(snapshot, "tx")) {
    const item = itemPropagation(hash, sights);
    accumulate(txAcc, item, observed, isSettled(item));
  }
  const txStats = stats(txAcc);

  const duplicates: Record<string, GossipDuplicates | null> = {};
  for (const node of snapshot.nodes) duplicates[node.name] = node.duplicates;

  return {
    nodes: snapshot.nodes.map((n) => n.name),
    durationS: Math.max(0, (snapshot.nowMs - snapshot.startedMs) / 1000),
    blocks,
    txs: {
      count: txStats.count,
      coverage: txStats.coverage,
      p50Ms: txStats.p50Ms,
      p90Ms: txStats.p90Ms,
      p99Ms: txStats.p99Ms,
    },
    summary: {
      blocks: stats(blockAcc),
      txs: txStats,
      orphanRate: blocks.length === 0 ? 0 : orphans / blocks.length,
      reorgs: new Set(snapshot.reorgs.map((r) => r.oldTip)).size,
    },
    generatedMs: nowMs,
    settleMs,
    txDelaysMs: [...txAcc.delays].sort((a, b) => a - b),
    duplicates,
  };
}
