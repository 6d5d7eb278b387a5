import { createHash, type Hash } from "node:crypto";
import type { CoinEntry } from "../consensus/utxo-view.ts";
import { compareBytes } from "../encoding/bytes.ts";
import { hexToHash } from "../encoding/hex.ts";
import { ByteWriter } from "../encoding/writer.ts";

/**
 * A commitment to a whole UTXO set, as Bitcoin Core's gettxoutsetinfo (hash_serialized): the number
 * of coins, their total amount, and SHA-256 over every coin serialized in canonical order. Two
 * sets are equal exactly when their commitments are (up to a hash collision), so the commitment of
 * the stored set can be compared with one recomputed by replaying the chain.
 *
 * Serialization of one coin (Core's TxOutSer): txid[32] (internal byte order) | index u32 LE |
 * height·2 + coinbase u32 LE | value i64 LE | scriptPubKey (CompactSize length + bytes).
 * Canonical order: txid in internal byte order ascending, then index ascending — the order of
 * @starling/storage's coin keys, so the store can stream its set without sorting.
 */

export interface UtxoCommitment {
  /** Unspent outputs in the set. */
  readonly count: number;
  /** Sum of their values, in base units. */
  readonly totalAmount: bigint;
  /** SHA-256 of the serialized set, lowercase hex (in the order hashed, not reversed). */
  readonly hash: string;
}

/** Canonical order of outpoints: txid internal bytes, then index. */
export function compareOutpoints(
  a: { readonly txid: string; readonly index: number },
  b: { readonly txid: string; readonly index: number },
): number {
  if (a.txid !== b.txid) return compareBytes(hexToHash(a.txid), hexToHash(b.txid));
  return a.index - b.index;
}

/** Error for a store that does not stream its set in canonical order. */
export class UnsortedUtxoError extends Error {
  override readonly name = "UnsortedUtxoError";
}

/** Builds a commitment from coins given in canonical order (checked as they come). */
export class UtxoCommitmentBuilder {
  private readonly sha: Hash = createHash("sha256");
  private count = 0;
  private total = 0n;
  private last: { txidBytes: Uint8Array; index: number } | undefined;

  add(entry: CoinEntry): void {
    const txidBytes = hexToHash(entry.txid);
    const last = this.last;
    if (last !== undefined) {
      const order = compareBytes(last.txidBytes, txidBytes) || last.index - entry.index;
      if (order >= 0) {
        throw new UnsortedUtxoError(
          `UTXO set not in canonical order at ${entry.txid}:${entry.index}`,
        );
      }
    }
    this.last = { txidBytes, index: entry.index };
    const { coin } = entry;
    const w = new ByteWriter(64 + coin.scriptPubKey.length);
    w.bytes(txidBytes)
      .u32(entry.index)
      .u32(coin.height * 2 + (coin.isCoinbase ? 1 : 0))
      .i64(coin.value)
      .varBytes(coin.scriptPubKey);
    this.sha.update(w.finish());
    this.count++;
    this.total += coin.value;
  }

  finish(): UtxoCommitment {
    return { count: this.count, totalAmount: this.total, hash: this.sha.digest("hex") };
  }
}

/** The commitment of coins given in any order (sorted here). */
export function utxoCommitment(entries: Iterable<CoinEntry>): UtxoCommitment {
  const sorted = [...entries].sort(compareOutpoints);
  const builder = new UtxoCommitmentBuilder();
  for (const entry of sorted) builder.add(entry);
  return builder.finish();
}

/** The commitment of coins streamed in canonical order (a store's `utxos()`). */
export async function utxoCommitmentOf(entries: AsyncIterable<CoinEntry>): Promise<UtxoCommitment> {
  const builder = new UtxoCommitmentBuilder();
  for await (const entry of entries) builder.add(entry);
  return builder.finish();
}
