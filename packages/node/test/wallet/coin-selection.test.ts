import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { COIN } from "@starling/chain";
import {
  amountToCoins,
  feeAtRate,
  P2PKH_DUST_THRESHOLD,
  parseCoins,
  selectCoins,
  WalletError,
} from "../../src/wallet/index.ts";

const INPUT = 148;
const CHANGE = 34;
const BASE = 10 + 34; // overhead and one P2PKH recipient

function coins(...values: bigint[]): { value: bigint; id: number }[] {
  return values.map((value, id) => ({ value, id }));
}

/** xorshift32: reproducible pseudo-random cases. */
function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe("selectCoins", () => {
  it("the dust threshold of P2PKH change is Core's 546", () => {
    assert.equal(P2PKH_DUST_THRESHOLD, 546n);
  });

  it("branch and bound finds inputs that need no change", () => {
    const rate = 1000n;
    const target = 100_000n;
    const feeTwoInputs = feeAtRate(rate, BASE + 2 * INPUT);
    // 60,000 + (40,000 + fee) pays exactly; the big coin would leave change.
    const candidates = coins(10n * COIN, 60_000n, 40_000n + feeTwoInputs, 5_000n);
    const selection = selectCoins({
      candidates,
      target,
      feeRate: rate,
      baseSize: BASE,
      minChange: 546n,
    })!;
    assert.equal(selection.algorithm, "branch-and-bound");
    assert.deepEqual(selection.inputs.map((c) => c.id).sort(), [1, 2]);
    assert.equal(selection.change, 0n);
    assert.equal(selection.fee, feeTwoInputs);
  });

  it("largest-first pays change back when no exact match exists", () => {
    const rate = 2000n;
    const selection = selectCoins({
      candidates: coins(30_000n, 10n * COIN, 70_000n),
      target: 50_000n,
      feeRate: rate,
      baseSize: BASE,
      minChange: 546n,
    })!;
    assert.equal(selection.algorithm, "largest-first");
    assert.deepEqual(
      selection.inputs.map((c) => c.id),
      [1],
    );
    const size = BASE + INPUT + CHANGE;
    assert.equal(selection.size, size);
    assert.equal(selection.fee, feeAtRate(rate, size));
    assert.equal(selection.change, 10n * COIN - 50_000n - selection.fee);
  });

  it("change below dust goes to the fee", () => {
    const rate = 1000n;
    const feeNoChange = feeAtRate(rate, BASE + INPUT);
    // Leaves 300 above the no-change fee: less than the change output's cost plus dust.
    const value = 50_000n + feeNoChange + 300n;
    const selection = selectCoins({
      candidates: coins(value),
      target: 50_000n,
      feeRate: rate,
      baseSize: BASE,
      minChange: 546n,
    })!;
    assert.equal(selection.change, 0n);
    assert.equal(selection.fee, value - 50_000n);
  });

  it("subtracting the fee from outputs needs only the outputs covered", () => {
    const selection = selectCoins({
      candidates: coins(50_000n),
      target: 50_000n,
      feeRate: 1000n,
      baseSize: BASE,
      minChange: 546n,
      subtractFee: true,
    })!;
    assert.equal(selection.change, 0n);
    assert.equal(selection.fee, feeAtRate(1000n, BASE + INPUT));
    assert.equal(selection.feeFromRecipients, selection.fee);
  });

  it("undefined when the coins cannot pay, and skips coins worth less than their input", () => {
    assert.equal(
      selectCoins({
        candidates: coins(50_000n),
        target: 50_000n,
        feeRate: 1000n,
        baseSize: BASE,
        minChange: 546n,
      }),
      undefined,
    );
    const selection = selectCoins({
      candidates: coins(100n, 100n, 1_000_000n),
      target: 10_000n,
      feeRate: 1000n,
      baseSize: BASE,
      minChange: 546n,
    })!;
    assert.deepEqual(
      selection.inputs.map((c) => c.id),
      [2],
    );
  });

  it("random cases: inputs = outputs + fee + change, fee >= rate × size, change 0 or >= dust", () => {
    const random = prng(0x5eed);
    for (let round = 0; round < 300; round++) {
      const n = 1 + Math.floor(random() * 12);
      const candidates = coins(
        ...Array.from({ length: n }, () => BigInt(1 + Math.floor(random() * 2_000_000))),
      );
      const target = BigInt(1000 + Math.floor(random() * 3_000_000));
      const feeRate = BigInt(1000 + Math.floor(random() * 20_000));
      const subtractFee = random() < 0.3;
      const selection = selectCoins({
        candidates,
        target,
        feeRate,
        baseSize: BASE,
        minChange: 546n,
        subtractFee,
      });
      const total = candidates.reduce((s, c) => s + c.value, 0n);
      if (selection === undefined) {
        // Largest-first failed: even every useful coin falls short of the outputs and the fee.
        const useful = candidates.filter((c) => c.value * 1000n > feeRate * BigInt(INPUT));
        const all = useful.reduce((s, c) => s + c.value, 0n);
        const need = subtractFee
          ? target
          : target + feeAtRate(feeRate, BASE + useful.length * INPUT);
        assert.ok(
          all < need,
          `round ${round}: ${all} >= ${need} yet no selection (total ${total})`,
        );
        continue;
      }
      const inputs = selection.inputs.reduce((s, c) => s + c.value, 0n);
      const paid = target - selection.feeFromRecipients;
      assert.equal(inputs, paid + selection.fee + selection.change, `round ${round}: balance`);
      const size = BASE + selection.inputs.length * INPUT + (selection.change > 0n ? CHANGE : 0);
      assert.equal(selection.size, size, `round ${round}: size`);
      assert.ok(selection.fee >= feeAtRate(feeRate, size), `round ${round}: fee below rate`);
      assert.ok(selection.change === 0n || selection.change >= 546n, `round ${round}: dust change`);
      assert.ok(
        selection.feeFromRecipients >= 0n && (subtractFee || selection.feeFromRecipients === 0n),
      );
    }
  });
});

describe("amounts", () => {
  it("parses coin amounts exactly and prints them back", () => {
    assert.equal(parseCoins(0.1), 10_000_000n);
    assert.equal(parseCoins("21000000"), 21_000_000n * COIN);
    assert.equal(parseCoins(1e-8), 1n);
    assert.equal(parseCoins("0.00000001"), 1n);
    assert.equal(parseCoins(12.3456789), 1_234_567_890n);
    assert.equal(amountToCoins(10_000_000n), 0.1);
    assert.equal(amountToCoins(1_234_567_890n), 12.3456789);
    for (const units of [1n, 99n, 123_456_789n, 2_099_999_997_690_000n]) {
      assert.equal(parseCoins(amountToCoins(units)), units, `round trip ${units}`);
    }
  });

  it("rejects more than 8 decimals, garbage and out-of-range amounts with -3", () => {
    for (const bad of [
      "0.000000001",
      "abc",
      "1,5",
      Number.NaN,
      Number.POSITIVE_INFINITY,
      "-1",
      "21000000.00000001",
    ]) {
      assert.throws(
        () => parseCoins(bad),
        (e: unknown) => e instanceof WalletError && e.code === -3,
        String(bad),
      );
    }
  });
});
