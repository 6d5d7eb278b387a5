import { COIN, MAX_MONEY } from "@starling/chain";
import { WalletError, WalletErrorCode } from "./errors.ts";

/**
 * Amounts are bigint base units inside the wallet; Core's RPC shows coins as JSON numbers. A base
 * unit count below 2^53 converts exactly, and dividing by 1e8 gives the double nearest to the
 * decimal amount, which JSON prints in its shortest exact form (0.1, not 0.1000000000000000055).
 */

/** Base units as a coin amount for JSON results. */
export function amountToCoins(value: bigint): number {
  return Number(value) / Number(COIN);
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?$/;

/**
 * Core's AmountFromValue: a JSON number or numeric string of coins to base units, exactly (no
 * floating point). Throws WalletError -3: "Invalid amount" for anything not a decimal with at most
 * 8 places, "Amount out of range" for a negative amount or one above 21 million coins.
 */
export function parseCoins(value: number | string): bigint {
  const text = typeof value === "number" ? String(value) : value.trim();
  const match = typeof value === "number" && !Number.isFinite(value) ? null : DECIMAL.exec(text);
  if (match === null) throw new WalletError(WalletErrorCode.TYPE_ERROR, "Invalid amount");
  const [, sign, whole = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 100) {
    throw new WalletError(WalletErrorCode.TYPE_ERROR, "Invalid amount");
  }
  // digits × 10^(exponent − fraction length) coins = digits × 10^(8 + exponent − fraction length) units.
  const digits = BigInt(whole + fraction);
  const shift = 8 + exponent - fraction.length;
  let units: bigint;
  if (shift >= 0) {
    units = digits * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    if (digits % divisor !== 0n)
      throw new WalletError(WalletErrorCode.TYPE_ERROR, "Invalid amount");
    units = digits / divisor;
  }
  if (sign === "-" && units !== 0n) units = -units;
  if (units < 0n || units > MAX_MONEY) {
    throw new WalletError(WalletErrorCode.TYPE_ERROR, "Amount out of range");
  }
  return units;
}
