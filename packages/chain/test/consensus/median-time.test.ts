import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { medianTimePast } from "../../src/consensus/median-time.ts";

describe("medianTimePast", () => {
  it("is the middle of the last 11 times, in any order", () => {
    assert.equal(medianTimePast([5, 1, 9, 3, 7, 11, 2, 10, 4, 8, 6]), 6);
  });

  it("reads only the last 11 times", () => {
    assert.equal(medianTimePast([1_000_000, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), 6);
  });

  it("takes the upper middle of an even count, as Core indexes size / 2", () => {
    assert.equal(medianTimePast([10, 20]), 20);
    assert.equal(medianTimePast([40, 10, 30, 20]), 30);
  });

  it("is the only time of a one-block chain", () => {
    assert.equal(medianTimePast([1234]), 1234);
  });

  it("does not reorder the caller's array", () => {
    const times = [3, 1, 2];
    medianTimePast(times);
    assert.deepEqual(times, [3, 1, 2]);
  });

  it("has as many window times at or below it as above it, give or take one", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), (times) => {
        const window = times.slice(-11);
        const median = medianTimePast(times);
        const below = window.filter((t) => t < median).length;
        const above = window.filter((t) => t > median).length;
        return window.includes(median) && below <= window.length / 2 && above <= window.length / 2;
      }),
    );
  });

  it("refuses an empty list", () => {
    assert.throws(() => medianTimePast([]), RangeError);
  });
});
