import { ByteReader, ByteWriter, hashToHex, hexToHash } from "@starling/chain";

/** Where a transaction's bytes are: inside the stored block `blockHash`. */
export interface TxLocation {
  /** Display hex. */
  blockHash: string;
  /** Byte offset of the transaction in the serialized block. */
  offset: number;
  /** Serialized length in bytes. */
  length: number;
}

/** block hash[32] | offset u32 | length u32. */
export function encodeTxLocation(loc: TxLocation): Uint8Array {
  return new ByteWriter(40)
    .bytes(hexToHash(loc.blockHash))
    .u32(loc.offset)
    .u32(loc.length)
    .finish();
}

export function decodeTxLocation(bytes: Uint8Array): TxLocation {
  const r = new ByteReader(bytes);
  const blockHash = hashToHex(r.bytesView(32, "block hash"));
  const loc = { blockHash, offset: r.u32(), length: r.u32() };
  r.end("tx location");
  return loc;
}
