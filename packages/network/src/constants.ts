import { dhtProtocol as chainDhtProtocol, gossipTopic as chainGossipTopic } from "@starling/chain";
/**
 * Wire constants: protocol ids, topic names, sizes fixed by the formats. Tunable values (timeouts,
 * peer counts, rate limits) are options, in options.ts.
 */

export const HASH_BYTES = 32;
/** A Bitcoin block header. */
export const HEADER_BYTES = 80;
/** Consensus block size limit (DESIGN.md §2): the block topic and block responses allow this much. */
export const MAX_BLOCK_BYTES = 2_000_000;
/** Relay limit on one transaction; Core's standard limit is the same order (100 kvB). */
export const MAX_TX_BYTES = 100_000;

/** Bitcoin's getheaders: at most 2000 headers per answer, at most 101 locator hashes. */
export const MAX_HEADERS_PER_REQUEST = 2000;
export const MAX_LOCATOR_HASHES = 101;
export const MAX_BLOCKS_PER_REQUEST = 16;
export const MAX_TXS_PER_REQUEST = 256;
export const MAX_MEMPOOL_TXIDS = 50_000;
/** A txs response stops early past this many bytes; the requester asks again for the rest. */
export const MAX_TXS_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Network names travel in the status message; longer names are refused. */
export const MAX_NETWORK_NAME_BYTES = 32;

/** The request/response protocols, `/starling/<network>/<name>/1`. */
export const REQ_RESP_NAMES = ["status", "headers", "blocks", "mempool", "txs"] as const;
export type ReqRespName = (typeof REQ_RESP_NAMES)[number];

export function protocolId(network: string, name: ReqRespName): string {
  return `/starling/${network}/${name}/1`;
}

/** `/starling/<network>/kad/1.0.0`: this network's Kad-DHT, apart from the public IPFS DHT. */
export function dhtProtocol(network: string): string {
  return chainDhtProtocol({ name: network });
}

export type GossipKind = "block" | "tx";

/** `/starling/<network>/<first 8 hex of genesis hash>/<kind>` (DESIGN.md §5). */
export function gossipTopic(network: string, genesisHashHex: string, kind: GossipKind): string {
  return chainGossipTopic({ name: network, genesisHash: genesisHashHex }, kind);
}
