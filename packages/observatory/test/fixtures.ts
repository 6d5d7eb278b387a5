/** Hand-made snapshots for the report and rendering tests. */
import type {
  BlockInfo,
  NodeSnapshot,
  ObservatorySnapshot,
  PeerSnapshot,
  SightRecord,
  SightVia,
} from "../src/index.ts";

export function hash(n: number): string {
  return n.toString(16).padStart(64, "0");
}

export function peerIdOf(name: string): string {
  return `12D3KooW${name}`;
}

export function sight(
  h: string,
  firstSeenMs: number,
  via: SightVia,
  from: string | null,
  extra: Partial<SightRecord> = {},
): SightRecord {
  return {
    hash: h,
    kind: "block",
    firstSeenMs,
    fromPeer: from === null ? null : peerIdOf(from),
    via,
    bytes: 1000,
    validationMs: 3,
    verdict: "accept",
    ...extra,
  };
}

export function nodeSnapshot(
  name: string,
  records: SightRecord[],
  extra: Partial<NodeSnapshot> = {},
): NodeSnapshot {
  return {
    name,
    peerId: peerIdOf(name),
    reachable: true,
    everReachable: true,
    lastError: null,
    lastPollMs: 10_000,
    height: null,
    bestHash: null,
    listenAddresses: [],
    peers: [],
    mempool: { size: 0, bytes: 0 },
    duplicates: null,
    chain: {},
    records,
    ...extra,
  };
}

export function snapshotOf(
  nodes: NodeSnapshot[],
  extra: Partial<ObservatorySnapshot> = {},
): ObservatorySnapshot {
  return {
    version: 1,
    startedMs: 0,
    nowMs: 100_000,
    sinceMs: 0,
    pollIntervalMs: 1000,
    polls: 10,
    nodes,
    blocks: {},
    reorgs: [],
    ...extra,
  };
}

/** A deterministic pseudo-random source (the rendering fixture must not change between runs). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A realistic run: `count` nodes in a ring with chords, blocks of three size classes mined by two
 * miners and spread hop by hop, transactions from every node, one orphaned block.
 */
export function realisticSnapshot(count = 6, blockCount = 24, txCount = 60): ObservatorySnapshot {
  const random = lcg(7);
  const names = Array.from({ length: count }, (_, i) => (i < 2 ? `boot${i}` : `node${i - 2}`));
  const neighbours = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  const link = (a: string, b: string): void => {
    neighbours.get(a)!.add(b);
    neighbours.get(b)!.add(a);
  };
  names.forEach((n, i) => {
    link(n, names[(i + 1) % count]!);
    if (i % 2 === 0) link(n, names[(i + count / 2) % count]!);
  });
  const records = new Map<string, SightRecord[]>(names.map((n) => [n, []]));
  const chains = new Map<string, Record<string, string>>(names.map((n) => [n, {}]));
  const blocks: Record<string, BlockInfo> = {};
  const t0 = 1_700_000_000_000;

  /** Breadth-first spread from `origin` with a per-link delay; returns each node's arrival. */
  const spread = (
    h: string,
    kind: "block" | "tx",
    origin: string,
    at: number,
    bytes: number,
    skip: ReadonlySet<string> = new Set(),
  ): void => {
    const arrival = new Map<string, { at: number; from: string | null }>([
      [origin, { at, from: null }],
    ]);
    const queue = [origin];
    while (queue.length > 0) {
      const current = queue.shift()!;
      const here = arrival.get(current)!;
      for (const next of neighbours.get(current)!) {
        if (skip.has(next)) continue;
        const when = here.at + 5 + bytes / 5000 + random() * 40;
        const known = arrival.get(next);
        if (known === undefined || when < known.at) {
          arrival.set(next, { at: when, from: current });
          queue.push(next);
        }
      }
    }
    for (const [node, a] of arrival) {
      records.get(node)!.push({
        hash: h,
        kind,
        firstSeenMs: Math.round(a.at),
        fromPeer: a.from === null ? null : peerIdOf(a.from),
        via: a.from === null ? "local" : "gossip",
        bytes,
        validationMs: Math.round(1 + bytes / 20_000 + random() * 4),
        verdict: "accept",
      });
    }
  };

  for (let b = 0; b < blockCount; b++) {
    const h = hash(1000 + b);
    const height = 101 + b;
    const bytes = [2_000, 40_000, 250_000][b % 3]! + Math.round(random() * 1000);
    const origin = names[b % 2]!;
    spread(h, "block", origin, t0 + 10_000 * (b + 1), bytes);
    blocks[h] = { hash: h, height, bytes, txCount: 1 + Math.round(bytes / 250), prevHash: null };
    for (const n of names) chains.get(n)![String(height)] = h;
  }
  // A competing block at the last height that lost the race: seen by two nodes only.
  const orphan = hash(9999);
  const lastHeight = 100 + blockCount;
  spread(orphan, "block", names[3]!, t0 + 10_000 * blockCount + 30, 1500, new Set(names.slice(5)));
  blocks[orphan] = { hash: orphan, height: lastHeight, bytes: 1500, txCount: 1, prevHash: null };

  for (let t = 0; t < txCount; t++) {
    spread(hash(50_000 + t), "tx", names[t % count]!, t0 + 3000 + t * 3900, 250);
  }

  const nodes = names.map((name) => {
    const peers: PeerSnapshot[] = [...neighbours.get(name)!].map((other) => ({
      peerId: peerIdOf(other),
      direction: names.indexOf(other) > names.indexOf(name) ? "outbound" : "inbound",
      node: other,
      score: 0,
      gossipScore: 0,
    }));
    return nodeSnapshot(
      name,
      records.get(name)!.sort((a, b) => a.firstSeenMs - b.firstSeenMs),
      {
        height: lastHeight,
        bestHash: hash(1000 + blockCount - 1),
        peers,
        chain: chains.get(name)!,
        mempool: { size: 3, bytes: 750 },
        duplicates: { block: blockCount * 2, tx: txCount * 3 },
        lastPollMs: t0 + 10_000 * (blockCount + 1),
      },
    );
  });
  return snapshotOf(nodes, {
    startedMs: t0,
    sinceMs: t0,
    nowMs: t0 + 10_000 * (blockCount + 1),
    blocks,
  });
}
