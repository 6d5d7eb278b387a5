import { DecodeError } from "@starling/chain";
import { CorruptRecordError } from "./errors.ts";
import type { KvStore, RecordSink } from "./kv-store.ts";
import { COIN_KEY_SIZE, coinKey, type Outpoint, writeCoinKeyOf } from "./layout.ts";
import { type Coin, decodeCoin, encodeCoinInto, encodedCoinSize } from "./records/coin.ts";

/** Bitcoin Core's default dbcache. */
export const DEFAULT_UTXO_CACHE_BYTES = 450 * 1024 * 1024;

/**
 * Estimated heap bytes of one cache entry besides its script: map slot, key string, entry and coin
 * objects, the bigint, the script's typed array, a dirty-set slot. Measured on Node 24 with V8's
 * heap statistics over 500,000 P2PKH coins (about 580 bytes each with the 25-byte script).
 */
export const ENTRY_OVERHEAD_BYTES = 560;

/** The entry differs from the store. */
const DIRTY = 1;
/** The store has no unspent coin here: spending the entry before a flush just drops it. */
const FRESH = 2;

interface Entry {
  /** undefined: spent (kept, DIRTY, until a flush deletes it from the store). */
  coin: Coin | undefined;
  /** The output index (the map key holds the txid too; kept here so a flush need not parse it). */
  index: number;
  flags: number;
  /** Bumped on every change, so a flush can tell whether an entry changed after it was written. */
  gen: number;
}

export interface UtxoCacheOptions {
  /** Budget for the entries' estimated size (default 450 MiB, as Core's -dbcache). */
  maxBytes?: number;
}

export interface UtxoCacheStats {
  /** getCoin/fetchCoin answered from memory. */
  hits: number;
  /** Outpoints looked up in the store. */
  reads: number;
  /** Of those, found in the store. */
  found: number;
}

/** The dirty entries of the cache written into a batch, waiting for that batch to commit. */
export interface PendingFlush {
  /** Operations written into the batch. */
  readonly writes: number;
  /**
   * Call after the batch committed: entries not changed since are now clean (spent ones are
   * dropped). With `evict`, every clean entry is dropped too. If the write failed, just do not call
   * it: the entries stay dirty and the next flush writes them again.
   */
  complete(options?: { evict?: boolean }): void;
}

/** A reusable buffer for encoded coins, with a cached view for each length. */
class ScratchValues {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private views: Uint8Array[] = [];

  encode(coin: Coin): Uint8Array {
    const size = encodedCoinSize(coin);
    if (size > this.buf.length) {
      this.buf = new Uint8Array(size * 2);
      this.view = new DataView(this.buf.buffer);
      this.views = [];
    }
    encodeCoinInto(coin, this.buf, this.view, 0);
    let out = this.views[size];
    if (out === undefined) {
      out = this.buf.subarray(0, size);
      this.views[size] = out;
    }
    return out;
  }
}

/**
 * Writes dirty entries into a sink. The sink copies what it is given, so every key and value is
 * encoded into the same scratch buffers, with one view per value length: no allocation per coin.
 */
class DirtyEntryWriter {
  private readonly key = new Uint8Array(COIN_KEY_SIZE);
  private readonly scratch = new ScratchValues();
  private readonly sink: RecordSink;

  constructor(sink: RecordSink) {
    this.sink = sink;
  }

  write(mapKey: string, entry: Entry): void {
    writeCoinKeyOf(this.key, mapKey, entry.index);
    if (entry.coin === undefined) this.sink.del(this.key);
    else this.sink.put(this.key, this.scratch.encode(entry.coin));
    // Once this batch may be on disk, spending the coin must delete it there.
    entry.flags &= ~FRESH;
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

/** txid (64 hex digits) followed by the index in decimal: unambiguous, since the txid is fixed-size. */
const mapKey = (txid: string, index: number): string => txid + index;

function outpointOf(key: string): Outpoint {
  return { txid: key.slice(0, 64), index: Number(key.slice(64)) };
}

/**
 * An in-memory UTXO cache in front of the store, as Bitcoin Core's CCoinsViewCache: entries carry
 * DIRTY (differs from the store) and FRESH (the store has no such coin) flags, so that a coin created
 * and spent between two flushes never reaches the disk, and a flush writes only what changed.
 *
 * Reads on the validation path are synchronous on a hit (`getCoin`); misses are loaded in bulk by
 * `prefetch` (one `getMany` for all of a block's inputs). The cache never writes by itself: `flush`
 * puts the dirty entries into a batch that the caller commits together with the tip they belong to.
 *
 * Outpoint txids are lowercase display hex, as the chain package gives them. The single-coin
 * methods take (txid, index) as the chain package's `UtxoView` and `UtxoOverlay` do, so the cache
 * can be handed to consensus checks as their view.
 */
export class UtxoCache {
  readonly maxBytes: number;
  readonly stats: UtxoCacheStats = { hits: 0, reads: 0, found: 0 };
  private readonly store: KvStore;
  private readonly entries = new Map<string, Entry>();
  /** The DIRTY entries, by map key: what the next flush writes. */
  private readonly dirty = new Map<string, Entry>();
  private bytes = 0;
  private gen = 0;
  /** Counts completed flushes: a store read that spans one may predate the flush's deletes. */
  private flushes = 0;

  constructor(store: KvStore, options: UtxoCacheOptions = {}) {
    this.store = store;
    this.maxBytes = options.maxBytes ?? DEFAULT_UTXO_CACHE_BYTES;
  }

  /** Estimated bytes held. */
  get usage(): number {
    return this.bytes;
  }

  /** Entries held (unspent coins and spent-but-unflushed ones). */
  get size(): number {
    return this.entries.size;
  }

  /** Entries that a flush would write. */
  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** True when the estimated size reached the budget: time to flush (and evict). */
  isFull(): boolean {
    return this.bytes >= this.maxBytes;
  }

  /**
   * The unspent coin at (txid, index) if the cache holds it. Synchronous: it never reads the store, so
   * call `prefetch` for a block's inputs first; after that, undefined means missing or spent.
   */
  getCoin(txid: string, index: number): Coin | undefined {
    const coin = this.entries.get(mapKey(txid, index))?.coin;
    if (coin !== undefined) this.stats.hits++;
    return coin;
  }

  /** True when the cache knows this outpoint (as unspent, or as spent and not yet flushed). */
  isCached(txid: string, index: number): boolean {
    return this.entries.has(mapKey(txid, index));
  }

  /** The coin from the cache, else from the store (then cached). */
  async fetchCoin(txid: string, index: number): Promise<Coin | undefined> {
    const entry = this.entries.get(mapKey(txid, index));
    if (entry !== undefined) {
      if (entry.coin !== undefined) this.stats.hits++;
      return entry.coin;
    }
    await this.prefetch([{ txid, index }]);
    return this.entries.get(mapKey(txid, index))?.coin;
  }

  /**
   * Loads every outpoint not in the cache with one `getMany`; found coins enter the cache clean.
   * Returns how many were found in the store.
   */
  async prefetch(outpoints: Iterable<Outpoint>): Promise<number> {
    const keys: string[] = [];
    const seen = new Set<string>();
    for (const op of outpoints) {
      const k = mapKey(op.txid, op.index);
      if (this.entries.has(k) || seen.has(k)) continue;
      seen.add(k);
      keys.push(k);
    }
    return keys.length === 0 ? 0 : this.load(keys);
  }

  private async load(keys: string[]): Promise<number> {
    const dbKeys = keys.map((k) => coinKey(outpointOf(k)));
    const flushesBefore = this.flushes;
    const values = await this.store.getMany(dbKeys);
    if (this.flushes !== flushesBefore) {
      // A flush completed meanwhile and may have dropped spent entries whose coins this read still
      // saw in the store: read again rather than bring them back.
      const stillMissing = keys.filter((k) => !this.entries.has(k));
      return stillMissing.length === 0 ? 0 : this.load(stillMissing);
    }
    this.stats.reads += keys.length;
    let found = 0;
    for (let i = 0; i < keys.length; i++) {
      const value = values[i];
      if (value === undefined) continue;
      found++;
      const k = keys[i]!;
      // Changed while the read was in flight: the cache's version is newer than the store's.
      if (this.entries.has(k)) continue;
      let coin: Coin;
      try {
        coin = decodeCoin(value);
      } catch (err) {
        if (err instanceof DecodeError) {
          throw new CorruptRecordError("coin", dbKeys[i]!, err.message, { cause: err });
        }
        throw err;
      }
      this.entries.set(k, { coin, index: outpointOf(k).index, flags: 0, gen: ++this.gen });
      this.bytes += ENTRY_OVERHEAD_BYTES + coin.scriptPubKey.length;
    }
    this.stats.found += found;
    return found;
  }

  /**
   * Adds a coin created by a transaction. Throws if an unspent coin is already cached there, unless
   * `possibleOverwrite` (Core's flag for the two historic duplicate coinbases and for replays).
   */
  addCoin(txid: string, index: number, coin: Coin, possibleOverwrite = false): void {
    const k = mapKey(txid, index);
    const existing = this.entries.get(k);
    let fresh = !possibleOverwrite;
    if (existing !== undefined) {
      if (!possibleOverwrite && existing.coin !== undefined) {
        throw new Error(`UtxoCache.addCoin: ${txid}:${index} is already unspent`);
      }
      // A spent entry still DIRTY has its spend not yet written: the store may hold the old coin.
      fresh = !possibleOverwrite && (existing.flags & DIRTY) === 0;
      this.bytes -= this.entryBytes(existing);
    }
    const entry = {
      coin,
      index,
      flags: DIRTY | (fresh ? FRESH : 0),
      gen: ++this.gen,
    };
    this.entries.set(k, entry);
    this.dirty.set(k, entry);
    this.bytes += ENTRY_OVERHEAD_BYTES + coin.scriptPubKey.length;
  }

  /**
   * Spends the coin at (txid, index) and returns it (for the block's undo data); undefined when the
   * cache holds no unspent coin there (missing, already spent, or not prefetched).
   */
  spendCoin(txid: string, index: number): Coin | undefined {
    const k = mapKey(txid, index);
    const entry = this.entries.get(k);
    const coin = entry?.coin;
    if (entry === undefined || coin === undefined) return undefined;
    this.bytes -= coin.scriptPubKey.length;
    if (entry.flags & FRESH) {
      // Never written: forget it, and the store never sees it.
      this.entries.delete(k);
      this.dirty.delete(k);
      this.bytes -= ENTRY_OVERHEAD_BYTES;
    } else {
      entry.coin = undefined;
      entry.flags |= DIRTY;
      entry.gen = ++this.gen;
      this.dirty.set(k, entry);
    }
    return coin;
  }

  /** Writes every dirty entry into `batch` (a put for an unspent coin, a delete for a spent one). */
  flush(batch: RecordSink): PendingFlush {
    // Every change bumps an entry's gen past this mark, so `complete` can tell the entries this
    // batch wrote (gen at or below it) from those changed since, which must stay dirty.
    const mark = this.gen;
    const writer = new DirtyEntryWriter(batch);
    this.dirty.forEach((entry, k) => {
      writer.write(k, entry);
    });
    return this.pendingFlush(mark, this.dirty.size);
  }

  /**
   * `flush` in slices of `sliceSize` entries, awaiting `betweenSlices` (by default a turn of the
   * event loop) after each, so that flushing a million coins does not stall the node for seconds
   * and the caller can write what the slice filled. The caller must not change the
   * cache meanwhile (ChainState commits inside its exclusive section); as a safeguard an entry
   * changed or dropped since the flush began is skipped and stays dirty for the next flush, so
   * the batch never holds a coin state newer than the tip it is committed with.
   */
  async flushInSlices(
    batch: RecordSink,
    sliceSize: number,
    betweenSlices: () => Promise<void> = yieldToEventLoop,
  ): Promise<PendingFlush> {
    const mark = this.gen;
    const writer = new DirtyEntryWriter(batch);
    const snapshot = [...this.dirty];
    let writes = 0;
    for (let first = 0; first < snapshot.length; first += sliceSize) {
      if (first > 0) await betweenSlices();
      const end = Math.min(snapshot.length, first + sliceSize);
      for (let i = first; i < end; i++) {
        const [k, entry] = snapshot[i]!;
        if (entry.gen > mark || this.dirty.get(k) !== entry) continue;
        writer.write(k, entry);
        writes++;
      }
    }
    return this.pendingFlush(mark, writes);
  }

  private pendingFlush(mark: number, writes: number): PendingFlush {
    let completed = false;
    return {
      writes,
      complete: (options = {}) => {
        if (completed) return;
        completed = true;
        this.flushes++;
        if (this.gen === mark) {
          // Nothing changed since the flush: every dirty entry was written (the common case).
          if (options.evict) {
            this.entries.clear();
            this.dirty.clear();
            this.bytes = 0;
            return;
          }
          this.dirty.forEach((entry, k) => {
            if (entry.coin !== undefined) entry.flags = 0;
            else {
              this.entries.delete(k);
              this.bytes -= ENTRY_OVERHEAD_BYTES;
            }
          });
          this.dirty.clear();
          return;
        }
        this.dirty.forEach((entry, k) => {
          if (entry.gen > mark) return;
          this.dirty.delete(k);
          if (entry.coin !== undefined) entry.flags = 0;
          else {
            this.entries.delete(k);
            this.bytes -= ENTRY_OVERHEAD_BYTES;
          }
        });
        if (options.evict) this.evict(0);
      },
    };
  }

  /**
   * Drops clean entries, oldest first, until the estimated size is at most `targetBytes`. Dirty
   * entries stay (only a flush may drop them). Returns the number dropped.
   */
  evict(targetBytes = 0): number {
    if (targetBytes <= 0 && this.dirty.size === 0) {
      const dropped = this.entries.size;
      this.entries.clear();
      this.bytes = 0;
      return dropped;
    }
    let dropped = 0;
    for (const [k, entry] of this.entries) {
      if (this.bytes <= targetBytes) break;
      if (entry.flags & DIRTY) continue;
      this.entries.delete(k);
      this.bytes -= this.entryBytes(entry);
      dropped++;
    }
    return dropped;
  }

  private entryBytes(entry: Entry): number {
    return ENTRY_OVERHEAD_BYTES + (entry.coin?.scriptPubKey.length ?? 0);
  }
}
