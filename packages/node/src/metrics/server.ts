import { createServer, type ServerResponse } from "node:http";
import { isIP } from "node:net";
import type { Registry } from "prom-client";
import type { ComponentLogger } from "../logging/component-logger.ts";
import { SILENT_COMPONENT_LOGGER } from "../logging/component-logger.ts";

export interface MetricsServerOptions {
  /** Default 0 (ephemeral); the node passes --metrics-port. */
  readonly port: number;
  /** Default 127.0.0.1. A Prometheus on another host needs an explicit address. */
  readonly host: string;
  readonly registry: Registry;
  readonly logger?: ComponentLogger;
}

export interface MetricsServer {
  /** `http://127.0.0.1:<port>/metrics`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export const MetricsServerErrorCode = {
  ADDRESS_IN_USE: "address-in-use",
  LISTEN_FAILED: "listen-failed",
} as const;
export type MetricsServerErrorCode =
  (typeof MetricsServerErrorCode)[keyof typeof MetricsServerErrorCode];

export class MetricsServerError extends Error {
  override readonly name = "MetricsServerError";
  readonly code: MetricsServerErrorCode;

  constructor(code: MetricsServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Serves `GET /metrics` (and HEAD) in Prometheus text format from the given registry, nothing else. */
export async function startMetricsServer(
  options: Partial<MetricsServerOptions> & Pick<MetricsServerOptions, "registry">,
): Promise<MetricsServer> {
  const host = options.host ?? "127.0.0.1";
  const logger = options.logger ?? SILENT_COMPONENT_LOGGER;
  const { registry } = options;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (path !== "/metrics") return send(res, 404, "text/plain; charset=utf-8", "Not found\n");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      return send(res, 405, "text/plain; charset=utf-8", "Method not allowed\n");
    }
    registry.metrics().then(
      (text) => send(res, 200, registry.contentType, text),
      (err: unknown) => {
        logger.error({ err }, "metrics collection failed");
        send(res, 500, "text/plain; charset=utf-8", "Metrics collection failed\n");
      },
    );
  });
  // Scrapes are short; an idle Prometheus connection need not be kept long.
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      const inUse = err.code === "EADDRINUSE";
      reject(
        new MetricsServerError(
          inUse ? MetricsServerErrorCode.ADDRESS_IN_USE : MetricsServerErrorCode.LISTEN_FAILED,
          `metrics address ${host}:${options.port ?? 0} ${inUse ? "is already in use" : `cannot be bound (${err.message})`}`,
          { cause: err },
        ),
      );
    });
    server.listen({ host, port: options.port ?? 0 }, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  logger.info({ host, port }, "metrics server listening");

  let closed: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}/metrics`,
    port,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
