import { toHex } from "@starling/chain";
import type { RecordSink } from "./kv-store.ts";

interface StagedOp {
  key: Uint8Array;
  /** null: a delete. */
  value: Uint8Array | null;
}

/**
 * Record writes held in memory until the next commit, readable meanwhile (read-your-writes): the
 * undo data, main-chain entries and index entries of blocks connected since the last flush live
 * here, so a disconnect before the flush finds them. The last write to a key wins.
 */
export class StagedWrites implements RecordSink {
  private readonly ops = new Map<string, StagedOp>();
  private bytes = 0;

  put(key: Uint8Array, value: Uint8Array): void {
    this.set(key, value);
  }

  del(key: Uint8Array): void {
    this.set(key, null);
  }

  /** Staged value: bytes, null for a staged delete, undefined when the key is not staged. */
  lookup(key: Uint8Array): Uint8Array | null | undefined {
    return this.ops.get(toHex(key))?.value;
  }

  has(key: Uint8Array): boolean {
    return this.ops.has(toHex(key));
  }

  /** Staged operations. */
  get size(): number {
    return this.ops.size;
  }

  /** Bytes of staged keys and values. */
  get byteLength(): number {
    return this.bytes;
  }

  /** Staged operations whose key starts with `prefix`, in key order. */
  withPrefix(prefix: Uint8Array): StagedOp[] {
    const hexPrefix = toHex(prefix);
    const out: [string, StagedOp][] = [];
    for (const entry of this.ops) if (entry[0].startsWith(hexPrefix)) out.push(entry);
    out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return out.map((e) => e[1]);
  }

  writeTo(sink: RecordSink): void {
    for (const { key, value } of this.ops.values()) {
      if (value === null) sink.del(key);
      else sink.put(key, value);
    }
  }

  clear(): void {
    this.ops.clear();
    this.bytes = 0;
  }

  private set(key: Uint8Array, value: Uint8Array | null): void {
    const k = toHex(key);
    const old = this.ops.get(k);
    if (old !== undefined) this.bytes -= old.key.length + (old.value?.length ?? 0);
    this.ops.set(k, { key: key.slice(), value: value === null ? null : value.slice() });
    this.bytes += key.length + (value?.length ?? 0);
  }
}
