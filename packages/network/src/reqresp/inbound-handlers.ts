import { HEADER_BYTES, MAX_TXS_RESPONSE_BYTES, type ReqRespName } from "../constants.ts";
import type { HandlerContext, PeerStatus, ReqRespHandlers } from "../types.ts";
import {
  decodeBlocksRequest,
  decodeHeadersRequest,
  decodeMempoolRequest,
  decodeStatus,
  decodeTxsRequest,
  encodeHeaders,
  encodeStatus,
  encodeTxids,
} from "./codec.ts";

/** How one protocol answers: decode the request, price it, stream the answer's chunks. */
export interface InboundHandler<Req = unknown> {
  decode(bytes: Uint8Array): Req;
  /** Tokens the request takes from the peer's bucket. */
  cost(request: Req): number;
  respond(request: Req, context: HandlerContext): AsyncIterable<Uint8Array>;
}

export interface InboundHandlersInit {
  handlers: ReqRespHandlers;
  /**
   * Checks the status a peer sent and returns ours; throws StatusMismatchError for a peer on another
   * network or genesis (answered with WRONG_NETWORK, then disconnected).
   */
  onStatus(peer: string, status: PeerStatus): PeerStatus;
  maxBlockBytes: number;
  maxTxBytes: number;
}

export function createInboundHandlers(
  init: InboundHandlersInit,
): Record<ReqRespName, InboundHandler> {
  const { handlers } = init;
  const status: InboundHandler<PeerStatus> = {
    decode: decodeStatus,
    cost: () => 1,
    async *respond(remote, context) {
      yield encodeStatus(init.onStatus(context.peer, remote));
    },
  };
  const headers: InboundHandler<ReturnType<typeof decodeHeadersRequest>> = {
    decode: decodeHeadersRequest,
    cost: () => 1,
    async *respond(req, context) {
      const found = await handlers.getHeaders(req.locator, req.stop, req.max, context);
      const list = found.slice(0, req.max);
      if (list.some((h) => h.length !== HEADER_BYTES)) {
        throw new RangeError("getHeaders returned a header that is not 80 bytes");
      }
      yield encodeHeaders(list);
    },
  };
  const blocks: InboundHandler<Uint8Array[]> = {
    decode: decodeBlocksRequest,
    cost: (hashes) => hashes.length,
    async *respond(hashes, context) {
      let sent = 0;
      const result = handlers.getBlocks(hashes, context);
      const blocks = Symbol.asyncIterator in result ? result : await result;
      for await (const block of blocks) {
        if (sent >= hashes.length) break;
        if (block.length > init.maxBlockBytes)
          throw new RangeError("getBlocks returned an oversized block");
        sent++;
        yield block;
      }
    },
  };
  const mempool: InboundHandler<number> = {
    decode: decodeMempoolRequest,
    cost: () => 1,
    async *respond(max, context) {
      const txids = await handlers.getMempoolTxids(max, context);
      yield encodeTxids(txids.slice(0, max));
    },
  };
  const txs: InboundHandler<Uint8Array[]> = {
    decode: decodeTxsRequest,
    cost: (ids) => ids.length,
    async *respond(ids, context) {
      const found = await handlers.getTxs(ids, context);
      let bytes = 0;
      for (const tx of found.slice(0, ids.length)) {
        if (tx.length > init.maxTxBytes) continue;
        bytes += tx.length;
        // Stop early rather than exceed the response limit; the requester asks again for the rest.
        if (bytes > MAX_TXS_RESPONSE_BYTES) break;
        yield tx;
      }
    },
  };
  return {
    status: status as InboundHandler,
    headers: headers as InboundHandler,
    blocks: blocks as InboundHandler,
    mempool: mempool as InboundHandler,
    txs: txs as InboundHandler,
  };
}
