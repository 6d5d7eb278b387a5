/**
 * The propagation observatory's memory: when this node first saw each block and transaction, from
 * whom and how. Bounded: past `capacity` records the oldest go first (a Map keeps insertion order).
 */

export type FirstSightKind = "block" | "tx";
export type FirstSightVia = "gossip" | "sync" | "local";

export interface FirstSightRecord {
  /** Display hex: block hash or txid. */
  readonly hash: string;
  readonly kind: FirstSightKind;
  /** Local time of first sight, Unix ms. */
  readonly firstSeenMs: number;
  /** The peer it came from; null for local and when unknown. */
  readonly fromPeer: string | null;
  readonly via: FirstSightVia;
  readonly bytes: number;
  /** Time validation took, ms; null until validated. */
  validationMs: number | null;
  /** The gossip verdict or the local outcome; null until known. */
  verdict: string | null;
}

export interface FirstSightQuery {
  readonly hash?: string | undefined;
  readonly kind?: FirstSightKind | undefined;
  /** Unix ms, inclusive. */
  readonly since?: number | undefined;
  /** Unix ms, inclusive. */
  readonly until?: number | undefined;
  /** Newest records first, at most this many. */
  readonly limit?: number | undefined;
}

export class FirstSightLog {
  readonly capacity: number;
  private readonly records = new Map<string, FirstSightRecord>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be >= 1");
    this.capacity = capacity;
  }

  get size(): number {
    return this.records.size;
  }

  /** Records a first sight; a later sighting of the same hash is not a first one and is dropped. */
  record(
    entry: Omit<FirstSightRecord, "validationMs" | "verdict"> & {
      validationMs?: number | null;
      verdict?: string | null;
    },
  ): boolean {
    const key = `${entry.kind}:${entry.hash}`;
    if (this.records.has(key)) return false;
    this.records.set(key, {
      ...entry,
      validationMs: entry.validationMs ?? null,
      verdict: entry.verdict ?? null,
    });
    while (this.records.size > this.capacity) {
      const oldest = this.records.keys().next().value as string;
      this.records.delete(oldest);
    }
    return true;
  }

  /** Adds the validation outcome of a recorded sighting. */
  validated(kind: FirstSightKind, hash: string, validationMs: number, verdict: string): void {
    const record = this.records.get(`${kind}:${hash}`);
    if (record === undefined) return;
    record.validationMs ??= validationMs;
    record.verdict ??= verdict;
  }

  get(kind: FirstSightKind, hash: string): FirstSightRecord | undefined {
    return this.records.get(`${kind}:${hash}`);
  }

  query(query: FirstSightQuery = {}): FirstSightRecord[] {
    const out: FirstSightRecord[] = [];
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const all = [...this.records.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const r = all[i]!;
      if (query.hash !== undefined && r.hash !== query.hash) continue;
      if (query.kind !== undefined && r.kind !== query.kind) continue;
      if (query.since !== undefined && r.firstSeenMs < query.since) continue;
      if (query.until !== undefined && r.firstSeenMs > query.until) continue;
      out.push({ ...r });
    }
    return out;
  }
}
