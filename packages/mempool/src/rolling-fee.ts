import { ROLLING_FEE_HALF_LIFE_SECONDS } from "./constants.ts";
import { maxBigInt } from "./fee-rate.ts";

/**
 * Core's rolling minimum fee rate (CTxMemPool::GetMinFee / trackPackageRemoved): evicting a package
 * for space raises the minimum to that package's rate plus the incremental relay rate; after the
 * next block it decays with a 12-hour half-life (a quarter or half of that while the mempool is
 * under a quarter or half full) and drops to zero below half the incremental rate.
 */
export class RollingMinimumFee {
  private rate = 0;
  private lastUpdate: number;
  private blockSinceBump = false;
  private readonly incrementalRate: bigint;

  constructor(incrementalRate: bigint, now: number) {
    this.incrementalRate = incrementalRate;
    this.lastUpdate = now;
  }

  /** The minimum rate now (base units per 1000 bytes); `usage` and `limit` set the decay speed. */
  current(now: number, usage: number, limit: number): bigint {
    if (!this.blockSinceBump || this.rate === 0) return BigInt(Math.round(this.rate));
    if (now > this.lastUpdate + 10) {
      let halfLife = ROLLING_FEE_HALF_LIFE_SECONDS;
      if (usage < limit / 4) halfLife /= 4;
      else if (usage < limit / 2) halfLife /= 2;
      this.rate /= 2 ** ((now - this.lastUpdate) / halfLife);
      this.lastUpdate = now;
      if (this.rate < Number(this.incrementalRate) / 2) {
        this.rate = 0;
        return 0n;
      }
    }
    const rounded = BigInt(Math.round(this.rate));
    return maxBigInt(rounded, this.incrementalRate);
  }

  /** A package of this rate was evicted (rate already includes the incremental rate). */
  packageRemoved(rate: bigint): void {
    const value = Number(rate);
    if (value > this.rate) {
      this.rate = value;
      this.blockSinceBump = false;
    }
  }

  /** A block was connected: decay may start. */
  blockConnected(now: number): void {
    this.lastUpdate = now;
    this.blockSinceBump = true;
  }
}
