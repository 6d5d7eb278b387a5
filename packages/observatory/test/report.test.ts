import assert from "node:assert/strict";
import { test } from "node:test";
import { computeReport } from "../src/index.ts";
import { hash, nodeSnapshot, peerIdOf, sight, snapshotOf } from "./fixtures.ts";

const B1 = hash(1);

test("a block along a line: origin, delays, hops, tree, coverage, percentiles", () => {
  const report = computeReport(
    snapshotOf([
      nodeSnapshot("a", [sight(B1, 1000, "local", null)]),
      nodeSnapshot("b", [sight(B1, 1010, "gossip", "a")]),
      nodeSnapshot("c", [sight(B1, 1030, "gossip", "b")]),
    ]),
  );
  assert.deepEqual(report.nodes, ["a", "b", "c"]);
  const [block] = report.blocks;
  assert.ok(block !== undefined);
  assert.equal(block.origin, "a");
  assert.deepEqual(block.delaysMs, { a: 0, b: 10, c: 30 });
  assert.deepEqual(block.hops, { a: 0, b: 1, c: 2 });
  assert.deepEqual(block.parents, { a: null, b: "a", c: "b" });
  assert.equal(block.coverage, 1);
  assert.equal(block.settled, true);
  const s = report.summary.blocks;
  assert.equal(s.count, 1);
  assert.equal(s.coverage, 1);
  // Nearest rank over the non-origin delays [10, 30].
  assert.equal(s.p50Ms, 10);
  assert.equal(s.p90Ms, 30);
  assert.equal(s.p99Ms, 30);
  assert.equal(s.maxMs, 30);
  assert.equal(s.meanHops, 1.5);
  assert.equal(s.maxHops, 2);
});

test("without a local record the earliest sighting is the origin", () => {
  const report = computeReport(
    snapshotOf([
      nodeSnapshot("a", [sight(B1, 1050, "gossip", "b")]),
      nodeSnapshot("b", [sight(B1, 1000, "gossip", "outsider")]),
    ]),
  );
  const block = report.blocks[0]!;
  assert.equal(block.origin, "b");
  assert.deepEqual(block.delaysMs, { a: 50, b: 0 });
  assert.deepEqual(block.hops, { a: 1, b: 0 });
  assert.equal(block.parents.b, null);
});

test("a node fed by a peer outside the observed set has no hop count", () => {
  const report = computeReport(
    snapshotOf([
      nodeSnapshot("a", [sight(B1, 1000, "local", null)]),
      nodeSnapshot("b", [sight(B1, 1020, "gossip", "outsider")]),
      nodeSnapshot("c", [sight(B1, 1040, "gossip", "b")]),
    ]),
  );
  const block = report.blocks[0]!;
  assert.deepEqual(block.hops, { a: 0 });
  assert.deepEqual(block.parents, { a: null, b: null, c: "b" });
  assert.equal(report.summary.blocks.meanHops, null);
  assert.deepEqual(block.delaysMs, { a: 0, b: 20, c: 40 });
});

test("a block seen by only some nodes has partial coverage", () => {
  const B2 = hash(2);
  const report = computeReport(
    snapshotOf([
      nodeSnapshot("a", [sight(B1, 1000, "local", null), sight(B2, 2000, "local", null)]),
      nodeSnapshot("b", [sight(B1, 1010, "gossip", "a"), sight(B2, 2010, "gossip", "a")]),
      nodeSnapshot("c", [sight(B1, 1020, "gossip", "a")]),
    ]),
  );
  assert.equal(report.blocks[0]!.coverage, 1);
  assert.equal(report.blocks[1]!.coverage, 2 / 3);
  assert.equal(report.summary.blocks.coverage, (1 + 2 / 3) / 2);
});

test("items younger than settleMs are listed but left out of the statistics", () => {
  const young = hash(2);
  const snapshot = snapshotOf(
    [
      nodeSnapshot("a", [sight(B1, 1000, "local", null), sight(young, 9500, "local", null)]),
      nodeSnapshot("b", [sight(B1, 1100, "gossip", "a")]),
    ],
    { nowMs: 10_000 },
  );
  const report = computeReport(snapshot);
  assert.equal(report.blocks.length, 2);
  assert.equal(report.blocks[1]!.settled, false);
  assert.equal(report.blocks[1]!.coverage, 0.5);
  assert.equal(report.summary.blocks.count, 2);
  assert.equal(report.summary.blocks.coverage, 1, "only the settled block counts");
  assert.equal(report.summary.blocks.maxMs, 100);
  // With a shorter settle time (or a later now) the young block counts too.
  const later = computeReport(snapshot, { nowMs: 20_000 });
  assert.equal(later.summary.blocks.coverage, 0.75);
  const short = computeReport(snapshot, { settleMs: 100 });
  assert.equal(short.blocks[1]!.settled, true);
});

test("a node never reached is not counted in coverage; one that went down later is", () => {
  const report = computeReport(
    snapshotOf([
      nodeSnapshot("a", [sight(B1, 1000, "local", null)]),
      nodeSnapshot("b", [sight(B1, 1010, "gossip", "a")], { reachable: false }),
      nodeSnapshot("c", [], { reachable: false, everReachable: false, peerId: null }),
      nodeSnapshot("d", [], { reachable: false, lastError: "connection refused" }),
    ]),
  );
  assert.deepEqual(report.nodes, ["a", "b", "c", "d"]);
  assert.equal(report.blocks[0]!.coverage, 2 / 3);
});

test("transactions: count, coverage and percentiles", () => {
  const tx = (n: number, at: number, via: "local" | "gossip", from: string | null) =>
    sight(hash(100 + n), at, via, from, { kind: "tx", bytes: 250 });
  const a: ReturnType<typeof tx>[] = [];
  const b: ReturnType<typeof tx>[] = [];
  for (let i = 0; i < 10; i++) {
    a.push(tx(i, 1000 * i, "local", null));
    b.push(tx(i, 1000 * i + (i + 1) * 10, "gossip", "a"));
  }
  const report = computeReport(snapshotOf([nodeSnapshot("a", a), nodeSnapshot("b", b)]));
  assert.equal(report.txs.count, 10);
  assert.equal(report.txs.coverage, 1);
  assert.equal(report.txs.p50Ms, 50);
  assert.equal(report.txs.p90Ms, 90);
  assert.equal(report.txs.p99Ms, 100);
  assert.deepEqual(report.txDelaysMs, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  assert.equal(report.summary.txs.meanHops, 1);
  assert.equal(report.blocks.length, 0);
  assert.equal(report.summary.blocks.p50Ms, null);
});

test("orphan rate from the majority's best chain, reorgs counted once per replaced tip", () => {
  const B2 = hash(2);
  const B2b = hash(3);
  const chain = { "10": B1, "11": B2 };
  const report = computeReport(
    snapshotOf(
      [
        nodeSnapshot("a", [sight(B1, 1000, "local", null), sight(B2, 2000, "local", null)], {
          chain,
        }),
        nodeSnapshot(
          "b",
          [
            sight(B1, 1010, "gossip", "a"),
            sight(B2b, 1990, "local", null),
            sight(B2, 2010, "gossip", "a"),
          ],
          { chain },
        ),
        nodeSnapshot("c", [sight(B1, 1010, "gossip", "a"), sight(B2b, 2000, "gossip", "b")], {
          chain: { "10": B1, "11": B2b },
        }),
      ],
      {
        blocks: {
          [B1]: { hash: B1, height: 10, bytes: 1000, txCount: 1, prevHash: null },
          [B2]: { hash: B2, height: 11, bytes: 1000, txCount: 1, prevHash: B1 },
          [B2b]: { hash: B2b, height: 11, bytes: 900, txCount: 1, prevHash: B1 },
        },
        reorgs: [
          {
            node: "b",
            atMs: 2100,
            oldTip: B2b,
            oldHeight: 11,
            newTip: B2,
            newHeight: 11,
            depth: 1,
          },
          {
            node: "x",
            atMs: 2100,
            oldTip: B2b,
            oldHeight: 11,
            newTip: B2,
            newHeight: 11,
            depth: 1,
          },
        ],
      },
    ),
  );
  const byHash = new Map(report.blocks.map((b) => [b.hash, b]));
  assert.equal(byHash.get(B1)!.onMajorityChain, true);
  assert.equal(byHash.get(B2)!.onMajorityChain, true);
  assert.equal(byHash.get(B2b)!.onMajorityChain, false);
  assert.equal(byHash.get(B2b)!.height, 11);
  assert.equal(byHash.get(B2b)!.bytes, 900);
  assert.equal(report.summary.orphanRate, 1 / 3);
  assert.equal(report.summary.reorgs, 1);
});

test("the report is JSON-serialisable and has issue 7's fields", () => {
  const report = computeReport(
    snapshotOf(
      [
        nodeSnapshot("a", [sight(B1, 1000, "local", null)]),
        nodeSnapshot("b", [sight(B1, 1010, "gossip", "a")]),
      ],
      { startedMs: 0, nowMs: 60_000 },
    ),
  );
  const json = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
  for (const key of ["nodes", "durationS", "blocks", "txs", "summary"]) assert.ok(key in json);
  assert.equal(json.durationS, 60);
  const block = (json.blocks as Record<string, unknown>[])[0]!;
  for (const key of ["hash", "height", "origin", "bytes", "coverage", "delaysMs", "hops"]) {
    assert.ok(key in block, key);
  }
  const summary = json.summary as Record<string, Record<string, unknown>>;
  for (const key of [
    "count",
    "coverage",
    "p50Ms",
    "p90Ms",
    "p99Ms",
    "maxMs",
    "meanHops",
    "maxHops",
  ]) {
    assert.ok(key in summary.blocks!, key);
    assert.ok(key in summary.txs!, key);
  }
  assert.ok("orphanRate" in summary && "reorgs" in summary);
  assert.equal(peerIdOf("a"), "12D3KooWa");
});
