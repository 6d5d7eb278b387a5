/**
 * Issue 6: a real Prometheus server (Debian's `prometheus`, installed by .ci/run) scrapes a running
 * node's /metrics, and its query API then answers with the node's own figures.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { callRpc, createNode } from "../../src/index.ts";

const prometheusBinary = spawnSync("prometheus", ["--version"], { stdio: "ignore" }).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

interface QueryResult {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function query(port: number, expr: string): Promise<QueryResult> {
  const res = await fetch(
    `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`,
  );
  return (await res.json()) as QueryResult;
}

/** Polls until `check` returns a value (Prometheus scrapes on its own schedule). */
async function until<T>(
  check: () => Promise<T | undefined>,
  what: string,
  deadlineMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test("a real Prometheus scrapes the node's metrics", {
  skip: prometheusBinary
    ? false
    : "prometheus is not installed (apt-get install prometheus; .ci/run does)",
  timeout: 120_000,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), "starling-prom-"));
  let prometheus: ChildProcess | undefined;
  const node = await createNode({
    network: "regtest",
    datadir: join(dir, "node"),
    rpcPort: 0,
    metricsPort: 0,
    listen: ["/ip4/127.0.0.1/tcp/0"],
    dht: false,
    logLevel: "warn",
    verifyThreads: 1,
  });
  try {
    const target = new URL(node.metricsServer!.url);
    const promPort = await freePort();
    const config = join(dir, "prometheus.yml");
    await writeFile(
      config,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: starling\n    static_configs:\n      - targets: ["${target.host}"]\n`,
    );
    prometheus = spawn(
      "prometheus",
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, "tsdb")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: "ignore" },
    );

    const up = await until(async () => {
      const r = await query(promPort, 'up{job="starling"}');
      return r.data.result[0]?.value[1] === "1" ? r : undefined;
    }, "the scrape target to be up");
    assert.equal(up.status, "success");

    // The node's own figures arrive through Prometheus: height 0, then 5 after mining.
    const height = async (): Promise<number | undefined> => {
      const r = await query(promPort, "starling_chain_height");
      const v = r.data.result[0]?.value[1];
      return v === undefined ? undefined : Number(v);
    };
    assert.equal(await until(height, "starling_chain_height"), 0);
    const auth = { cookieFile: join(dir, "node", ".cookie") };
    const address = await callRpc(node.rpc.url, auth, "getnewaddress");
    await callRpc(node.rpc.url, auth, "generatetoaddress", [5, address]);
    await until(async () => ((await height()) === 5 ? 5 : undefined), "height 5 in Prometheus");

    const memory = await until(async () => {
      const r = await query(
        promPort,
        "starling_process_resident_memory_bytes or process_resident_memory_bytes",
      );
      return r.data.result.length > 0 ? r : undefined;
    }, "default process metrics");
    assert.ok(Number(memory.data.result[0]!.value[1]) > 0);
  } finally {
    prometheus?.kill("SIGTERM");
    if (prometheus !== undefined && prometheus.exitCode === null) await once(prometheus, "exit");
    await node.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
