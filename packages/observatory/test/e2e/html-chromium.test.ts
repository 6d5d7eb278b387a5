/**
 * propagation.html and the live dashboard, rendered from a realistic run and opened in headless
 * Chromium (Debian package `chromium`): every chart draws data, and the page logs no errors.
 * Screenshots go to <repo>/test-artifacts/.
 */
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import {
  computeReport,
  createObservatory,
  renderPropagationHtml,
  startDashboard,
} from "../../src/index.ts";
import {
  CHROMIUM_MISSING_MESSAGE,
  chromiumPath,
  type OpenedPage,
  openInChromium,
} from "../chromium.ts";
import { fakeNode } from "../fake-node.ts";
import { realisticSnapshot } from "../fixtures.ts";

const ARTIFACTS = new URL("../../../../test-artifacts/", import.meta.url).pathname;
const skip = chromiumPath() === null ? CHROMIUM_MISSING_MESSAGE : false;

interface ChartCounts {
  cdfSeries: string[];
  cdfPoints: number;
  timelineDots: number;
  treeNodes: number;
  treeEdges: number;
  topologyNodes: number;
  topologyEdges: number;
  tableRows: number;
  blockOptions: number;
}

const COUNT_CHARTS = `(() => ({
  cdfSeries: [...document.querySelectorAll("#cdf path[data-series]")].map((p) => p.getAttribute("data-series")),
  cdfPoints: [...document.querySelectorAll("#cdf path[data-series]")].reduce((n, p) => n + Number(p.getAttribute("data-points")), 0),
  timelineDots: document.querySelectorAll("#timeline circle[data-node]").length,
  treeNodes: document.querySelectorAll("#tree circle[data-node]").length,
  treeEdges: document.querySelectorAll("#tree path[data-edge]").length,
  topologyNodes: document.querySelectorAll("#topology circle[data-node]").length,
  topologyEdges: document.querySelectorAll("#topology line[data-edge]").length,
  tableRows: document.querySelectorAll("#nodes tr[data-node]").length,
  blockOptions: document.querySelectorAll("#block-select option").length,
}))()`;

function assertChartsHaveData(counts: ChartCounts, nodes: number, blocks: number): void {
  assert.deepEqual(counts.cdfSeries, ["blocks-small", "blocks-medium", "blocks-large", "txs"]);
  assert.ok(counts.cdfPoints > blocks * (nodes - 1), `CDF points: ${counts.cdfPoints}`);
  assert.equal(counts.blockOptions, blocks);
  assert.ok(counts.timelineDots >= 2, `timeline dots: ${counts.timelineDots}`);
  assert.ok(counts.treeNodes >= 2 && counts.treeEdges >= 1, "the tree has nodes and edges");
  assert.equal(counts.topologyNodes, nodes);
  assert.ok(counts.topologyEdges >= nodes, `topology edges: ${counts.topologyEdges}`);
  assert.equal(counts.tableRows, nodes);
}

function assertNoErrors(page: OpenedPage): void {
  assert.deepEqual(page.consoleErrors, [], "no console errors");
  assert.deepEqual(page.pageErrors, [], "no page errors");
}

test("propagation.html renders every chart with data in Chromium", {
  skip,
  timeout: 120_000,
}, async () => {
  const snapshot = realisticSnapshot();
  const report = computeReport(snapshot);
  const dir = await mkdtemp(join(tmpdir(), "starling-html-"));
  await mkdir(ARTIFACTS, { recursive: true });
  let page: OpenedPage | undefined;
  try {
    const file = join(dir, "propagation.html");
    await writeFile(file, renderPropagationHtml(report, snapshot));
    page = await openInChromium(pathToFileURL(file).href, {
      waitForSelector: "#cdf path[data-series]",
      screenshotPath: join(ARTIFACTS, "propagation.png"),
    });
    const counts = await page.evaluate<ChartCounts>(COUNT_CHARTS);
    assertChartsHaveData(counts, snapshot.nodes.length, report.blocks.length);
    // The newest block is chosen first: the orphan that reached 5 of the 6 nodes.
    assert.equal(counts.timelineDots, 5);
    // Choosing another block redraws the timeline and the tree for it.
    const redrawn = await page.evaluate<number>(`(() => {
      const select = document.getElementById("block-select");
      select.selectedIndex = select.options.length - 1;
      select.dispatchEvent(new Event("change"));
      return document.querySelectorAll("#timeline circle[data-node]").length;
    })()`);
    assert.equal(redrawn, snapshot.nodes.length);
    assertNoErrors(page);
    assert.deepEqual(page.requests, [pathToFileURL(file).href], "the file asks for nothing else");
  } finally {
    await page?.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test("the dashboard renders the same charts and updates live", {
  skip,
  timeout: 120_000,
}, async () => {
  const source = realisticSnapshot();
  const nodes = source.nodes.map((n) => fakeNode(n, source.blocks));
  const observatory = createObservatory({ nodes, sinceMs: 0, pollIntervalMs: 200 });
  await observatory.pollOnce();
  observatory.start();
  const dashboard = await startDashboard({ observatory, extraStatus: () => ({ run: "fixture" }) });
  await mkdir(ARTIFACTS, { recursive: true });
  let page: OpenedPage | undefined;
  try {
    assert.match(dashboard.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const state = (await (await fetch(new URL("/api/state", dashboard.url))).json()) as {
      nodes: unknown[];
      extra: unknown;
    };
    assert.equal(state.nodes.length, source.nodes.length);
    assert.deepEqual(state.extra, { run: "fixture" });

    page = await openInChromium(dashboard.url, { waitForSelector: "#cdf path[data-series]" });
    const report = observatory.report();
    assertChartsHaveData(
      await page.evaluate<ChartCounts>(COUNT_CHARTS),
      source.nodes.length,
      report.blocks.length,
    );
    // The page refreshes itself from /api/state: wait for its first live update.
    const deadline = Date.now() + 30_000;
    let status = "";
    while (!status.startsWith("live · updated") && Date.now() < deadline) {
      status = await page.evaluate<string>(`document.getElementById("status").textContent`);
      if (!status.startsWith("live · updated")) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(status, /^live · updated/);
    // A node going down shows in the table on a later refresh.
    nodes[2]!.down = true;
    const downDeadline = Date.now() + 30_000;
    let row = "";
    while (!row.includes("down") && Date.now() < downDeadline) {
      row = await page.evaluate<string>(
        `document.querySelector('#nodes tr[data-node="${source.nodes[2]!.name}"]').textContent`,
      );
      if (!row.includes("down")) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(row, /down: connect ECONNREFUSED/);
    const origin = new URL(dashboard.url).origin;
    assert.deepEqual(
      page.requests.filter((url) => new URL(url).origin !== origin),
      [],
      "the dashboard asks only its own server",
    );
    assert.ok(page.requests.some((url) => url.endsWith("/api/state")));
    await page.evaluate<unknown>(`window.scrollTo(0, 0)`);
    assertNoErrors(page);
    await page.close();
    page = await openInChromium(dashboard.url, {
      waitForSelector: "#cdf path[data-series]",
      screenshotPath: join(ARTIFACTS, "dashboard.png"),
    });
    assertNoErrors(page);
  } finally {
    await page?.close();
    await dashboard.close();
    await observatory.stop();
  }
});
