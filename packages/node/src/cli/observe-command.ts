import {
  computeReport,
  createObservatory,
  type ObservedNode,
  type PropagationReport,
  startDashboard,
  writeReportFiles,
} from "@starling/observatory";
import type { Command } from "commander";
import { callRpc, type RpcClientAuth } from "../rpc/client.ts";
import { ConfigError } from "./config.ts";
import { describeError } from "./errors.ts";

/** One node's answer must come within this, or the node counts as unreachable for that poll. */
const OBSERVE_RPC_TIMEOUT_MS = 10_000;

export interface ObserveFlags {
  readonly rpc: readonly string[];
  readonly rpcUser?: string;
  readonly rpcPassword?: string;
  readonly rpcCookie?: string;
  readonly duration?: string;
  readonly out?: string;
  readonly dashboardPort?: string;
  readonly pollInterval?: string;
}

/**
 * An observed node from an RPC URL; `http://user:password@host:port/` carries its own
 * credentials, else `auth` applies. The node is named by the URL's host:port.
 */
export function observedNodeFromUrl(raw: string, auth: RpcClientAuth | null): ObservedNode {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new ConfigError(`--rpc ${raw} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(`--rpc ${raw}: only http and https URLs`);
  }
  let credentials = auth;
  if (url.username !== "") {
    credentials = {
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
    };
    url.username = "";
    url.password = "";
  }
  if (credentials === null) {
    throw new ConfigError(
      `no RPC credentials for ${url.host}: put user:password@ in the URL, or give --rpc-user and --rpc-password, or --rpc-cookie`,
    );
  }
  const target = url.href;
  const useAuth = credentials;
  return {
    name: url.host,
    call: (method, params = [], signal) =>
      callRpc(target, useAuth, method, params, {
        timeoutMs: OBSERVE_RPC_TIMEOUT_MS,
        ...(signal === undefined ? {} : { signal }),
      }),
  };
}

function positiveNumber(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new ConfigError(`${flag} must be a number >= 0`);
  return n;
}

function ms(value: number | null): string {
  return value === null ? "–" : `${Math.round(value)}ms`;
}

/** One line: nodes up, heights, blocks and transactions with their delays and coverage. */
export function observeSummaryLine(
  report: PropagationReport,
  up: number,
  heights: number[],
): string {
  const b = report.summary.blocks;
  const t = report.summary.txs;
  const cov = (c: number | null) => (c === null ? "–" : `${Math.round(c * 100)}%`);
  const range =
    heights.length === 0
      ? "–"
      : Math.min(...heights) === Math.max(...heights)
        ? String(heights[0])
        : `${Math.min(...heights)}–${Math.max(...heights)}`;
  return (
    `nodes ${up}/${report.nodes.length} up · height ${range} · ` +
    `blocks ${b.count} (p50 ${ms(b.p50Ms)} p90 ${ms(b.p90Ms)} cov ${cov(b.coverage)}) · ` +
    `txs ${t.count} (p50 ${ms(t.p50Ms)} p90 ${ms(t.p90Ms)} cov ${cov(t.coverage)}) · ` +
    `orphans ${Math.round(report.summary.orphanRate * 100)}% · reorgs ${report.summary.reorgs}`
  );
}

function defaultOutDir(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");
  return `observe-${stamp}`;
}

/** The `observe` command's run: watch until the duration ends or `stop` aborts, then write. */
export async function runObserve(
  flags: ObserveFlags,
  io: { readonly out: NodeJS.WriteStream; readonly stop: AbortSignal },
): Promise<{ json: string; md: string; html: string; raw: string }> {
  if (flags.rpc.length === 0) throw new ConfigError("give at least one --rpc <url>");
  let auth: RpcClientAuth | null = null;
  if (flags.rpcCookie !== undefined) auth = { cookieFile: flags.rpcCookie };
  else if (flags.rpcUser !== undefined && flags.rpcPassword !== undefined) {
    auth = { user: flags.rpcUser, password: flags.rpcPassword };
  } else if (flags.rpcUser !== undefined || flags.rpcPassword !== undefined) {
    throw new ConfigError("--rpc-user and --rpc-password go together");
  }
  const nodes = flags.rpc.map((url) => observedNodeFromUrl(url, auth));
  const durationS = positiveNumber(flags.duration, "--duration");
  const pollIntervalMs = positiveNumber(flags.pollInterval, "--poll-interval") ?? 1000;
  const port = positiveNumber(flags.dashboardPort, "--dashboard-port") ?? 0;
  const outDir = flags.out ?? defaultOutDir(new Date());

  let observatory: ReturnType<typeof createObservatory>;
  try {
    observatory = createObservatory({ nodes, pollIntervalMs });
  } catch (err) {
    throw new ConfigError(describeError(err));
  }
  const dashboard = await startDashboard({ observatory, port });
  const tty = io.out.isTTY === true;
  io.out.write(`observing ${nodes.map((n) => n.name).join(", ")}\ndashboard: ${dashboard.url}\n`);
  const wasReachable = new Map<string, boolean>();
  const onUpdate = (): void => {
    const snapshot = observatory.snapshot();
    const notes: string[] = [];
    for (const node of snapshot.nodes) {
      if (wasReachable.get(node.name) === node.reachable) continue;
      if (node.reachable) notes.push(`${node.name} is up (peer ${node.peerId ?? "?"})`);
      else notes.push(`${node.name} is unreachable: ${node.lastError ?? "no answer"}`);
      wasReachable.set(node.name, node.reachable);
    }
    const up = snapshot.nodes.filter((n) => n.reachable);
    const heights = up.flatMap((n) => (n.height === null ? [] : [n.height]));
    const line = observeSummaryLine(computeReport(snapshot), up.length, heights);
    const stamp = new Date().toISOString();
    if (tty) {
      // Changes scroll up as lines of their own; the summary stays on the last line.
      for (const note of notes) io.out.write(`\r\u001b[2K${stamp} ${note}\n`);
      // Cut to the terminal's width so that the line never wraps (a wrapped line cannot be redrawn).
      const columns = io.out.columns ?? 0;
      io.out.write(`\r\u001b[2K${columns > 20 ? line.slice(0, columns - 1) : line}`);
    } else {
      for (const note of notes) io.out.write(`${stamp} ${note}\n`);
      io.out.write(`${stamp} ${line}\n`);
    }
  };
  observatory.addEventListener("update", onUpdate);
  observatory.start();

  await new Promise<void>((resolve) => {
    const timer =
      durationS === undefined ? undefined : setTimeout(done, Math.round(durationS * 1000));
    function done(): void {
      clearTimeout(timer);
      io.stop.removeEventListener("abort", done);
      resolve();
    }
    if (io.stop.aborted) done();
    else io.stop.addEventListener("abort", done, { once: true });
  });

  observatory.removeEventListener("update", onUpdate);
  if (tty) io.out.write("\n");
  await observatory.stop();
  await dashboard.close();
  const paths = await writeReportFiles(outDir, observatory);
  io.out.write(`wrote ${paths.json}, ${paths.md}, ${paths.html}, ${paths.raw}\n`);
  return paths;
}

export function addObserveCommand(program: Command): void {
  program
    .command("observe")
    .description(
      "watch how blocks and transactions propagate among a set of nodes (their JSON-RPC), with a live dashboard and report files",
    )
    .requiredOption(
      "--rpc <url...>",
      "each node's RPC URL, e.g. http://user:pass@10.0.0.2:7732/ (name: host:port)",
    )
    .option("--rpc-user <user>", "RPC user for URLs without credentials")
    .option("--rpc-password <password>", "RPC password for URLs without credentials")
    .option("--rpc-cookie <file>", "a node's .cookie file, for URLs without credentials")
    .option("--duration <s>", "stop after this many seconds (default: until Ctrl-C)")
    .option("--out <dir>", "where to write report.json, report.md, propagation.html, raw.json")
    .option("--dashboard-port <port>", "the live dashboard's port on 127.0.0.1 (default any)")
    .option("--poll-interval <ms>", "time between polls (default 1000)")
    .action(async (flags: ObserveFlags) => {
      const stop = new AbortController();
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        signals++;
        if (signals > 1) {
          process.stderr.write(`starling: second ${signal}, exiting now\n`);
          process.exit(130);
        }
        stop.abort();
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      try {
        await runObserve(flags, { out: process.stdout, stop: stop.signal });
      } catch (err) {
        process.stderr.write(`starling: ${describeError(err)}\n`);
        process.exit(1);
      }
      process.exit(0);
    });
}
