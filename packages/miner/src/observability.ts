/**
 * How the miner reports: metrics through a small callback interface (the node maps it onto
 * prom-client; this package depends on no metrics library), logs through a pino-compatible
 * logger (`logger.info(fields, message)`), silent when none is given.
 */

import type { TemplateChange } from "./template-manager.ts";

export interface MinerMetrics {
  /** Hashes done since the previous call (a counter's increment). */
  addHashes?(count: number): void;
  /** Hashes per second over the sliding window (a gauge). */
  setHashRate?(hashesPerSecond: number): void;
  /** Worker threads searching (a gauge). */
  setThreads?(threads: number): void;
  blockFound?(info: { readonly height: number; readonly hash: string }): void;
  templateBuilt?(info: {
    readonly reason: TemplateChange;
    readonly height: number;
    readonly transactions: number;
    readonly fees: bigint;
    readonly size: number;
  }): void;
}

/** The subset of pino's API the miner uses. */
export interface MinerLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const noop = (): void => {};

export const SILENT_LOGGER: MinerLogger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
});
