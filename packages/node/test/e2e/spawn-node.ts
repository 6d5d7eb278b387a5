import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { callRpc } from "../../src/rpc/client.ts";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
export const STARLING_ENTRY = `${repoRoot}packages/node/src/bin/starling.ts`;

export interface SpawnedNode {
  readonly child: ChildProcess;
  readonly rpcUrl: string;
  readonly datadir: string;
  rpc(method: string, params?: readonly unknown[]): Promise<unknown>;
  /** stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `starling node` arguments for a test node: loopback only, ephemeral ports, no DHT. */
export function loopbackNodeArgs(network: string, datadir: string): string[] {
  return [
    "node",
    "--network",
    network,
    "--datadir",
    datadir,
    "--rpc-port",
    "0",
    "--metrics-port",
    "0",
    "--listen",
    "/ip4/127.0.0.1/tcp/0",
    "--no-dht",
  ];
}

/** The CLI's node in a child process, on loopback, free ports; resolves once it logs "node started". */
export async function spawnNode(
  datadir: string,
  extra: readonly string[] = [],
  timeoutMs = 60_000,
): Promise<SpawnedNode> {
  const child = spawn(
    process.execPath,
    [
      STARLING_ENTRY,
      ...loopbackNodeArgs("regtest", datadir),
      "--log-format",
      "json",
      "--verify-threads",
      "1",
      "--miner-threads",
      "1",
      ...extra,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, STARLING_TEST: "1" } },
  );
  let err = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    err += d;
  });
  const exited = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const lines = createInterface({ input: child.stdout! });
  const started = new Promise<string>((resolve, reject) => {
    lines.on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; rpc?: string };
        if (entry.msg === "node started" && entry.rpc !== undefined) resolve(entry.rpc);
      } catch {
        // not a log line
      }
    });
    void exited.then((e) =>
      reject(new Error(`node exited (${e.code ?? e.signal}) before starting: ${err}`)),
    );
  });
  const rpcUrl = await Promise.race([
    started,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error("node did not start in time")), timeoutMs).unref(),
    ),
  ]);
  return {
    child,
    rpcUrl,
    datadir,
    rpc: (method, params = []) =>
      callRpc(rpcUrl, { cookieFile: `${datadir}/.cookie` }, method, params, { timeoutMs: 60_000 }),
    stderr: () => err,
    exited,
  };
}

/** Runs the CLI to completion (for commands expected to fail). */
export async function runCli(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [STARLING_ENTRY, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr };
}

/** Polls `check` until it returns true (no fixed sleeps as synchronisation). */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
