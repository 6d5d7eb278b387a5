import type { Block } from "../primitives/block.ts";

/**
 * Blocks whose parent is not known yet, held until it arrives (bcoin's orphan map, Core before
 * headers-first). Bounded by count and by bytes; when full, the oldest orphan goes first. Blocks
 * are held only after passing the context-free checks, so the pool holds no junk a peer could
 * produce without proof of work.
 */

export interface OrphanPoolOptions {
  /** Most blocks held (default 256). */
  readonly maxCount?: number;
  /** Most serialized bytes held (default 64 MiB). */
  readonly maxBytes?: number;
}

export const DEFAULT_MAX_ORPHANS = 256;
export const DEFAULT_MAX_ORPHAN_BYTES = 64 * 1024 * 1024;

interface Orphan {
  readonly block: Block;
  readonly hash: string;
  readonly parent: string;
  readonly bytes: number;
  readonly source: string | undefined;
}

export class OrphanPool {
  readonly maxCount: number;
  readonly maxBytes: number;
  /** In arrival order (a Map iterates in insertion order): the first is the oldest. */
  private readonly byHash = new Map<string, Orphan>();
  private readonly byParent = new Map<string, Set<string>>();
  private totalBytes = 0;

  constructor(options: OrphanPoolOptions = {}) {
    this.maxCount = options.maxCount ?? DEFAULT_MAX_ORPHANS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_ORPHAN_BYTES;
    if (!(this.maxCount >= 0) || !(this.maxBytes >= 0)) {
      throw new RangeError("OrphanPool: limits must be non-negative");
    }
  }

  get size(): number {
    return this.byHash.size;
  }

  /** Serialized bytes held. */
  get bytes(): number {
    return this.totalBytes;
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  /** True when some orphan waits for `parent`. */
  hasChildren(parent: string): boolean {
    return this.byParent.has(parent);
  }

  /**
   * Adds a block; evicts the oldest orphans while over a limit. Returns the hashes evicted (the new
   * block itself when it alone exceeds the byte limit).
   */
  add(block: Block, source?: string): string[] {
    const hash = block.hash();
    if (this.byHash.has(hash)) return [];
    const orphan: Orphan = {
      block,
      hash,
      parent: block.header.prevBlock,
      bytes: block.toBytes().length,
      source,
    };
    this.byHash.set(hash, orphan);
    let siblings = this.byParent.get(orphan.parent);
    if (siblings === undefined) {
      siblings = new Set();
      this.byParent.set(orphan.parent, siblings);
    }
    siblings.add(hash);
    this.totalBytes += orphan.bytes;
    const evicted: string[] = [];
    while (this.byHash.size > this.maxCount || this.totalBytes > this.maxBytes) {
      const oldest = this.byHash.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
      evicted.push(oldest);
    }
    return evicted;
  }

  remove(hash: string): boolean {
    const orphan = this.byHash.get(hash);
    if (orphan === undefined) return false;
    this.byHash.delete(hash);
    this.totalBytes -= orphan.bytes;
    const siblings = this.byParent.get(orphan.parent);
    siblings?.delete(hash);
    if (siblings?.size === 0) this.byParent.delete(orphan.parent);
    return true;
  }

  /** Removes and returns the orphans whose parent is `parent`, oldest first. */
  takeChildren(parent: string): { block: Block; source: string | undefined }[] {
    const hashes = this.byParent.get(parent);
    if (hashes === undefined) return [];
    const out: { block: Block; source: string | undefined }[] = [];
    for (const hash of [...hashes]) {
      const orphan = this.byHash.get(hash)!;
      out.push({ block: orphan.block, source: orphan.source });
      this.remove(hash);
    }
    return out;
  }

  /**
   * The first missing ancestor of an orphan: follow orphan parents down to the one not in the
   * pool, the block to ask peers for (bcoin's getOrphanRoot).
   */
  missingAncestor(hash: string): string | undefined {
    let orphan = this.byHash.get(hash);
    if (orphan === undefined) return undefined;
    for (;;) {
      const parent = this.byHash.get(orphan.parent);
      if (parent === undefined) return orphan.parent;
      orphan = parent;
    }
  }

  clear(): void {
    this.byHash.clear();
    this.byParent.clear();
    this.totalBytes = 0;
  }
}
