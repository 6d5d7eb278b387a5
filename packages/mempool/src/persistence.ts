import {
  ByteReader,
  ByteWriter,
  DecodeError,
  DecodeReason,
  hashToHex,
  hexToHash,
  Transaction,
} from "@starling/chain";

/**
 * The saved mempool (Core's mempool.dat, without its obfuscation key):
 *   magic "SMPL" | version u32 = 1 | count CompactSize |
 *   count x [ tx (legacy serialization) | entry time i64 seconds | fee delta i64 ] |
 *   deltas CompactSize | deltas x [ txid 32 bytes (internal order) | fee delta i64 ]
 * Transactions are written parents first. The trailing deltas are prioritisations of transactions
 * not in the mempool. Loading re-validates every transaction.
 */

export const MEMPOOL_FILE_MAGIC = Uint8Array.of(0x53, 0x4d, 0x50, 0x4c);
export const MEMPOOL_FILE_VERSION = 1;

export interface SavedTransaction {
  readonly tx: Transaction;
  readonly time: number;
  readonly feeDelta: bigint;
}

export interface MempoolSnapshot {
  readonly transactions: readonly SavedTransaction[];
  readonly deltas: ReadonlyMap<string, bigint>;
}

export function encodeSnapshot(snapshot: MempoolSnapshot): Uint8Array {
  const w = new ByteWriter(1024);
  w.bytes(MEMPOOL_FILE_MAGIC).u32(MEMPOOL_FILE_VERSION).compactSize(snapshot.transactions.length);
  for (const saved of snapshot.transactions) {
    saved.tx.write(w);
    w.i64(BigInt(Math.floor(saved.time))).i64(saved.feeDelta);
  }
  w.compactSize(snapshot.deltas.size);
  for (const [txid, delta] of snapshot.deltas) w.bytes(hexToHash(txid)).i64(delta);
  return w.finish();
}

/** Throws DecodeError for bytes that are not a version-1 snapshot. */
export function decodeSnapshot(bytes: Uint8Array): MempoolSnapshot {
  const r = new ByteReader(bytes);
  const magic = r.bytesView(4, "magic");
  if (!magic.every((b, i) => b === MEMPOOL_FILE_MAGIC[i])) {
    throw new DecodeError(DecodeReason.INVALID_ENCODING, "not a saved mempool (bad magic)");
  }
  const version = r.u32();
  if (version !== MEMPOOL_FILE_VERSION) {
    throw new DecodeError(
      DecodeReason.INVALID_ENCODING,
      `saved mempool version ${version} unsupported`,
    );
  }
  const count = r.count(60 + 16, "saved transactions");
  const transactions: SavedTransaction[] = [];
  for (let i = 0; i < count; i++) {
    const tx = Transaction.read(r);
    const time = Number(r.i64());
    const feeDelta = r.i64();
    transactions.push({ tx, time, feeDelta });
  }
  const deltaCount = r.count(40, "fee deltas");
  const deltas = new Map<string, bigint>();
  for (let i = 0; i < deltaCount; i++) {
    const txid = hashToHex(r.bytesView(32, "txid"));
    deltas.set(txid, r.i64());
  }
  r.end("saved mempool");
  return { transactions, deltas };
}
