import type { Logger } from "pino";

/**
 * The logger shape every Starling package accepts: `(fields, message)`, as pino's methods are.
 * It satisfies `NetworkLogger` (@starling/network) and `MinerLogger` (@starling/miner), so a pino
 * child logger can be handed to either as is.
 */
export interface ComponentLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** Subsystem names used as the `module` field, one child logger each (Lodestar style). */
export const LogModule = {
  NODE: "node",
  CHAIN: "chain",
  STORAGE: "storage",
  MEMPOOL: "mempool",
  MINER: "miner",
  NETWORK: "network",
  SYNC: "sync",
  RPC: "rpc",
  METRICS: "metrics",
  WALLET: "wallet",
} as const;
export type LogModule = (typeof LogModule)[keyof typeof LogModule];

/** `logger.child({ module })`: every line of the subsystem carries its name. */
export function moduleLogger(root: Logger, module: LogModule | (string & {})): Logger {
  return root.child({ module });
}

const noop = (): void => {};

export const SILENT_COMPONENT_LOGGER: ComponentLogger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
});
