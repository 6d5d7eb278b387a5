import assert from "node:assert/strict";
import { test } from "node:test";
import { FirstSightLog } from "../../src/propagation/first-sight-log.ts";

const hash = (i: number): string => i.toString(16).padStart(64, "0");

test("keeps only the first sighting and its verdict", () => {
  const log = new FirstSightLog(10);
  const first = {
    hash: hash(1),
    kind: "block" as const,
    firstSeenMs: 1000,
    fromPeer: "A",
    via: "gossip" as const,
    bytes: 300,
  };
  assert.equal(log.record(first), true);
  assert.equal(log.record({ ...first, firstSeenMs: 2000, fromPeer: "B" }), false);
  log.validated("block", hash(1), 12, "accept");
  log.validated("block", hash(1), 99, "reject");
  assert.deepEqual(log.get("block", hash(1)), { ...first, validationMs: 12, verdict: "accept" });
});

test("bounded: the oldest records go first", () => {
  const log = new FirstSightLog(3);
  for (let i = 0; i < 5; i++) {
    log.record({
      hash: hash(i),
      kind: "tx",
      firstSeenMs: i,
      fromPeer: null,
      via: "local",
      bytes: 1,
    });
  }
  assert.equal(log.size, 3);
  assert.deepEqual(
    log.query().map((r) => r.hash),
    [hash(4), hash(3), hash(2)],
  );
});

test("queries by hash, kind and time range, newest first, limited", () => {
  const log = new FirstSightLog(100);
  for (let i = 0; i < 10; i++) {
    log.record({
      hash: hash(i),
      kind: i % 2 === 0 ? "block" : "tx",
      firstSeenMs: i * 10,
      fromPeer: null,
      via: "sync",
      bytes: 1,
    });
  }
  assert.deepEqual(
    log.query({ hash: hash(3) }).map((r) => r.firstSeenMs),
    [30],
  );
  assert.deepEqual(
    log.query({ kind: "block", since: 20, until: 60 }).map((r) => r.firstSeenMs),
    [60, 40, 20],
  );
  assert.equal(log.query({ limit: 2 }).length, 2);
});
