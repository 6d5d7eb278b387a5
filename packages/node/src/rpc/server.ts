import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isIP } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { ComponentLogger } from "../logging/component-logger.ts";
import { SILENT_COMPONENT_LOGGER } from "../logging/component-logger.ts";
import { type RpcAuthenticator, WWW_AUTHENTICATE } from "./auth.ts";
import type { RpcDispatcher } from "./dispatcher.ts";
import { RpcErrorCode, RpcServerError, RpcServerErrorCode } from "./errors.ts";
import {
  DEFAULT_RPC_SERVER_OPTIONS,
  type JsonValue,
  type RpcServerOptions,
  stringifyRpcJson,
} from "./types.ts";

export interface RpcServerComponents {
  readonly dispatcher: RpcDispatcher;
  readonly authenticator: RpcAuthenticator;
  readonly logger?: ComponentLogger;
}

export interface RpcServer {
  /** `http://127.0.0.1:8332/`, with the port actually bound. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Stops accepting, lets in-flight calls finish (up to closeGraceMs), then cuts connections. */
  close(): Promise<void>;
}

/** Whether an address only accepts local connections. */
export function isLoopbackHost(host: string): boolean {
  if (host === "localhost") return true;
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return bare === "::1" || /^::ffff:127\./i.test(bare);
  return false;
}

/**
 * Bitcoin Core's JSON-RPC HTTP endpoint (httpserver.cpp, httprpc.cpp) on node:http: POST to `/`
 * or `/wallet/<name>`, HTTP Basic auth, JSON-RPC 1.0/2.0 and batches. See docs/rpc.md.
 */
export async function startRpcServer(
  options: Partial<RpcServerOptions>,
  components: RpcServerComponents,
): Promise<RpcServer> {
  const opts: RpcServerOptions = { ...DEFAULT_RPC_SERVER_OPTIONS, ...options };
  const logger = components.logger ?? SILENT_COMPONENT_LOGGER;
  if (!isLoopbackHost(opts.host)) {
    if (!opts.allowPublicBind) {
      throw new RpcServerError(
        RpcServerErrorCode.PUBLIC_BIND_REFUSED,
        `refusing to bind RPC to ${opts.host}: it is not a loopback address (allow it explicitly)`,
      );
    }
    logger.warn(
      { host: opts.host },
      "RPC bound to a non-loopback address: anyone who can reach it may try the credentials",
    );
  }

  const closing = new AbortController();
  let inFlight = 0;
  let drained: (() => void) | null = null;

  const server = createServer(
    {
      requestTimeout: opts.requestTimeoutMs,
      keepAliveTimeout: opts.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(30_000, Math.max(100, opts.requestTimeoutMs)),
    },
    (req, res) => {
      inFlight++;
      serve(req, res)
        .catch((err: unknown) => {
          if (req.destroyed || res.destroyed) {
            logger.debug({ err }, "RPC client went away");
            return;
          }
          logger.error({ err }, "RPC request failed");
          if (!res.headersSent) sendText(res, 500, "Internal error");
          else res.destroy();
        })
        .finally(() => {
          inFlight--;
          if (inFlight === 0) drained?.();
        });
    },
  );

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const wallet = walletFromPath(req.url ?? "/");
    if (wallet === undefined) return sendText(res, 404, "Not found");
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      return sendText(res, 405, "JSONRPC server handles only POST requests");
    }
    const peer = `${req.socket.remoteAddress ?? "?"}:${req.socket.remotePort ?? "?"}`;
    const header = req.headers.authorization;
    if (header === undefined) return sendUnauthorized(res);
    const user = components.authenticator.check(header);
    if (user === null) {
      logger.warn({ peer }, "RPC: incorrect password attempt");
      // Deters guessing without blocking the event loop (Core sleeps its worker thread).
      await sleep(opts.authFailureDelayMs);
      return sendUnauthorized(res);
    }
    if (inFlight > opts.maxInFlight) return sendText(res, 503, "Work queue depth exceeded");

    const body = await readBody(req, opts.maxBodyBytes);
    if (body === null) {
      res.setHeader("Connection", "close");
      return sendText(res, 413, "Request body too large");
    }
    let payload: JsonValue;
    try {
      payload = JSON.parse(body) as JsonValue;
    } catch {
      const error = { code: RpcErrorCode.PARSE_ERROR, message: "Parse error" };
      return sendJson(res, 500, { result: null, error, id: null });
    }

    const gone = new AbortController();
    res.once("close", () => {
      if (!res.writableFinished) gone.abort(new Error("client closed the connection"));
    });
    const signal = AbortSignal.any([gone.signal, closing.signal]);
    const answer = await components.dispatcher.handle(payload, { user, peer, wallet, signal });
    if (res.destroyed) return;
    if (answer.body === undefined) {
      res.writeHead(answer.status).end();
      return;
    }
    let text: string;
    try {
      text = stringifyRpcJson(answer.body);
    } catch (err) {
      // A method returned something JSON cannot hold (a cycle): a bug, answered as Core's -32603.
      logger.error({ err }, "RPC result is not serializable");
      const error = { code: RpcErrorCode.INTERNAL_ERROR, message: "Result is not serializable" };
      return sendJson(res, 500, { result: null, error, id: null });
    }
    sendJsonText(res, answer.status, text);
  }

  await listen(server, opts.host, opts.port);
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : opts.port;
  const urlHost = isIP(opts.host) === 6 ? `[${opts.host}]` : opts.host;
  logger.info({ host: opts.host, port }, "RPC server listening");

  let closed: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}/`,
    host: opts.host,
    port,
    close: () => {
      closed ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inFlight > 0) {
          const idle = new Promise<void>((resolve) => {
            drained = resolve;
          });
          await Promise.race([idle, sleep(opts.closeGraceMs, undefined, { ref: false })]);
        }
        closing.abort(new Error("RPC server closing"));
        server.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
}

/** `/` → null (no wallet), `/wallet/<name>` → the name, anything else → undefined (404). */
function walletFromPath(rawUrl: string): string | null | undefined {
  const path = rawUrl.split("?", 1)[0] ?? "";
  if (path === "/") return null;
  if (!path.startsWith("/wallet/")) return undefined;
  try {
    return decodeURIComponent(path.slice("/wallet/".length));
  } catch {
    return undefined;
  }
}

/**
 * The body as text, or null when it is larger than `max` bytes. Past the limit the rest is read
 * and dropped rather than the stream destroyed, which would cut the socket before the 413 goes out.
 */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > max) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      req.resume();
      resolve(null);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size).toString("utf8"));
    };
    // Stays attached: an error after the limit must not go unhandled (a settled promise ignores it).
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off("data", onData).off("end", onEnd);
    };
    req.on("data", onData).on("end", onEnd).on("error", onError);
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      const code =
        err.code === "EADDRINUSE"
          ? RpcServerErrorCode.ADDRESS_IN_USE
          : RpcServerErrorCode.LISTEN_FAILED;
      const what =
        err.code === "EADDRINUSE" ? "is already in use" : `cannot be bound (${err.message})`;
      reject(new RpcServerError(code, `RPC address ${host}:${port} ${what}`, { cause: err }));
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen({ host, port });
  });
}

function sendUnauthorized(res: ServerResponse): void {
  res.setHeader("WWW-Authenticate", WWW_AUTHENTICATE);
  sendText(res, 401, "");
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonText(res, status, stringifyRpcJson(body));
}

function sendJsonText(res: ServerResponse, status: number, json: string): void {
  const text = `${json}\n`;
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}
