/**
 * Bitcoin Core's GetBlockSubsidy with per-network values: the initial subsidy, halved (shifted right)
 * every `halvingInterval` blocks; from the 64th halving on it is 0, since a right shift by 64 or more
 * is undefined in C++ and Core special-cases it.
 */

export interface SubsidySchedule {
  /** Subsidy of blocks 0 .. halvingInterval − 1, in base units. */
  readonly initialSubsidy: bigint;
  readonly halvingInterval: number;
}

const MAX_HALVINGS = 64;

export function getBlockSubsidy(height: number, schedule: SubsidySchedule): bigint {
  if (!Number.isSafeInteger(height) || height < 0) {
    throw new RangeError(`getBlockSubsidy: height must be a non-negative integer, got ${height}`);
  }
  const halvings = Math.floor(height / schedule.halvingInterval);
  if (halvings >= MAX_HALVINGS) return 0n;
  return schedule.initialSubsidy >> BigInt(halvings);
}

/** Sum of every block subsidy the schedule will ever pay (genesis included). */
export function totalSubsidy(schedule: SubsidySchedule): bigint {
  let total = 0n;
  const interval = BigInt(schedule.halvingInterval);
  for (let i = 0; i < MAX_HALVINGS; i++) total += (schedule.initialSubsidy >> BigInt(i)) * interval;
  return total;
}
