import { ByteReader, hashToHex, hexToHash } from "@starling/chain";

/** A main-chain entry's value: the block hash, 32 bytes in internal order. */
export const encodeBlockHash = (hash: string): Uint8Array => hexToHash(hash);

export function decodeBlockHash(bytes: Uint8Array): string {
  const r = new ByteReader(bytes);
  const hash = hashToHex(r.bytesView(32, "block hash"));
  r.end("block hash");
  return hash;
}
