import assert from "node:assert/strict";
import { it } from "node:test";
import { DEFAULT_RATE_LIMITS } from "../../src/options.ts";
import { RateLimiter } from "../../src/reqresp/rate-limiter.ts";

it("a token bucket allows its burst, then refills at its rate", () => {
  let now = 1_000_000;
  const limiter = new RateLimiter(
    { ...DEFAULT_RATE_LIMITS, headers: { capacity: 3, refillPerSecond: 2 } },
    () => now,
  );
  for (let i = 0; i < 3; i++) assert.equal(limiter.allow("a", "headers"), true, `request ${i}`);
  assert.equal(limiter.allow("a", "headers"), false, "burst spent");
  assert.equal(limiter.allow("b", "headers"), true, "buckets are per peer");
  now += 499;
  assert.equal(limiter.allow("a", "headers"), false, "not yet a whole token");
  now += 1;
  assert.equal(limiter.allow("a", "headers"), true, "one token after 0.5 s");
  now += 60_000;
  assert.equal(limiter.available("a", "headers"), 3, "refill stops at capacity");
  assert.equal(limiter.allow("a", "headers", 4), false, "a cost above capacity never passes");
  assert.equal(limiter.available("a", "headers"), 3, "and takes nothing");
  assert.equal(limiter.allow("a", "status"), true, "buckets are per protocol");
});

it("costs are counted in items", () => {
  const now = 0;
  const limiter = new RateLimiter(DEFAULT_RATE_LIMITS, () => now);
  assert.equal(limiter.allow("p", "blocks", 256), true);
  assert.equal(limiter.allow("p", "blocks", 1), false);
});

it("memory stays bounded however many peers show up", () => {
  const limiter = new RateLimiter(DEFAULT_RATE_LIMITS, () => 0);
  for (let i = 0; i < 10_000; i++) limiter.allow(`peer-${i}`, "status");
  assert.ok(limiter.trackedPeers <= 4096);
});
