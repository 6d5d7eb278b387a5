/**
 * The propagation observatory against three real in-process regtest nodes connected in a line
 * (node0 — node1 — node2, loopback TCP, RocksDB in temp dirs): a block mined at one end reaches
 * every node, one hop further at each step. Then `starling observe` (a child process) watches a
 * block mined at the other end and writes its report files. Last, the line closes into a triangle
 * and gossipsub's duplicate deliveries show in `getpropagationstats`.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, test } from "node:test";
import { createObservatory, type PropagationReport } from "@starling/observatory";
import { observedNodeFromUrl } from "../../src/cli/observe-command.ts";
import { createNode, type StarlingNode } from "../../src/index.ts";
import { callRpc } from "../../src/rpc/client.ts";
import { cookiePath, readAuthCookie } from "../../src/rpc/cookie.ts";
import { STARLING_ENTRY } from "./spawn-node.ts";

const nodes: StarlingNode[] = [];
const dirs: string[] = [];

after(async () => {
  for (const node of nodes.reverse()) await node.stop().catch(() => undefined);
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function waitFor(what: string, check: () => Promise<boolean>, deadlineMs = 60_000) {
  const deadline = Date.now() + deadlineMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a block crosses a line of three nodes (coverage 1, hops 0/1/2); observe CLI; duplicates", {
  timeout: 180_000,
}, async () => {
  const rpcOf =
    (i: number) =>
    (method: string, params: unknown[] = []) =>
      callRpc(nodes[i]!.rpc.url, { cookieFile: cookiePath(dirs[i]!) }, method, params, {
        timeoutMs: 30_000,
      });
  for (let i = 0; i < 3; i++) {
    dirs.push(await mkdtemp(join(tmpdir(), `starling-observe-${i}-`)));
    let bootstrap: string[] = [];
    if (i > 0) {
      const info = (await rpcOf(i - 1)("getnetworkinfo")) as { listenaddresses: string[] };
      bootstrap = info.listenaddresses.filter((a) => a.startsWith("/ip4/127.0.0.1/"));
    }
    nodes.push(
      await createNode({
        network: "regtest",
        datadir: dirs[i]!,
        rpcPort: 0,
        metricsPort: null,
        listen: ["/ip4/127.0.0.1/tcp/0"],
        bootstrap,
        dht: false,
        logLevel: "warn",
        verifyThreads: 1,
        minerThreads: 1,
      }),
    );
  }
  const rpc = [rpcOf(0), rpcOf(1), rpcOf(2)];
  await waitFor("the line to connect", async () => {
    const counts = await Promise.all(rpc.map((r) => r("getconnectioncount")));
    return counts[0] === 1 && counts[1] === 2 && counts[2] === 1;
  });

  const observed = nodes.map((node, i) => ({
    ...observedNodeFromUrl(node.rpc.url, { cookieFile: cookiePath(dirs[i]!) }),
    name: `node${i}`,
  }));
  const observatory = createObservatory({ nodes: observed, pollIntervalMs: 250 });
  try {
    await observatory.pollOnce();
    const payout = (await rpc[0]!("getnewaddress")) as string;
    const [mined] = (await rpc[0]!("generatetoaddress", [1, payout])) as string[];
    assert.ok(mined !== undefined);
    // Every node has it, and every node's first-sight record has been collected.
    let report: PropagationReport | undefined;
    await waitFor("the observatory to see the block on all three nodes", async () => {
      await observatory.pollOnce();
      report = observatory.report({ settleMs: 0 });
      return report.blocks.some((b) => b.hash === mined && b.coverage === 1);
    });
    const block = report!.blocks.find((b) => b.hash === mined)!;
    assert.equal(block.origin, "node0");
    assert.equal(block.height, 1);
    assert.equal(block.via.node0, "local");
    assert.deepEqual(block.hops, { node0: 0, node1: 1, node2: 2 });
    assert.deepEqual(block.parents, { node0: null, node1: "node0", node2: "node1" });
    for (const [node, delay] of Object.entries(block.delaysMs)) {
      assert.ok(delay >= 0, `${node}'s delay ${delay} >= 0`);
    }
    assert.ok(block.delaysMs.node2! >= block.delaysMs.node1!, "node2 hears it after node1");
    assert.ok(block.bytes > 0);
    assert.equal(report!.summary.blocks.coverage, 1);
    assert.equal(report!.summary.blocks.maxHops, 2);
    assert.equal(report!.summary.orphanRate, 0);

    const snapshot = observatory.snapshot();
    assert.ok(snapshot.nodes.every((n) => n.reachable && n.height === 1));
    assert.deepEqual(
      snapshot.nodes.map((n) => n.peers.map((p) => p.node).sort()),
      [["node1"], ["node0", "node2"], ["node1"]],
      "the topology is the line",
    );
  } finally {
    await observatory.stop();
  }

  // `starling observe` with credentials in the URLs, stopped by SIGINT once it has seen a block.
  const urls = await Promise.all(
    nodes.map(async (node, i) => {
      const { user, password } = await readAuthCookie(cookiePath(dirs[i]!));
      const url = new URL(node.rpc.url);
      url.username = encodeURIComponent(user);
      url.password = encodeURIComponent(password);
      return url.href;
    }),
  );
  const out = join(dirs[0]!, "observe-out");
  const child = spawn(
    process.execPath,
    [STARLING_ENTRY, "observe", "--rpc", ...urls, "--out", out, "--poll-interval", "250"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
  });
  const exited = once(child, "exit");
  try {
    const lines = createInterface({ input: child.stdout! });
    let dashboardUrl: string | undefined;
    let mined: string | undefined;
    let sawIt = false;
    for await (const line of lines) {
      if (line.startsWith("dashboard: ")) {
        dashboardUrl = line.slice("dashboard: ".length);
        const payout = (await rpc[2]!("getnewaddress")) as string;
        [mined] = (await rpc[2]!("generatetoaddress", [1, payout])) as string[];
      }
      // One log line per poll; "height 2" means every node has the new block.
      if (mined !== undefined && /nodes 3\/3 up · height 2 · blocks 1 /.test(line) && !sawIt) {
        sawIt = true;
        const page = await (await fetch(dashboardUrl!)).text();
        assert.match(page, /Starling propagation/);
        child.kill("SIGINT");
      }
      if (line.startsWith("wrote ")) break;
    }
    const [code] = await exited;
    assert.equal(code, 0, stderr);
    const report = JSON.parse(
      await readFile(join(out, "report.json"), "utf8"),
    ) as PropagationReport;
    const names = nodes.map((n) => new URL(n.rpc.url).host);
    assert.deepEqual(report.nodes, names);
    assert.equal(report.blocks.length, 1);
    const block = report.blocks[0]!;
    assert.equal(block.hash, mined);
    assert.equal(block.origin, names[2]);
    assert.equal(block.coverage, 1);
    assert.deepEqual(block.hops, { [names[2]!]: 0, [names[1]!]: 1, [names[0]!]: 2 });
    for (const file of ["report.md", "propagation.html", "raw.json"]) {
      assert.ok((await readFile(join(out, file), "utf8")).length > 0, file);
    }
  } finally {
    if (child.exitCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  }

  // Closing the line into a triangle: node2 now hears node0's blocks from node0 and from node1,
  // and gossipsub counts the second copy. The mesh forms on gossipsub's heartbeat, so mine until
  // a duplicate shows.
  const info0 = (await rpc[0]!("getnetworkinfo")) as { listenaddresses: string[] };
  const address0 = info0.listenaddresses.find((a) => a.startsWith("/ip4/127.0.0.1/"))!;
  await rpc[2]!("addnode", [address0, "onetry"]);
  await waitFor("node2 to reach node0", async () => (await rpc[2]!("getconnectioncount")) === 2);
  const observatory2 = createObservatory({ nodes: observed, pollIntervalMs: 250 });
  try {
    const payout = (await rpc[0]!("getnewaddress")) as string;
    const duplicatesOf = (snapshot: ReturnType<typeof observatory2.snapshot>) =>
      snapshot.nodes.reduce((n, node) => n + (node.duplicates?.block ?? 0), 0);
    for (let attempt = 0; attempt < 30; attempt++) {
      const [hash] = (await rpc[0]!("generatetoaddress", [1, payout])) as string[];
      await waitFor("the triangle to have the block", async () => {
        const tips = await Promise.all(rpc.map((r) => r("getbestblockhash")));
        return tips.every((t) => t === hash);
      });
      await observatory2.pollOnce();
      if (duplicatesOf(observatory2.snapshot()) > 0) break;
    }
    const snapshot = observatory2.snapshot();
    assert.ok(duplicatesOf(snapshot) > 0, "a node counted a duplicate block delivery");
    assert.ok(snapshot.nodes.every((n) => n.duplicates !== null));
  } finally {
    await observatory2.stop();
  }
});
