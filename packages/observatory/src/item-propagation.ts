import type { SightRecord, SightVia } from "./types.ts";

/** One node's first sight of an item, tagged with the node's name and peer id. */
export interface NodeSight {
  readonly node: string;
  readonly peerId: string | null;
  readonly record: SightRecord;
}

/** How one block or transaction spread: origin, delays, propagation tree, hop depths. */
export interface ItemPropagation {
  readonly hash: string;
  readonly origin: string;
  readonly originMs: number;
  readonly bytes: number;
  readonly delaysMs: Record<string, number>;
  readonly parents: Record<string, string | null>;
  readonly hops: Record<string, number>;
  readonly via: Record<string, SightVia>;
  readonly validationMs: Record<string, number | null>;
}

/**
 * Origin: the node that made the item (via "local"), else the earliest first sight. Parent: the
 * observed node whose peer id is the record's fromPeer. Hops: depth below the origin in that tree;
 * a node whose chain of parents does not reach the origin has no hop count.
 */
export function itemPropagation(hash: string, sights: readonly NodeSight[]): ItemPropagation {
  if (sights.length === 0) throw new RangeError(`no sightings of ${hash}`);
  let origin = sights.find((s) => s.record.via === "local");
  if (origin === undefined) {
    for (const s of sights) {
      if (origin === undefined || s.record.firstSeenMs < origin.record.firstSeenMs) origin = s;
    }
  }
  const first = origin!;
  const byPeerId = new Map<string, string>();
  for (const s of sights) if (s.peerId !== null) byPeerId.set(s.peerId, s.node);

  const delaysMs: Record<string, number> = {};
  const parents: Record<string, string | null> = {};
  const via: Record<string, SightVia> = {};
  const validationMs: Record<string, number | null> = {};
  let bytes = 0;
  for (const s of sights) {
    delaysMs[s.node] = s.record.firstSeenMs - first.record.firstSeenMs;
    via[s.node] = s.record.via;
    validationMs[s.node] = s.record.validationMs;
    bytes = Math.max(bytes, s.record.bytes);
    const parent =
      s.node === first.node || s.record.fromPeer === null
        ? null
        : (byPeerId.get(s.record.fromPeer) ?? null);
    parents[s.node] = parent === s.node ? null : parent;
  }

  const hops: Record<string, number> = {};
  for (const s of sights) {
    let depth = 0;
    let at: string | null = s.node;
    const visited = new Set<string>();
    while (at !== null && at !== first.node && !visited.has(at)) {
      visited.add(at);
      at = parents[at] ?? null;
      depth++;
    }
    if (at === first.node) hops[s.node] = depth;
  }
  return {
    hash,
    origin: first.node,
    originMs: first.record.firstSeenMs,
    bytes,
    delaysMs,
    parents,
    hops,
    via,
    validationMs,
  };
}
