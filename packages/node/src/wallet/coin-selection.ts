import { BNB_MAX_TRIES, P2PKH_INPUT_SIZE, P2PKH_OUTPUT_SIZE } from "./constants.ts";
import { feeAtRate, maxBigInt } from "./fee.ts";

/**
 * Coin selection: first branch and bound for a set of inputs that needs no change (Core's
 * SelectCoinsBnB, without its long-term fee rate: waste is just the excess), then largest-first.
 *
 * Every coin is counted at its effective value: its amount less the fee of the input that spends
 * it. Sums are kept in thousandths of a base unit (amount × 1000 − rate × input size), so that
 * "inputs cover outputs plus the fee at the rate" is exact, with no per-input rounding.
 *
 * - Branch and bound searches (depth first, largest coins first, at most 100,000 steps) for inputs
 *   whose effective sum lands in [target + fee, target + fee + cost of change], where the cost of
 *   change is the fee of a change output plus that of spending it later. Such a set pays its small
 *   excess as fee instead of creating change. Among sets found, the smallest excess wins.
 * - Largest-first takes coins from the largest down until they cover the outputs and the fee;
 *   the rest is change, unless the change would be below the dust threshold: then it goes to the
 *   fee too.
 * - With the fee subtracted from the outputs, only largest-first runs, and coins need only cover
 *   the outputs; the recipients pay the part of the fee the excess does not.
 */

export interface SelectionRequest<T extends { readonly value: bigint }> {
  readonly candidates: readonly T[];
  /** Sum of the recipients' outputs. */
  readonly target: bigint;
  /** Base units per 1000 bytes. */
  readonly feeRate: bigint;
  /** Size of the transaction without inputs or change: overhead and recipient outputs. */
  readonly baseSize: number;
  /** Smallest change output worth creating. */
  readonly minChange: bigint;
  readonly subtractFee?: boolean;
}

export interface Selection<T> {
  readonly inputs: readonly T[];
  /** The transaction's whole fee. */
  readonly fee: bigint;
  /** The change output's amount, or 0n for no change output. */
  readonly change: bigint;
  /** Part of the fee the recipients pay (0n unless subtracting the fee from outputs). */
  readonly feeFromRecipients: bigint;
  /** Size the signed transaction is estimated at (signatures at their largest). */
  readonly size: number;
  readonly algorithm: "branch-and-bound" | "largest-first";
}

/** Chooses inputs; undefined when the candidates cannot pay for the request. */
export function selectCoins<T extends { readonly value: bigint }>(
  request: SelectionRequest<T>,
): Selection<T> | undefined {
  const { feeRate } = request;
  const inputCost = feeRate * BigInt(P2PKH_INPUT_SIZE);
  // Coins that cost more to spend than they hold only make things worse.
  const usable = request.candidates
    .filter((c) => c.value > 0n && c.value * 1000n > inputCost)
    .sort((a, b) => (a.value === b.value ? 0 : a.value > b.value ? -1 : 1));
  if (!request.subtractFee) {
    const exact = branchAndBound(usable, request);
    if (exact !== undefined) return exact;
  }
  return largestFirst(usable, request);
}

function branchAndBound<T extends { readonly value: bigint }>(
  sorted: readonly T[],
  request: SelectionRequest<T>,
): Selection<T> | undefined {
  const { feeRate, target, baseSize } = request;
  if (sorted.length === 0 || sorted.length > 2_000) return undefined;
  const inputCost = feeRate * BigInt(P2PKH_INPUT_SIZE);
  const effective = sorted.map((c) => c.value * 1000n - inputCost);
  const lower = target * 1000n + feeRate * BigInt(baseSize);
  const costOfChange = feeRate * BigInt(P2PKH_OUTPUT_SIZE + P2PKH_INPUT_SIZE);
  const upper = lower + costOfChange;
  const suffix = new Array<bigint>(effective.length + 1).fill(0n);
  for (let i = effective.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + effective[i]!;
  if (suffix[0]! < lower) return undefined;

  const picked: boolean[] = new Array(effective.length).fill(false);
  let best: boolean[] | undefined;
  let bestExcess = 0n;
  let tries = 0;
  const search = (i: number, sum: bigint): void => {
    if (++tries > BNB_MAX_TRIES || sum > upper) return;
    if (sum >= lower) {
      if (best === undefined || sum - lower < bestExcess) {
        best = [...picked];
        bestExcess = sum - lower;
      }
      return;
    }
    if (i === effective.length || sum + suffix[i]! < lower) return;
    picked[i] = true;
    search(i + 1, sum + effective[i]!);
    picked[i] = false;
    // Leaving out a coin equal to one just left out repeats a branch already searched.
    if (i > 0 && !picked[i - 1] && effective[i] === effective[i - 1]) return;
    search(i + 1, sum);
  };
  search(0, 0n);
  const chosen = best;
  if (chosen === undefined) return undefined;
  const inputs = sorted.filter((_, i) => chosen[i]);
  const total = inputs.reduce((sum, c) => sum + c.value, 0n);
  return {
    inputs,
    fee: total - target,
    change: 0n,
    feeFromRecipients: 0n,
    size: baseSize + inputs.length * P2PKH_INPUT_SIZE,
    algorithm: "branch-and-bound",
  };
}

function largestFirst<T extends { readonly value: bigint }>(
  sorted: readonly T[],
  request: SelectionRequest<T>,
): Selection<T> | undefined {
  const { feeRate, target, baseSize, minChange } = request;
  const inputs: T[] = [];
  let total = 0n;
  for (const coin of sorted) {
    inputs.push(coin);
    total += coin.value;
    const sizeNoChange = baseSize + inputs.length * P2PKH_INPUT_SIZE;
    const sizeWithChange = sizeNoChange + P2PKH_OUTPUT_SIZE;
    const feeNoChange = feeAtRate(feeRate, sizeNoChange);
    const feeWithChange = feeAtRate(feeRate, sizeWithChange);
    const base = { inputs, algorithm: "largest-first" as const };

    if (request.subtractFee) {
      if (total < target) continue;
      const excess = total - target;
      if (excess >= minChange) {
        return {
          ...base,
          fee: feeWithChange,
          change: excess,
          feeFromRecipients: feeWithChange,
          size: sizeWithChange,
        };
      }
      const fee = maxBigInt(excess, feeNoChange);
      return { ...base, fee, change: 0n, feeFromRecipients: fee - excess, size: sizeNoChange };
    }

    if (total < target + feeNoChange) continue;
    const change = total - target - feeWithChange;
    if (change >= minChange) {
      return { ...base, fee: feeWithChange, change, feeFromRecipients: 0n, size: sizeWithChange };
    }
    return { ...base, fee: total - target, change: 0n, feeFromRecipients: 0n, size: sizeNoChange };
  }
  return undefined;
}
