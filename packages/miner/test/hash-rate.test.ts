import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HashRateMeter } from "../src/index.ts";

describe("HashRateMeter", () => {
  it("is 0 until it has two samples", () => {
    const meter = new HashRateMeter(1_000);
    assert.equal(meter.rate(), 0);
    meter.sample(0, 0);
    assert.equal(meter.rate(), 0);
  });

  it("measures the growth over the window only", () => {
    const meter = new HashRateMeter(1_000);
    meter.sample(0, 0);
    meter.sample(500, 1_000_000); // a fast start...
    meter.sample(1_500, 1_100_000); // ...then slow
    meter.sample(2_500, 1_200_000);
    // Only the samples at 1,500 and 2,500 are inside the window: 100,000 hashes per second.
    assert.equal(meter.rate(), 100_000);
  });

  it("forgets everything on reset", () => {
    const meter = new HashRateMeter(1_000);
    meter.sample(0, 0);
    meter.sample(100, 100);
    meter.reset();
    assert.equal(meter.rate(), 0);
  });
});
