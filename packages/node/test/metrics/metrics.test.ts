import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { request } from "node:http";
import { describe, it } from "node:test";
import { register as globalRegister } from "prom-client";
import { minerMetrics, networkMetrics } from "../../src/metrics/adapters.ts";
import { createMetrics } from "../../src/metrics/metrics.ts";
import { MetricsServerError, startMetricsServer } from "../../src/metrics/server.ts";

/** Every node metric: name without prefix, type, label names. docs/observability.md lists them. */
const EXPECTED: readonly [string, string, readonly string[]][] = [
  ["chain_height", "gauge", []],
  ["chain_headers", "gauge", []],
  ["chain_tip_timestamp_seconds", "gauge", []],
  ["chain_tip_age_seconds", "gauge", []],
  ["chain_block_validation_seconds", "histogram", []],
  ["chain_blocks_connected_total", "counter", []],
  ["chain_reorgs_total", "counter", []],
  ["chain_reorg_depth_blocks", "histogram", []],
  ["mempool_transactions", "gauge", []],
  ["mempool_size_bytes", "gauge", []],
  ["mempool_min_fee_rate_per_kilobyte", "gauge", []],
  ["mempool_transactions_added_total", "counter", []],
  ["mempool_transactions_removed_total", "counter", ["reason"]],
  ["network_peers", "gauge", ["direction"]],
  ["network_gossip_received_total", "counter", ["kind"]],
  ["network_gossip_verdicts_total", "counter", ["kind", "verdict"]],
  ["network_gossip_validation_seconds", "histogram", ["kind"]],
  ["network_gossip_queue_dropped_total", "counter", ["kind"]],
  ["network_gossip_published_total", "counter", ["kind"]],
  ["network_reqresp_requests_total", "counter", ["protocol", "direction", "result"]],
  ["network_reqresp_seconds", "histogram", ["protocol"]],
  ["network_reqresp_rate_limited_total", "counter", ["protocol"]],
  ["network_peer_penalties_total", "counter", ["reason"]],
  ["network_peer_bans_total", "counter", ["reason"]],
  ["sync_progress_ratio", "gauge", []],
  ["sync_target_height", "gauge", []],
  ["miner_hash_rate_hashes_per_second", "gauge", []],
  ["miner_hashes_total", "counter", []],
  ["miner_threads", "gauge", []],
  ["miner_blocks_found_total", "counter", []],
  ["miner_templates_total", "counter", ["reason"]],
  ["miner_template_transactions", "gauge", []],
  ["miner_template_size_bytes", "gauge", []],
  ["propagation_first_sight_delay_seconds", "histogram", ["kind"]],
  ["rpc_calls_total", "counter", ["method", "result"]],
  ["rpc_call_duration_seconds", "histogram", ["method"]],
];

async function scrape(metrics: ReturnType<typeof createMetrics>): Promise<Map<string, Family>> {
  return parsePrometheusText(await metrics.register.metrics());
}

function value(families: Map<string, Family>, sample: string, labels: Record<string, string> = {}) {
  const family = [...families.values()].find((f) => f.samples.some((s) => s.name === sample));
  return family?.samples.find(
    (s) => s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

describe("createMetrics", () => {
  it("defines every node metric with its name, type and labels", () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const defined = metrics.register.getMetricsAsArray();
    const byName = new Map(defined.map((m) => [m.name, m]));
    for (const [name, type, labels] of EXPECTED) {
      const metric = byName.get(`starling_${name}`) as unknown as
        | { type: string; labelNames: string[] }
        | undefined;
      assert.ok(metric !== undefined, `starling_${name} is defined`);
      assert.equal(metric.type, type, name);
      assert.deepEqual([...metric.labelNames].sort(), [...labels].sort(), `${name} labels`);
    }
    assert.equal(defined.length, EXPECTED.length, "no metric left out of the table");
  });

  it("names metrics <prefix><subsystem>_<what>[_<unit>], counters ending in _total", () => {
    const metrics = createMetrics({ prefix: "x_", defaultMetrics: false });
    for (const m of metrics.register.getMetricsAsArray()) {
      const { name, type } = m as unknown as { name: string; type: string };
      assert.match(name, /^x_[a-z]+_[a-z0-9_]+$/);
      assert.equal(name.endsWith("_total"), type === "counter", name);
    }
  });

  it("adds process and Node.js metrics under their standard names", async () => {
    const families = await scrape(createMetrics());
    for (const name of [
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "nodejs_heap_size_used_bytes",
    ]) {
      assert.ok(families.has(name.replace(/_total$/, "")) || families.has(name), name);
    }
  });

  it("leaves prom-client's global registry empty, and two instances coexist", async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.chain.height.set(5);
    b.chain.height.set(7);
    assert.equal(globalRegister.getMetricsAsArray().length, 0);
    assert.equal(value(await scrape(a), "starling_chain_height"), 5);
    assert.equal(value(await scrape(b), "starling_chain_height"), 7);
  });

  it("derives the tip age from the tip timestamp at scrape time", async () => {
    let now = 1_700_000_000_000;
    const metrics = createMetrics({ defaultMetrics: false, now: () => now });
    assert.equal(value(await scrape(metrics), "starling_chain_tip_age_seconds"), 0, "no tip yet");
    metrics.chain.tipTimestamp.set(1_700_000_000 - 90);
    assert.equal(value(await scrape(metrics), "starling_chain_tip_age_seconds"), 90);
    now += 10_000;
    assert.equal(value(await scrape(metrics), "starling_chain_tip_age_seconds"), 100);
  });

  it("sets the mempool gauges from mempool info", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.mempool.setInfo({ size: 3, bytes: 750, mempoolminfee: 1000n });
    metrics.mempool.removed.inc({ reason: "block" }, 2);
    const families = await scrape(metrics);
    assert.equal(value(families, "starling_mempool_transactions"), 3);
    assert.equal(value(families, "starling_mempool_size_bytes"), 750);
    assert.equal(value(families, "starling_mempool_min_fee_rate_per_kilobyte"), 1000);
    assert.equal(
      value(families, "starling_mempool_transactions_removed_total", { reason: "block" }),
      2,
    );
  });
});

describe("metrics adapters", () => {
  it("records the network's calls under the network's label names", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const net = networkMetrics(metrics);
    // As packages/network calls them.
    net.peers?.set({ direction: "inbound" }, 3);
    net.peers?.set({ direction: "outbound" }, 8);
    net.gossipVerdicts?.inc({ kind: "block", verdict: "accept" });
    net.gossipVerdicts?.inc({ kind: "tx", verdict: "reject" });
    net.gossipVerdicts?.inc({ kind: "tx", verdict: "reject" });
    net.reqRespRequests?.inc({ protocol: "headers", direction: "outbound", result: "ok" });
    net.reqRespSeconds?.observe({ protocol: "headers" }, 0.02);
    const f = await scrape(metrics);
    assert.equal(value(f, "starling_network_peers", { direction: "inbound" }), 3);
    assert.equal(value(f, "starling_network_peers", { direction: "outbound" }), 8);
    assert.equal(
      value(f, "starling_network_gossip_verdicts_total", { kind: "tx", verdict: "reject" }),
      2,
    );
    assert.equal(
      value(f, "starling_network_reqresp_requests_total", { protocol: "headers", result: "ok" }),
      1,
    );
    assert.equal(value(f, "starling_network_reqresp_seconds_count", { protocol: "headers" }), 1);
    assert.equal(
      value(f, "starling_network_reqresp_seconds_bucket", { protocol: "headers", le: "0.01" }),
      0,
    );
    assert.equal(
      value(f, "starling_network_reqresp_seconds_bucket", { protocol: "headers", le: "0.05" }),
      1,
    );
  });

  it("maps the miner's callbacks onto the miner metrics", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const miner = minerMetrics(metrics);
    miner.setThreads(4);
    miner.addHashes(1000);
    miner.addHashes(0);
    miner.addHashes(500);
    miner.setHashRate(12_345);
    miner.blockFound({ height: 10, hash: "00".repeat(32) });
    miner.templateBuilt({ reason: "new-tip", height: 11, transactions: 7, fees: 900n, size: 2048 });
    const f = await scrape(metrics);
    assert.equal(value(f, "starling_miner_threads"), 4);
    assert.equal(value(f, "starling_miner_hashes_total"), 1500);
    assert.equal(value(f, "starling_miner_hash_rate_hashes_per_second"), 12_345);
    assert.equal(value(f, "starling_miner_blocks_found_total"), 1);
    assert.equal(value(f, "starling_miner_templates_total", { reason: "new-tip" }), 1);
    assert.equal(value(f, "starling_miner_template_transactions"), 7);
    assert.equal(value(f, "starling_miner_template_size_bytes"), 2048);
  });
});

describe("metrics HTTP server", () => {
  it("serves /metrics as Prometheus text with the registry's content type", async () => {
    const metrics = createMetrics();
    metrics.chain.height.set(42);
    metrics.rpc.calls.inc({ method: "getblockcount", result: "ok" });
    metrics.propagation.firstSightDelaySeconds.observe({ kind: "block" }, 1.5);
    const server = await startMetricsServer({ registry: metrics.register });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const res = await fetch(server.url);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
      const text = await res.text();
      const families = parsePrometheusText(text);
      for (const [name, type] of EXPECTED) {
        assert.equal(families.get(`starling_${name}`)?.type, type, name);
      }
      assert.equal(value(families, "starling_chain_height"), 42);
      assert.equal(value(families, "starling_rpc_calls_total", { method: "getblockcount" }), 1);
      assert.equal(
        value(families, "starling_propagation_first_sight_delay_seconds_bucket", {
          kind: "block",
          le: "2",
        }),
        1,
      );
      await promtoolCheck(text);
    } finally {
      await server.close();
    }
  });

  it("answers 404 elsewhere and 405 to POST", async () => {
    const server = await startMetricsServer({ registry: createMetrics().register });
    try {
      assert.equal((await fetch(server.url.replace("/metrics", "/"))).status, 404);
      assert.equal((await fetch(server.url, { method: "POST" })).status, 405);
      const head = await new Promise<number>((resolve, reject) => {
        request(server.url, { method: "HEAD" }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on("error", reject)
          .end();
      });
      assert.equal(head, 200);
    } finally {
      await server.close();
    }
  });

  it("reports a busy port", async () => {
    const registry = createMetrics({ defaultMetrics: false }).register;
    const first = await startMetricsServer({ registry });
    try {
      await assert.rejects(
        startMetricsServer({ registry, port: first.port }),
        (err) => err instanceof MetricsServerError && err.code === "address-in-use",
      );
    } finally {
      await first.close();
    }
  });
});

/**
 * Debian's promtool, when installed, checks the exposition too: no parse error, and no lint
 * complaint about our metrics (prom-client's own nodejs_* gauges ending in _total draw some).
 */
async function promtoolCheck(text: string): Promise<void> {
  const promtool = "/usr/bin/promtool";
  if (!existsSync(promtool)) return;
  const child = spawn(promtool, ["check", "metrics"], { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stdin.end(text);
  const [code] = (await once(child, "close")) as [number];
  assert.notEqual(code, 1, output);
  assert.doesNotMatch(output, /error while linting|parsing error/i, output);
  assert.doesNotMatch(output, /^starling_/m, output);
}

describe("the test's Prometheus text parser", () => {
  it("rejects samples without a family, bad labels and bad values", () => {
    assert.throws(() => parsePrometheusText("x 1\n"), /without a TYPE/);
    assert.throws(
      () => parsePrometheusText('# TYPE x gauge\nx{a="1} 1\n'),
      /bad labels|bad sample/,
    );
    assert.throws(() => parsePrometheusText("# TYPE x gauge\nx one\n"), /bad value/);
    const ok = parsePrometheusText(
      '# HELP x h\n# TYPE x histogram\nx_bucket{le="+Inf"} 2\nx_sum 1\nx_count 2\n',
    );
    assert.equal(ok.get("x")?.samples.length, 3);
  });
});

// A small parser for the Prometheus text exposition format (0.0.4), strict enough to reject what
// a scraper would: every sample must belong to a family declared by `# TYPE`.

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

interface Family {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly samples: Sample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+-?\\d+)?$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["", "_sum", "_count"],
};

function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const helps = new Map<string, string>();
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const where = `line ${i + 1}: ${line}`;
    if (line.startsWith("# HELP ")) {
      const [, name, help] = /^# HELP (\S+) ?(.*)$/.exec(line) ?? [];
      if (name === undefined) throw new Error(`bad HELP, ${where}`);
      helps.set(name, help ?? "");
      continue;
    }
    if (line.startsWith("# TYPE ")) {
      const [, name, type] = /^# TYPE (\S+) (\S+)$/.exec(line) ?? [];
      if (name === undefined || type === undefined || !TYPES.has(type)) {
        throw new Error(`bad TYPE, ${where}`);
      }
      if (families.has(name)) throw new Error(`family declared twice, ${where}`);
      families.set(name, { name, type, help: helps.get(name) ?? "", samples: [] });
      continue;
    }
    if (line.startsWith("#")) continue;
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`bad sample, ${where}`);
    const [, name, labelText, valueText] = match as unknown as [
      string,
      string,
      string | undefined,
      string,
    ];
    const family = familyOf(families, name);
    if (family === undefined) throw new Error(`sample without a TYPE, ${where}`);
    family.samples.push({
      name,
      labels: parseLabels(labelText ?? "", where),
      value: parseValue(valueText, where),
    });
  }
  return families;
}

function familyOf(families: Map<string, Family>, sample: string): Family | undefined {
  const direct = families.get(sample);
  if (direct !== undefined) return direct;
  for (const [suffixType, suffixes] of Object.entries(SUFFIXES)) {
    for (const suffix of suffixes) {
      if (suffix === "" || !sample.endsWith(suffix)) continue;
      const family = families.get(sample.slice(0, -suffix.length));
      if (family?.type === suffixType) return family;
    }
  }
  return undefined;
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest !== "") {
    const m = LABEL.exec(rest);
    if (m === null) throw new Error(`bad labels, ${where}`);
    labels[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    rest = rest.slice(m[0].length);
  }
  return labels;
}

/** Go's strconv.ParseFloat, as Prometheus parses: NaN and Inf in any case (prom-client writes "Nan"). */
function parseValue(text: string, where: string): number {
  const lower = text.toLowerCase();
  if (lower === "nan") return Number.NaN;
  if (/^[+]?inf(inity)?$/.test(lower)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/.test(lower)) return Number.NEGATIVE_INFINITY;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value, ${where}`);
  return Number(text);
}
