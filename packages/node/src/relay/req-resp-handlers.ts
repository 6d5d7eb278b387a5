import { type ChainState, hashToHex, hexToHash } from "@starling/chain";
import type { Mempool } from "@starling/mempool";
import type { ChainStatusProvider, ReqRespHandlers } from "@starling/network";

/** Reads raw block bytes without decoding and re-encoding (storage's ChainStore.getBlockBytes). */
export interface BlockBytesSource {
  getBlockBytes(hash: string): Promise<Uint8Array | undefined>;
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}

/** The request/response protocols answered from the chain and the mempool. */
export function createReqRespHandlers(
  chain: ChainState,
  blocks: BlockBytesSource,
  mempool: Mempool,
): ReqRespHandlers {
  return {
    getHeaders(locator, stop, max) {
      const stopHex = isZero(stop) ? undefined : hashToHex(stop);
      const headers = chain.headersAfter(
        locator.map(hashToHex),
        stopHex === undefined ? { max } : { stop: stopHex, max },
      );
      return headers.map((h) => h.toBytes());
    },
    async *getBlocks(hashes, context) {
      for (const hash of hashes) {
        if (context.signal.aborted) return;
        const bytes = await blocks.getBlockBytes(hashToHex(hash));
        if (bytes !== undefined) yield bytes;
      }
    },
    getMempoolTxids(max) {
      return mempool
        .txids()
        .slice(0, max)
        .map((txid) => hexToHash(txid));
    },
    getTxs(ids) {
      const out: Uint8Array[] = [];
      for (const id of ids) {
        const tx = mempool.get(hashToHex(id));
        if (tx !== undefined) out.push(tx.toBytes());
      }
      return out;
    },
  };
}

/** The status handshake's view of the tip (kept in memory by the chain, so cheap). */
export function chainStatusProvider(chain: ChainState): ChainStatusProvider {
  return () => {
    const tip = chain.tip;
    return { bestHeight: tip.height, bestHash: hexToHash(tip.hash), chainWork: tip.chainWork };
  };
}
