import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DownloadScheduler, type WantedBlock } from "../../src/sync/download-scheduler.ts";
import { resolveSyncOptions, SyncOptionsError } from "../../src/sync/options.ts";
import { TokenBucket } from "../../src/sync/token-bucket.ts";

const path = (n: number, from = 1): WantedBlock[] =>
  Array.from({ length: n }, (_, i) => ({ hash: `h${from + i}`, height: from + i }));

function scheduler(limits: Partial<ConstructorParameters<typeof DownloadScheduler>[0]> = {}) {
  return new DownloadScheduler<string>({
    windowSize: 8,
    blocksPerRequest: 3,
    maxInFlightPerPeer: 2,
    maxBufferedBytes: 1_000,
    ...limits,
  });
}

const all = () => true;

describe("DownloadScheduler", () => {
  test("hands out the window in chain order, capped per request and per peer", () => {
    const s = scheduler();
    s.setPath(path(20));
    assert.deepEqual(s.nextRequest("a", all, 0)?.hashes, ["h1", "h2", "h3"]);
    assert.deepEqual(s.nextRequest("b", all, 0)?.hashes, ["h4", "h5", "h6"]);
    assert.deepEqual(s.nextRequest("a", all, 0)?.hashes, ["h7", "h8"], "the window ends at 8");
    assert.equal(s.nextRequest("a", all, 0), null, "a has 2 requests open");
    assert.equal(s.nextRequest("c", all, 0), null, "nothing pending in the window");
  });

  test("a peer is only given blocks it can serve", () => {
    const s = scheduler();
    s.setPath(path(8));
    assert.deepEqual(s.nextRequest("short", (h) => h <= 2, 0)?.hashes, ["h1", "h2"]);
    assert.equal(
      s.nextRequest("short", (h) => h <= 2, 0),
      null,
    );
  });

  test("out-of-order arrivals wait; the head connects in order and the window moves", () => {
    const s = scheduler();
    s.setPath(path(10));
    const r1 = s.nextRequest("a", all, 0)!;
    const r2 = s.nextRequest("b", all, 0)!;
    for (const h of r2.hashes) assert.ok(s.delivered(r2.id, h, `block ${h}`, 10, 1));
    assert.equal(s.peekReady(), undefined, "h4..h6 wait for h1");
    assert.equal(s.bufferedBytes, 30);
    s.delivered(r1.id, "h1", "block h1", 10, 2);
    const ready = s.peekReady()!;
    assert.deepEqual([ready.hash, ready.source, ready.block], ["h1", "a", "block h1"]);
    s.consumed("h1");
    assert.equal(s.peekReady(), undefined, "h2 not here yet");
    assert.equal(s.remaining, 9);
    // The window slid by one: h9 may be handed out now.
    s.finish(r1.id, { leftOut: false });
    assert.deepEqual(s.nextRequest("c", all, 3)?.hashes, ["h2", "h3", "h7"]);
    assert.deepEqual(s.nextRequest("c", all, 3)?.hashes, ["h8", "h9"]);
  });

  test("unrequested or duplicate deliveries are refused", () => {
    const s = scheduler();
    s.setPath(path(4));
    const r = s.nextRequest("a", all, 0)!;
    assert.equal(s.delivered(r.id, "h4", "x", 1, 0), false, "not in this request");
    assert.equal(s.delivered(r.id, "h1", "x", 1, 0), true);
    assert.equal(s.delivered(r.id, "h1", "x", 1, 0), false, "twice");
    assert.equal(s.delivered(999, "h2", "x", 1, 0), false, "unknown request");
  });

  test("blocks a peer left out are not asked of it again until its status changes", () => {
    const s = scheduler();
    s.setPath(path(3));
    const r = s.nextRequest("a", all, 0)!;
    s.delivered(r.id, "h1", "x", 1, 0);
    assert.deepEqual(s.finish(r.id, { leftOut: true }), ["h2", "h3"]);
    assert.equal(s.nextRequest("a", all, 0), null);
    assert.deepEqual(s.nextRequest("b", all, 0)?.hashes, ["h2", "h3"]);
    s.finish(2, { leftOut: false });
    s.forgetMissing("a");
    assert.deepEqual(s.nextRequest("a", all, 0)?.hashes, ["h2", "h3"]);
  });

  test("a stall is the head in flight, no progress for the timeout, nothing left to hand out", () => {
    const s = scheduler({ windowSize: 6 });
    s.setPath(path(10));
    const slow = s.nextRequest("slow", all, 0)!;
    assert.equal(s.stallCandidate(10_000, 1_000), undefined, "other work can still be handed out");
    const fast = s.nextRequest("fast", all, 0)!;
    for (const h of fast.hashes) s.delivered(fast.id, h, h, 1, 100);
    assert.equal(s.pendingInWindow(), 0);
    assert.equal(s.stallCandidate(900, 1_000), undefined, "not yet");
    assert.deepEqual(s.stallCandidate(1_000, 1_000), {
      peer: "slow",
      requestId: slow.id,
      hash: "h1",
      height: 1,
    });
    // The slow peer delivering anything resets its clock.
    s.delivered(slow.id, "h3", "h3", 1, 1_500);
    assert.equal(s.stallCandidate(2_000, 1_000), undefined);
    // Reassigned: its blocks go back to pending and to another peer.
    assert.deepEqual(s.finish(slow.id, { leftOut: false }), ["h1", "h2"]);
    assert.deepEqual(s.nextRequest("fast", all, 3_000)?.hashes, ["h1", "h2"]);
  });

  test("the byte budget stops new requests", () => {
    const s = scheduler({ maxBufferedBytes: 50 });
    s.setPath(path(8));
    const r = s.nextRequest("a", all, 0)!;
    s.delivered(r.id, "h2", "x", 60, 0);
    assert.equal(s.nextRequest("b", all, 0), null);
    s.delivered(r.id, "h1", "x", 1, 0);
    s.consumed("h1");
    s.consumed("h2");
    assert.equal(s.bufferedBytes, 0);
    assert.ok(s.nextRequest("b", all, 0) !== null);
  });

  test("a new path keeps the state of blocks still wanted and drops the rest", () => {
    const s = scheduler();
    s.setPath(path(5));
    const r = s.nextRequest("a", all, 0)!;
    s.delivered(r.id, "h1", "x", 10, 0);
    s.delivered(r.id, "h2", "x", 10, 0);
    // A reorganisation: h2 onwards replaced by another branch.
    s.setPath([
      { hash: "h1", height: 1 },
      ...path(3, 102).map((w, i) => ({ ...w, height: 2 + i })),
    ]);
    assert.equal(s.stateOf("h1"), "received");
    assert.equal(s.stateOf("h2"), undefined);
    assert.equal(s.bufferedBytes, 10);
    assert.equal(s.delivered(r.id, "h3", "x", 10, 0), false, "the old branch is dropped");
    assert.deepEqual(
      s.path().map((w) => w.hash),
      ["h1", "h102", "h103", "h104"],
    );
  });

  test("a mutated head block is fetched again from someone else", () => {
    const s = scheduler();
    s.setPath(path(2));
    const r = s.nextRequest("bad", all, 0)!;
    s.delivered(r.id, "h1", "mutated", 5, 0);
    s.refetch("h1", "bad");
    assert.equal(s.peekReady(), undefined);
    assert.equal(s.bufferedBytes, 0);
    s.finish(r.id, { leftOut: false });
    assert.equal(s.nextRequest("bad", all, 0)?.hashes.includes("h1"), false);
    assert.deepEqual(s.nextRequest("good", all, 0)?.hashes, ["h1"]);
  });
});

describe("sync options and pacing", () => {
  test("defaults fill in, bad values are refused", () => {
    const o = resolveSyncOptions({ stallTimeoutMs: 100 });
    assert.equal(o.stallTimeoutMs, 100);
    assert.equal(o.blocksPerRequest, 16);
    assert.equal(o.windowSize, 1024);
    assert.throws(() => resolveSyncOptions({ blocksPerRequest: 17 }), SyncOptionsError);
    assert.throws(() => resolveSyncOptions({ windowSize: 0 }), SyncOptionsError);
    assert.throws(
      () => resolveSyncOptions({ windowSize: 4, blocksPerRequest: 8 }),
      SyncOptionsError,
    );
  });

  test("the token bucket refills over time and says when it will have enough", () => {
    const b = new TokenBucket(10, 5, 0);
    assert.ok(b.take(10, 0));
    assert.equal(b.take(1, 0), false);
    assert.equal(b.msUntil(5, 0), 1_000);
    assert.ok(b.take(5, 1_000));
    assert.equal(b.msUntil(11, 1_000), Number.POSITIVE_INFINITY);
    assert.equal(b.available(100_000), 10, "never above capacity");
  });
});
