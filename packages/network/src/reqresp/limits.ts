import {
  HASH_BYTES,
  HEADER_BYTES,
  MAX_BLOCKS_PER_REQUEST,
  MAX_HEADERS_PER_REQUEST,
  MAX_LOCATOR_HASHES,
  MAX_MEMPOOL_TXIDS,
  MAX_TXS_PER_REQUEST,
  MAX_TXS_RESPONSE_BYTES,
  type ReqRespName,
} from "../constants.ts";

/** Size limits of one protocol: requests, single chunks, and whole responses. */
export interface ProtocolLimits {
  /** Largest request frame accepted (a larger length prefix resets the stream). */
  maxRequestBytes: number;
  /** Largest CHUNK payload. */
  maxChunkBytes: number;
  /** Most CHUNK frames in one response. */
  maxChunks: number;
  /** Largest sum of CHUNK payloads in one response. */
  maxResponseBytes: number;
}

const STATUS_BYTES = 1 + 32 + 32 + 4 + 32 + 32;

export function protocolLimits(
  maxBlockBytes: number,
  maxTxBytes: number,
): Record<ReqRespName, ProtocolLimits> {
  return {
    status: {
      maxRequestBytes: STATUS_BYTES,
      maxChunkBytes: STATUS_BYTES,
      maxChunks: 1,
      maxResponseBytes: STATUS_BYTES,
    },
    headers: {
      maxRequestBytes: 3 + MAX_LOCATOR_HASHES * HASH_BYTES + HASH_BYTES + 2,
      maxChunkBytes: MAX_HEADERS_PER_REQUEST * HEADER_BYTES,
      maxChunks: 1,
      maxResponseBytes: MAX_HEADERS_PER_REQUEST * HEADER_BYTES,
    },
    blocks: {
      maxRequestBytes: 1 + MAX_BLOCKS_PER_REQUEST * HASH_BYTES,
      maxChunkBytes: maxBlockBytes,
      maxChunks: MAX_BLOCKS_PER_REQUEST,
      maxResponseBytes: MAX_BLOCKS_PER_REQUEST * maxBlockBytes,
    },
    mempool: {
      maxRequestBytes: 4,
      maxChunkBytes: MAX_MEMPOOL_TXIDS * HASH_BYTES,
      maxChunks: 1,
      maxResponseBytes: MAX_MEMPOOL_TXIDS * HASH_BYTES,
    },
    txs: {
      maxRequestBytes: 3 + MAX_TXS_PER_REQUEST * HASH_BYTES,
      maxChunkBytes: maxTxBytes,
      maxChunks: MAX_TXS_PER_REQUEST,
      maxResponseBytes: MAX_TXS_RESPONSE_BYTES + maxTxBytes,
    },
  };
}
