import { DatabaseLockedError, StorageError, WrongNetworkError } from "@starling/storage";
import { MetricsServerError } from "../metrics/server.ts";
import { RpcError, RpcServerError, RpcTransportError } from "../rpc/errors.ts";
import { WalletError } from "../wallet/errors.ts";
import { ConfigError } from "./config.ts";

/**
 * One line a person can act on, for the errors that are theirs to fix (a busy port, a datadir of
 * another network or in use, a bad multiaddr or address). Anything else is reported by its message.
 */
export function describeError(err: unknown, context: { datadir?: string } = {}): string {
  if (err instanceof DatabaseLockedError) {
    return `the datadir ${context.datadir ?? err.path} is in use by another Starling node; stop it or choose another --datadir`;
  }
  if (err instanceof WrongNetworkError && err.found.network === err.expected.network) {
    return `the datadir ${context.datadir ?? ""} belongs to another ${err.found.network} (genesis ${err.found.genesisHash}, not ${err.expected.genesisHash}): a different --network-file; use another --datadir`;
  }
  if (err instanceof WrongNetworkError) {
    return `the datadir ${context.datadir ?? ""} belongs to network ${err.found.network}, not ${err.expected.network}; use --network ${err.found.network} or another --datadir`;
  }
  if (err instanceof StorageError) return `storage: ${err.message}`;
  if (err instanceof RpcServerError) return `RPC: ${err.message}`;
  if (err instanceof MetricsServerError) return `metrics: ${err.message}`;
  if (err instanceof ConfigError) return err.message;
  if (err instanceof RpcTransportError) return err.message;
  if (err instanceof RpcError || err instanceof WalletError) return err.message;
  const errno = err as NodeJS.ErrnoException;
  if (errno?.code === "EADDRINUSE") {
    return `a port is already in use (${errno.message}); choose another --listen, --rpc-port or --metrics-port`;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/EADDRINUSE/.test(message)) {
    return `the p2p listen address is already in use; choose another --listen (${message})`;
  }
  return message.split("\n")[0] ?? message;
}
