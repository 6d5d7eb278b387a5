import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { COIN, MAX_MONEY } from "../../src/consensus/constants.ts";
import { getBlockSubsidy, totalSubsidy } from "../../src/consensus/subsidy.ts";
import { NETWORKS } from "../../src/params/index.ts";

const BITCOIN = { initialSubsidy: 50n * COIN, halvingInterval: 210_000 };
const REGTEST = { initialSubsidy: 50n * COIN, halvingInterval: 150 };

describe("getBlockSubsidy", () => {
  it("halves at each interval boundary and not before", () => {
    assert.equal(getBlockSubsidy(0, REGTEST), 50n * COIN);
    assert.equal(getBlockSubsidy(149, REGTEST), 50n * COIN);
    assert.equal(getBlockSubsidy(150, REGTEST), 25n * COIN);
    assert.equal(getBlockSubsidy(299, REGTEST), 25n * COIN);
    assert.equal(getBlockSubsidy(300, REGTEST), 1_250_000_000n);
    assert.equal(getBlockSubsidy(210_000, BITCOIN), 25n * COIN);
  });

  it("rounds down with the shift and reaches zero after 33 halvings of 50 coins", () => {
    // 5,000,000,000 >> 32 = 1, >> 33 = 0: the last satoshi is paid in the 33rd era.
    assert.equal(getBlockSubsidy(32 * 150, REGTEST), 1n);
    assert.equal(getBlockSubsidy(33 * 150, REGTEST), 0n);
  });

  it("is 0 from the 64th halving on, whatever the initial subsidy", () => {
    const huge = { initialSubsidy: (1n << 80n) - 1n, halvingInterval: 1 };
    assert.equal(getBlockSubsidy(63, huge), ((1n << 80n) - 1n) >> 63n);
    assert.equal(getBlockSubsidy(64, huge), 0n);
    assert.equal(getBlockSubsidy(1_000_000, huge), 0n);
  });

  it("never increases with height", () => {
    fc.assert(
      fc.property(fc.nat({ max: 20_000 }), fc.nat({ max: 20_000 }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return getBlockSubsidy(high, REGTEST) <= getBlockSubsidy(low, REGTEST);
      }),
    );
  });

  it("refuses a negative or fractional height", () => {
    assert.throws(() => getBlockSubsidy(-1, REGTEST), RangeError);
    assert.throws(() => getBlockSubsidy(1.5, REGTEST), RangeError);
  });
});

describe("total supply", () => {
  it("sums era by era to what a block-by-block sum gives", () => {
    let sum = 0n;
    for (let h = 0; h < 40 * 150; h++) sum += getBlockSubsidy(h, REGTEST);
    assert.equal(totalSubsidy(REGTEST), sum);
  });

  it("stays below MAX_MONEY on every network", () => {
    for (const params of Object.values(NETWORKS)) {
      const total = totalSubsidy(params);
      assert.ok(total <= MAX_MONEY, `${params.name}: ${total} > MAX_MONEY`);
      assert.ok(total > 0n, params.name);
    }
    // With Bitcoin's schedule the total is Bitcoin's well-known 20,999,999.9769 coins.
    assert.equal(totalSubsidy(BITCOIN), 2_099_999_997_690_000n);
  });
});
