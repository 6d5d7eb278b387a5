import assert from "node:assert/strict";
import { test } from "node:test";
import {
  computeReport,
  downsampleSorted,
  renderPropagationHtml,
  renderReportMarkdown,
} from "../src/index.ts";
import { hash, nodeSnapshot, realisticSnapshot, sight, snapshotOf } from "./fixtures.ts";

test("markdown: summary table and one row per block", () => {
  const snapshot = realisticSnapshot();
  const report = computeReport(snapshot);
  const md = renderReportMarkdown(report);
  assert.match(md, /^# Propagation report/);
  assert.match(md, /\| blocks \| 25 \|/);
  assert.match(md, /\| transactions \| 60 \|/);
  assert.match(md, /orphan rate: 4\.0 %/);
  for (const block of report.blocks) assert.ok(md.includes(block.hash.slice(0, 16)));
  assert.match(md, /orphaned/);
  assert.match(md, /## Gossip duplicates received/);
});

test("markdown says so when there are no blocks", () => {
  const md = renderReportMarkdown(computeReport(snapshotOf([nodeSnapshot("a", [])])));
  assert.match(md, /No blocks were seen\./);
});

test("propagation.html embeds its data and the chart script and asks nothing from outside", () => {
  const snapshot = realisticSnapshot();
  const html = renderPropagationHtml(computeReport(snapshot), snapshot);
  assert.match(html, /^<!doctype html>/);
  for (const node of snapshot.nodes) assert.ok(html.includes(`"name":"${node.name}"`));
  assert.ok(html.includes(hash(1000)), "a block hash is in the inline data");
  assert.ok(html.includes("window.StarlingObservatory"), "the chart script is inline");
  // The only URL is SVG's namespace name, which is never fetched.
  const urls = html.match(/[a-z]+:\/\/[^\s"'<>)]+/gi) ?? [];
  assert.deepEqual([...new Set(urls)], ["http://www.w3.org/2000/svg"]);
  assert.doesNotMatch(html, /<(link|img|iframe)\b/i);
  assert.doesNotMatch(html, /<script[^>]+src=/i);
});

test("data that looks like markup cannot break out of the inline JSON", () => {
  const evil = nodeSnapshot("</script><script>alert(1)</script>", [
    sight(hash(1), 1000, "local", null),
  ]);
  const html = renderPropagationHtml(computeReport(snapshotOf([evil])), snapshotOf([evil]));
  assert.ok(!html.includes("</script><script>alert(1)"));
  assert.ok(html.includes("\\u003c/script>"));
});

test("the chart data carries at most 2000 transaction delays, keeping the extremes", () => {
  const sorted = Array.from({ length: 10_001 }, (_, i) => i);
  const down = downsampleSorted(sorted, 2000);
  assert.equal(down.length, 2000);
  assert.equal(down[0], 0);
  assert.equal(down.at(-1), 10_000);
  assert.deepEqual(
    down,
    [...down].sort((a, b) => a - b),
  );
  assert.deepEqual(downsampleSorted([1, 2, 3], 2000), [1, 2, 3]);
});
