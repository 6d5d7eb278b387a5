import type { Connection, Libp2p, Stream } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import { lpStream } from "@libp2p/utils";
import { protocolId, REQ_RESP_NAMES, type ReqRespName } from "../constants.ts";
import {
  ProtocolViolationError,
  RemoteError,
  RequestTimeoutError,
  StatusMismatchError,
} from "../errors.ts";
import type { NetworkLogger, NetworkMetrics } from "../metrics.ts";
import type { PenaltyReason } from "../peers/penalties.ts";
import { deadlineSignal } from "../util/signals.ts";
import { chunkFrame, decodeFrame, endFrame, errorFrame, FRAME_OVERHEAD } from "./frames.ts";
import type { InboundHandler } from "./inbound-handlers.ts";
import type { ProtocolLimits } from "./limits.ts";
import type { RateLimiter } from "./rate-limiter.ts";

/** Room for the length prefixes and frame bytes around a response's payload. */
const BUFFER_SLACK = 64 * 1024;

export interface ReqRespDeps {
  libp2p: Pick<Libp2p, "handle" | "unhandle" | "dialProtocol">;
  network: string;
  limits: Record<ReqRespName, ProtocolLimits>;
  inbound: Record<ReqRespName, InboundHandler>;
  rateLimiter: RateLimiter;
  requestTimeoutMs: number;
  maxInboundStreams: number;
  penalize(peer: string, reason: PenaltyReason): void;
  /** Called after answering WRONG_NETWORK. */
  disconnect(peer: string, reason: string): void;
  metrics: NetworkMetrics;
  logger: NetworkLogger;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the default deadline for this request. */
  timeoutMs?: number;
}

/** Errors of lpStream that mean "the length prefix announced too much": a hostile frame. */
const OVERSIZED_FRAME_ERRORS = new Set([
  "InvalidDataLengthError",
  "InvalidDataLengthLengthError",
  "InvalidMessageLengthError",
  "StreamBufferError",
]);

/**
 * The request/response engine. One stream per request: the requester writes one length-prefixed
 * request frame and closes its side; the responder answers with CHUNK frames and an END (or one
 * ERROR), then closes. Both sides bound every frame (lpStream's maxDataLength), every whole answer
 * and every wait (an AbortSignal deadline), and the responder takes tokens from the requester's
 * bucket before doing any work.
 */
export class ReqResp {
  private readonly deps: ReqRespDeps;
  private readonly protocols: Record<ReqRespName, string>;

  constructor(deps: ReqRespDeps) {
    this.deps = deps;
    this.protocols = Object.fromEntries(
      REQ_RESP_NAMES.map((name) => [name, protocolId(deps.network, name)]),
    ) as Record<ReqRespName, string>;
  }

  protocol(name: ReqRespName): string {
    return this.protocols[name];
  }

  async start(): Promise<void> {
    for (const name of REQ_RESP_NAMES) {
      await this.deps.libp2p.handle(
        this.protocols[name],
        (stream, connection) => this.onInbound(name, stream, connection),
        { maxInboundStreams: this.deps.maxInboundStreams },
      );
    }
  }

  async stop(): Promise<void> {
    await this.deps.libp2p.unhandle(Object.values(this.protocols));
  }

  /**
   * Sends one request and yields the CHUNK payloads of the answer. Throws RequestTimeoutError past
   * the deadline, RemoteError for an ERROR frame, ProtocolViolationError for a malformed answer (and
   * penalises the peer), or the caller's abort reason when the caller's signal fires.
   */
  async *request(
    peer: string,
    name: ReqRespName,
    payload: Uint8Array,
    options: RequestOptions = {},
  ): AsyncGenerator<Uint8Array, void, undefined> {
    const { deps } = this;
    const protocol = this.protocols[name];
    const limits = deps.limits[name];
    const timeoutMs = options.timeoutMs ?? deps.requestTimeoutMs;
    const { signal, timedOut } = deadlineSignal(timeoutMs, options.signal);
    const started = performance.now();
    let stream: Stream | undefined;
    let complete = false;
    let result = "ok";
    try {
      stream = await deps.libp2p.dialProtocol(peerIdFromString(peer), protocol, { signal });
      const lp = lpStream(stream, {
        maxDataLength: limits.maxChunkBytes + FRAME_OVERHEAD,
        maxBufferSize: limits.maxResponseBytes + BUFFER_SLACK,
      });
      await lp.write(payload, { signal });
      await stream.close({ signal });
      let chunks = 0;
      let bytes = 0;
      while (true) {
        const frame = decodeFrame((await lp.read({ signal })).subarray());
        if (frame.type === "end") break;
        if (frame.type === "error") throw new RemoteError(peer, protocol, frame.code, frame.reason);
        chunks++;
        bytes += frame.payload.length;
        if (chunks > limits.maxChunks || bytes > limits.maxResponseBytes) {
          throw new ProtocolViolationError(
            peer,
            protocol,
            `answer exceeds ${chunks} chunks / ${bytes} bytes`,
          );
        }
        yield frame.payload;
      }
      complete = true;
    } catch (err) {
      const mapped = this.mapRequestError(
        err,
        peer,
        protocol,
        timeoutMs,
        timedOut(),
        options.signal,
      );
      result = mapped.name;
      stream?.abort(mapped);
      throw mapped;
    } finally {
      // A consumer that stops iterating early leaves the answer unread: reset the stream.
      if (!complete && stream !== undefined && stream.status === "open") {
        stream.abort(new Error("request abandoned"));
        if (result === "ok") result = "abandoned";
      }
      deps.metrics.reqRespRequests?.inc({ protocol: name, direction: "outbound", result });
      deps.metrics.reqRespSeconds?.observe(
        { protocol: name },
        (performance.now() - started) / 1000,
      );
    }
  }

  private mapRequestError(
    err: unknown,
    peer: string,
    protocol: string,
    timeoutMs: number,
    timedOut: boolean,
    callerSignal: AbortSignal | undefined,
  ): Error {
    if (callerSignal?.aborted === true) {
      return callerSignal.reason instanceof Error
        ? callerSignal.reason
        : new Error(String(callerSignal.reason));
    }
    if (timedOut) {
      this.deps.penalize(peer, "request-timeout");
      return new RequestTimeoutError(peer, protocol, timeoutMs);
    }
    if (err instanceof RemoteError || err instanceof ProtocolViolationError) {
      if (err instanceof ProtocolViolationError) this.deps.penalize(peer, "bad-response");
      return err;
    }
    const name = (err as { name?: unknown } | null)?.name;
    if (name === "DecodeError" || (typeof name === "string" && OVERSIZED_FRAME_ERRORS.has(name))) {
      this.deps.penalize(peer, "bad-response");
      return new ProtocolViolationError(peer, protocol, String((err as Error).message), err);
    }
    if (name === "UnexpectedEOFError") {
      // The peer closed mid-answer: a crash looks the same as malice, so no penalty.
      return new ProtocolViolationError(peer, protocol, "stream closed before END", err);
    }
    return err instanceof Error ? err : new Error(String(err));
  }

  private async onInbound(
    name: ReqRespName,
    stream: Stream,
    connection: Connection,
  ): Promise<void> {
    const { deps } = this;
    const peer = connection.remotePeer.toString();
    const limits = deps.limits[name];
    const handler = deps.inbound[name];
    const { signal } = deadlineSignal(deps.requestTimeoutMs);
    const lp = lpStream(stream, {
      maxDataLength: limits.maxRequestBytes,
      maxBufferSize: limits.maxRequestBytes + BUFFER_SLACK,
    });
    let result = "ok";
    try {
      const raw = (await lp.read({ signal })).subarray();
      let request: unknown;
      try {
        request = handler.decode(raw);
      } catch (err) {
        result = "malformed";
        deps.penalize(peer, "malformed-request");
        await lp.write(errorFrame("INVALID_REQUEST", String((err as Error).message)), { signal });
        await stream.close({ signal });
        return;
      }
      if (!deps.rateLimiter.allow(peer, name, handler.cost(request))) {
        result = "rate-limited";
        deps.metrics.reqRespRateLimited?.inc({ protocol: name });
        deps.penalize(peer, "rate-limited");
        await lp.write(errorFrame("RATE_LIMITED"), { signal });
        await stream.close({ signal });
        return;
      }
      try {
        for await (const chunk of handler.respond(request, { peer, signal })) {
          await lp.write(chunkFrame(chunk), { signal });
        }
      } catch (err) {
        if (err instanceof StatusMismatchError) {
          result = "wrong-network";
          await lp.write(errorFrame("WRONG_NETWORK", err.message), { signal });
          await stream.close({ signal });
          deps.disconnect(peer, err.message);
          return;
        }
        if (signal.aborted) throw err;
        result = "server-error";
        deps.logger.warn({ err, peer, protocol: name }, "req/resp handler failed");
        await lp.write(errorFrame("SERVER_ERROR"), { signal });
        await stream.close({ signal });
        return;
      }
      await lp.write(endFrame(), { signal });
      await stream.close({ signal });
    } catch (err) {
      const errName = (err as { name?: unknown } | null)?.name;
      if (typeof errName === "string" && OVERSIZED_FRAME_ERRORS.has(errName)) {
        result = "oversized-frame";
        deps.penalize(peer, "oversized-frame");
      } else if (signal.aborted) {
        result = "timeout";
      } else if (result === "ok") {
        result = typeof errName === "string" ? errName : "error";
      }
      // Reset: the peer sees the stream fail instead of a half answer.
      stream.abort(err instanceof Error ? err : new Error(String(err)));
    } finally {
      deps.metrics.reqRespRequests?.inc({ protocol: name, direction: "inbound", result });
    }
  }
}
