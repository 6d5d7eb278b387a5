import assert from "node:assert/strict";
import { test } from "node:test";
import { attachSyncProgressBar, renderSyncBar } from "../../src/cli/sync-progress-bar.ts";
import { SyncEventTarget } from "../../src/sync/index.ts";

const progress = {
  state: "blocks" as const,
  headerHeight: 1000,
  blockHeight: 250,
  peers: 3,
  progress: 0.25,
  blocksPerSecond: 120,
  inFlight: 4,
};

test("the bar shows the share, heights, rate and peers", () => {
  const line = renderSyncBar(progress, 20);
  assert.match(line, /\[#####-{15}\] 25\.0%/);
  assert.match(line, /block 250\/1000/);
  assert.match(line, /120 blk\/s/);
  assert.match(line, /3 peers/);
});

test("on a terminal the bar redraws one line and ends it when synced", () => {
  const events = new SyncEventTarget();
  const out: string[] = [];
  const detach = attachSyncProgressBar(events, { isTTY: true, write: (t: string) => out.push(t) });
  events.dispatchEvent(new CustomEvent("progress", { detail: progress }));
  events.dispatchEvent(
    new CustomEvent("progress", { detail: { ...progress, blockHeight: 1000, progress: 1 } }),
  );
  events.dispatchEvent(
    new CustomEvent("synced", { detail: { height: 1000, hash: "00".repeat(32) } }),
  );
  detach();
  assert.equal(out.length, 3);
  assert.ok(out[0]!.startsWith("\r") && out[0]!.includes("25.0%"));
  assert.ok(out[1]!.includes("100.0%"));
  assert.match(out[2]!, /sync done at height 1000\n$/);
});

test("off a terminal nothing is written (the logs carry progress)", () => {
  const events = new SyncEventTarget();
  const out: string[] = [];
  attachSyncProgressBar(events, { isTTY: false, write: (t: string) => out.push(t) });
  events.dispatchEvent(new CustomEvent("progress", { detail: progress }));
  assert.equal(out.length, 0);
});
