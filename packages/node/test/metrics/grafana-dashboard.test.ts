/**
 * The Grafana dashboard in testnet/ must only chart metrics the node really exports: every
 * starling_* name in its queries is checked against the node's registry.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { createMetrics } from "../../src/index.ts";

const dashboard = JSON.parse(
  readFileSync(new URL("../../../../testnet/grafana-dashboard.json", import.meta.url), "utf8"),
) as { panels: { title: string; targets: { expr: string }[] }[] };

test("every metric the dashboard queries exists in the node's registry", async () => {
  const metrics = createMetrics({});
  const exposed = await metrics.register.metrics();
  const names = new Set<string>();
  for (const line of exposed.split("\n")) {
    const m = /^# TYPE (\S+) /.exec(line);
    if (m) names.add(m[1]!);
  }
  assert.ok(dashboard.panels.length >= 10);
  for (const panel of dashboard.panels) {
    for (const target of panel.targets) {
      for (const [, name] of target.expr.matchAll(
        /\b((?:starling|process)_[a-z_]+?)(?:_bucket|_sum|_count)?\b(?=[\s[{(),]|$)/g,
      )) {
        assert.ok(
          names.has(name!),
          `panel "${panel.title}" queries ${name}, which the node does not export`,
        );
      }
    }
  }
});
