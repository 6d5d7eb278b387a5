import {
  ByteReader,
  ByteWriter,
  DecodeError,
  DecodeReason,
  hashToHex,
  hexToHash,
} from "@starling/chain";

/** Which chain a datadir belongs to: written once at creation, checked at every open. */
export interface NetworkMarker {
  network: string;
  /** Genesis block hash, display hex. */
  genesisHash: string;
}

const MAX_NAME = 64;

/** name (CompactSize length + UTF-8) | genesis hash[32]. */
export function encodeNetworkMarker(marker: NetworkMarker): Uint8Array {
  const name = new TextEncoder().encode(marker.network);
  if (name.length > MAX_NAME) throw new RangeError("network name longer than 64 bytes");
  return new ByteWriter(100).varBytes(name).bytes(hexToHash(marker.genesisHash)).finish();
}

export function decodeNetworkMarker(bytes: Uint8Array): NetworkMarker {
  const r = new ByteReader(bytes);
  const name = r.varBytes("network name", MAX_NAME);
  let network: string;
  try {
    network = new TextDecoder("utf-8", { fatal: true }).decode(name);
  } catch {
    throw new DecodeError(DecodeReason.INVALID_ENCODING, "network name is not UTF-8");
  }
  const genesisHash = hashToHex(r.bytesView(32, "genesis hash"));
  r.end("network marker");
  return { network, genesisHash };
}
