import { once } from "node:events";
import { createServer, type ServerResponse } from "node:http";
import type { Observatory } from "./observatory.ts";
import { renderPage } from "./page.ts";
import { computeReport } from "./report.ts";
import { buildViewData } from "./view-data.ts";

export interface DashboardOptions {
  readonly observatory: Observatory;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Anything the embedding program wants shown (sent as `extra` in /api/state). */
  readonly extraStatus?: () => unknown;
}

export interface Dashboard {
  readonly url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
    "content-security-policy":
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'",
  });
  res.end(body);
}

/**
 * The live dashboard on loopback: GET / is the same page as propagation.html, polling
 * GET /api/state (fresh view data) every second.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const state = () => {
    const snapshot = options.observatory.snapshot();
    return buildViewData(computeReport(snapshot), snapshot, options.extraStatus?.());
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "GET") return send(res, 405, "text/plain", "method not allowed\n");
    try {
      if (path === "/api/state") return send(res, 200, "application/json", JSON.stringify(state()));
      if (path === "/") {
        const page = renderPage({
          title: "Starling propagation — live",
          data: state(),
          liveEndpoint: "/api/state",
        });
        return send(res, 200, "text/html; charset=utf-8", page);
      }
      // Browsers ask for an icon on their own; there is none.
      if (path === "/favicon.ico") return send(res, 204, "image/x-icon", "");
      send(res, 404, "text/plain", "not found\n");
    } catch (err) {
      send(res, 500, "text/plain", `${err instanceof Error ? err.message : String(err)}\n`);
    }
  });
  server.listen(options.port ?? 0, options.host ?? "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("dashboard has no port");
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}
