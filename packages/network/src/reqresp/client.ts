import { equalBytes, hashToHex, sha256d } from "@starling/chain";
import {
  HASH_BYTES,
  HEADER_BYTES,
  MAX_BLOCKS_PER_REQUEST,
  MAX_HEADERS_PER_REQUEST,
  MAX_LOCATOR_HASHES,
  MAX_MEMPOOL_TXIDS,
  MAX_TXS_PER_REQUEST,
  type ReqRespName,
} from "../constants.ts";
import { InvalidRequestError, ProtocolViolationError } from "../errors.ts";
import type { PenaltyReason } from "../peers/penalties.ts";
import type { PeerStatus } from "../types.ts";
import {
  decodeHeaders,
  decodeStatus,
  decodeTxids,
  encodeHashList,
  encodeHeadersRequest,
  encodeMempoolRequest,
  encodeStatus,
} from "./codec.ts";
import type { ReqResp, RequestOptions } from "./req-resp.ts";

/**
 * Typed requests over the engine, each checking the answer against the question: headers come in
 * 80-byte units and no more than asked; blocks and transactions must be ones that were asked for, in
 * the order asked, each at most once. A peer whose answer fails these checks is penalised and the
 * call throws ProtocolViolationError.
 */
export class ReqRespClient {
  private readonly engine: ReqResp;
  private readonly penalize: (peer: string, reason: PenaltyReason) => void;

  constructor(engine: ReqResp, penalize: (peer: string, reason: PenaltyReason) => void) {
    this.engine = engine;
    this.penalize = penalize;
  }

  async status(peer: string, local: PeerStatus, options?: RequestOptions): Promise<PeerStatus> {
    const chunks = await this.collect(peer, "status", encodeStatus(local), options);
    return this.decodeSingle(peer, "status", chunks, decodeStatus);
  }

  /** Headers after the locator's fork point, up to `stop` (zeros: no stop), at most `max`. */
  async headers(
    peer: string,
    locator: readonly Uint8Array[],
    stop: Uint8Array,
    max: number = MAX_HEADERS_PER_REQUEST,
    options?: RequestOptions,
  ): Promise<Uint8Array[]> {
    if (locator.length > MAX_LOCATOR_HASHES) {
      throw new InvalidRequestError(`at most ${MAX_LOCATOR_HASHES} locator hashes`);
    }
    if (!Number.isInteger(max) || max < 1 || max > MAX_HEADERS_PER_REQUEST) {
      throw new InvalidRequestError(`max headers must be 1..${MAX_HEADERS_PER_REQUEST}`);
    }
    checkHashes([...locator, stop]);
    const request = encodeHeadersRequest({ locator: [...locator], stop, max });
    const chunks = await this.collect(peer, "headers", request, options);
    return this.decodeSingle(peer, "headers", chunks, (bytes) => decodeHeaders(bytes, max));
  }

  /** Blocks by hash (internal byte order), streamed as they arrive; unknown ones are left out. */
  async *blocks(
    peer: string,
    hashes: readonly Uint8Array[],
    options?: RequestOptions,
  ): AsyncGenerator<Uint8Array, void, undefined> {
    if (hashes.length === 0 || hashes.length > MAX_BLOCKS_PER_REQUEST) {
      throw new InvalidRequestError(`ask for 1..${MAX_BLOCKS_PER_REQUEST} blocks`);
    }
    checkHashes(hashes);
    const expect = new InOrderMatcher(hashes);
    for await (const block of this.engine.request(
      peer,
      "blocks",
      encodeHashList(hashes),
      options,
    )) {
      const hash = block.length >= HEADER_BYTES ? sha256d(block.subarray(0, HEADER_BYTES)) : null;
      if (hash === null || !expect.take(hash)) {
        this.penalize(peer, "bad-response");
        throw new ProtocolViolationError(
          peer,
          this.engine.protocol("blocks"),
          hash === null ? "block shorter than a header" : `unrequested block ${hashToHex(hash)}`,
        );
      }
      yield block;
    }
  }

  async mempoolTxids(
    peer: string,
    max: number = MAX_MEMPOOL_TXIDS,
    options?: RequestOptions,
  ): Promise<Uint8Array[]> {
    if (!Number.isInteger(max) || max < 1 || max > MAX_MEMPOOL_TXIDS) {
      throw new InvalidRequestError(`max txids must be 1..${MAX_MEMPOOL_TXIDS}`);
    }
    const chunks = await this.collect(peer, "mempool", encodeMempoolRequest(max), options);
    return this.decodeSingle(peer, "mempool", chunks, (bytes) => decodeTxids(bytes, max));
  }

  async txs(
    peer: string,
    ids: readonly Uint8Array[],
    options?: RequestOptions,
  ): Promise<Uint8Array[]> {
    if (ids.length === 0 || ids.length > MAX_TXS_PER_REQUEST) {
      throw new InvalidRequestError(`ask for 1..${MAX_TXS_PER_REQUEST} transactions`);
    }
    checkHashes(ids);
    const expect = new InOrderMatcher(ids);
    const out: Uint8Array[] = [];
    for await (const tx of this.engine.request(peer, "txs", encodeHashList(ids), options)) {
      const txid = sha256d(tx);
      if (!expect.take(txid)) {
        this.penalize(peer, "bad-response");
        throw new ProtocolViolationError(
          peer,
          this.engine.protocol("txs"),
          `unrequested tx ${hashToHex(txid)}`,
        );
      }
      out.push(tx);
    }
    return out;
  }

  private async collect(
    peer: string,
    name: ReqRespName,
    request: Uint8Array,
    options: RequestOptions | undefined,
  ): Promise<Uint8Array[]> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.engine.request(peer, name, request, options)) chunks.push(chunk);
    return chunks;
  }

  private decodeSingle<T>(
    peer: string,
    name: ReqRespName,
    chunks: Uint8Array[],
    decode: (bytes: Uint8Array) => T,
  ): T {
    const protocol = this.engine.protocol(name);
    if (chunks.length !== 1) {
      this.penalize(peer, "bad-response");
      throw new ProtocolViolationError(peer, protocol, `${chunks.length} chunks, expected 1`);
    }
    try {
      return decode(chunks[0]!);
    } catch (err) {
      this.penalize(peer, "bad-response");
      throw new ProtocolViolationError(peer, protocol, String((err as Error).message), err);
    }
  }
}

function checkHashes(hashes: readonly Uint8Array[]): void {
  for (const h of hashes) {
    if (!(h instanceof Uint8Array) || h.length !== HASH_BYTES) {
      throw new InvalidRequestError("hashes must be 32-byte Uint8Arrays (internal byte order)");
    }
  }
}

/** Accepts each asked-for hash at most once, in the order asked (skips allowed). */
class InOrderMatcher {
  private readonly wanted: readonly Uint8Array[];
  private next = 0;

  constructor(wanted: readonly Uint8Array[]) {
    this.wanted = wanted;
  }

  take(hash: Uint8Array): boolean {
    for (let i = this.next; i < this.wanted.length; i++) {
      if (equalBytes(this.wanted[i]!, hash)) {
        this.next = i + 1;
        return true;
      }
    }
    return false;
  }
}
