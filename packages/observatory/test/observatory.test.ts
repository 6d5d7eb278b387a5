import assert from "node:assert/strict";
import { once } from "node:events";
import { test } from "node:test";
import {
  type BlockInfo,
  computeReport,
  createObservatory,
  type NodeSnapshot,
  type SightRecord,
} from "../src/index.ts";
import { fakeNode } from "./fake-node.ts";
import { hash, nodeSnapshot, peerIdOf, realisticSnapshot, sight } from "./fixtures.ts";

test("one poll collects every node's records, peers and status", async () => {
  const source = realisticSnapshot();
  const nodes = source.nodes.map((n) => fakeNode(n, source.blocks));
  const observatory = createObservatory({ nodes, sinceMs: 0, now: () => source.nowMs });
  await observatory.pollOnce();
  const snapshot = observatory.snapshot();
  assert.equal(snapshot.polls, 1);
  for (const [i, node] of snapshot.nodes.entries()) {
    const expected = source.nodes[i]!;
    assert.equal(node.name, expected.name);
    assert.equal(node.peerId, expected.peerId);
    assert.equal(node.reachable, true);
    assert.equal(node.height, expected.height);
    assert.deepEqual(node.duplicates, expected.duplicates);
    assert.deepEqual(node.mempool, expected.mempool);
    assert.deepEqual(
      new Set(node.records.map((r) => `${r.kind}:${r.hash}`)),
      new Set(expected.records.map((r) => `${r.kind}:${r.hash}`)),
    );
    assert.deepEqual(
      node.peers.map((p) => p.node).sort(),
      expected.peers.map((p) => p.node).sort(),
      "peers are named by their peer ids",
    );
  }
  // The report from collected data matches the report from the source data.
  const got = computeReport(snapshot);
  const want = computeReport(source);
  assert.equal(got.blocks.length, want.blocks.length);
  for (const [i, block] of got.blocks.entries()) {
    const w = want.blocks[i]!;
    assert.equal(block.hash, w.hash);
    assert.equal(block.height, w.height);
    assert.equal(block.bytes, w.bytes);
    assert.deepEqual(block.delaysMs, w.delaysMs);
    assert.deepEqual(block.hops, w.hops);
    assert.equal(block.coverage, w.coverage);
  }
  assert.deepEqual(got.txs, want.txs);
  await observatory.stop();
});

test("records are paged until exhausted, even when a page shares one millisecond", async () => {
  const records: SightRecord[] = [];
  for (let i = 0; i < 2500; i++) {
    records.push(sight(hash(i), 1000 + i, "local", null, { kind: "tx" }));
  }
  // 1500 records in one millisecond: more than a page of 1000 with nothing older to page by.
  for (let i = 0; i < 1500; i++) {
    records.push(sight(hash(10_000 + i), 5000, "local", null, { kind: "tx" }));
  }
  const state = nodeSnapshot("a", records, { height: 1, bestHash: hash(99_999) });
  const blocks: Record<string, BlockInfo> = {
    [hash(99_999)]: { hash: hash(99_999), height: 1, bytes: 1, txCount: 1, prevHash: null },
  };
  const node = fakeNode(state, blocks);
  const observatory = createObservatory({ nodes: [node], sinceMs: 0 });
  await observatory.pollOnce();
  assert.equal(observatory.snapshot().nodes[0]!.records.length, 4000);
  assert.ok((node.calls.get("getpropagation") ?? 0) >= 3, "it paged");

  // New records come with the next poll; later polls re-read only a short overlap.
  node.state = { ...state, records: [...records, sight(hash(20_000), 100_000, "local", null)] };
  await observatory.pollOnce();
  assert.equal(observatory.snapshot().nodes[0]!.records.length, 4001);
  const before = node.calls.get("getpropagation")!;
  await observatory.pollOnce();
  assert.equal(node.calls.get("getpropagation")! - before, 1);
  await observatory.stop();
});

test("a node that fails is marked unreachable and the round still completes", async () => {
  const a = fakeNode(
    nodeSnapshot("a", [], { height: 0, bestHash: hash(0), chain: { "0": hash(0) } }),
    {
      [hash(0)]: { hash: hash(0), height: 0, bytes: 1, txCount: 1, prevHash: null },
    },
  );
  const b = fakeNode(nodeSnapshot("b", [], { height: 0, bestHash: hash(0) }), {});
  b.down = true;
  const observatory = createObservatory({ nodes: [a, b] });
  await observatory.pollOnce();
  let nodes = observatory.snapshot().nodes;
  assert.equal(nodes[0]!.reachable, true);
  assert.equal(nodes[1]!.reachable, false);
  assert.equal(nodes[1]!.everReachable, false);
  assert.match(nodes[1]!.lastError ?? "", /ECONNREFUSED/);
  // A node without getpropagationstats is asked once, then not again.
  assert.equal(nodes[0]!.duplicates, null);
  await observatory.pollOnce();
  assert.equal(a.calls.get("getpropagationstats"), 1);
  a.down = true;
  await observatory.pollOnce();
  nodes = observatory.snapshot().nodes;
  assert.equal(nodes[0]!.reachable, false);
  assert.equal(nodes[0]!.everReachable, true);
  await observatory.stop();
});

test("a tip that leaves the node's chain is a reorg", async () => {
  const [g, x, y, z] = [hash(0), hash(1), hash(2), hash(3)];
  const blocks: Record<string, BlockInfo> = {
    [g]: { hash: g, height: 10, bytes: 1, txCount: 1, prevHash: null },
    [x]: { hash: x, height: 11, bytes: 1, txCount: 1, prevHash: g },
    [y]: { hash: y, height: 11, bytes: 1, txCount: 1, prevHash: g },
    [z]: { hash: z, height: 12, bytes: 1, txCount: 1, prevHash: y },
  };
  const base: NodeSnapshot = nodeSnapshot("a", [], {
    height: 10,
    bestHash: g,
    chain: { "10": g },
  });
  const node = fakeNode(base, blocks);
  const observatory = createObservatory({ nodes: [node], sinceMs: 0 });
  await observatory.pollOnce();
  node.state = { ...base, height: 11, bestHash: x, chain: { "10": g, "11": x } };
  await observatory.pollOnce();
  assert.deepEqual(observatory.snapshot().reorgs, []);
  assert.deepEqual(observatory.snapshot().nodes[0]!.chain, { "10": g, "11": x });
  node.state = { ...base, height: 12, bestHash: z, chain: { "10": g, "11": y, "12": z } };
  await observatory.pollOnce();
  const snapshot = observatory.snapshot();
  assert.deepEqual(snapshot.nodes[0]!.chain, { "10": g, "11": y, "12": z });
  assert.equal(snapshot.reorgs.length, 1);
  assert.equal(snapshot.reorgs[0]!.oldTip, x);
  assert.equal(snapshot.reorgs[0]!.newTip, z);
  assert.equal(snapshot.reorgs[0]!.depth, 1);
  assert.equal(computeReport(snapshot).summary.reorgs, 1);
  await observatory.stop();
});

test("start() polls until stop() and dispatches an update per round", async () => {
  const node = fakeNode(
    nodeSnapshot("a", [], { height: 0, bestHash: hash(0), chain: { "0": hash(0) } }),
    {
      [hash(0)]: { hash: hash(0), height: 0, bytes: 1, txCount: 1, prevHash: null },
    },
  );
  const observatory = createObservatory({ nodes: [node], pollIntervalMs: 10 });
  let updates = 0;
  observatory.addEventListener("update", () => updates++);
  observatory.start();
  await once(observatory, "update");
  await once(observatory, "update");
  await observatory.stop();
  const settled = updates;
  assert.ok(settled >= 2);
  assert.equal(observatory.snapshot().polls, settled);
  assert.equal(peerIdOf("a"), observatory.snapshot().nodes[0]!.peerId);
});

test("two observed nodes may not share a name", () => {
  const state = nodeSnapshot("a", []);
  assert.throws(
    () => createObservatory({ nodes: [fakeNode(state, {}), fakeNode(state, {})] }),
    /two observed nodes are named a/,
  );
});
