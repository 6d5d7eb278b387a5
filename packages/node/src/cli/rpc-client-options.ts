import { getNetwork, isNetworkName } from "@starling/chain";
import type { Command } from "commander";
import { defaultDatadir } from "../node/options.ts";
import type { RpcClientAuth } from "../rpc/client.ts";
import { cookiePath } from "../rpc/cookie.ts";
import { ConfigError, configFromEnv, DEFAULT_NETWORK } from "./config.ts";

export interface RpcClientFlags {
  readonly network?: string;
  readonly datadir?: string;
  readonly rpcPort?: string;
  readonly rpcHost?: string;
  readonly rpcUser?: string;
  readonly rpcPassword?: string;
  readonly rpcUrl?: string;
}

export function addRpcClientOptions(command: Command): Command {
  return command
    .option("--network <name>", "regtest, devnet or testnet (default devnet)")
    .option("--datadir <dir>", "the node's data directory (for the cookie)")
    .option("--rpc-host <host>", "the node's RPC host (default 127.0.0.1)")
    .option("--rpc-port <port>", "the node's RPC port (default the network's)")
    .option("--rpc-url <url>", "the node's RPC URL (instead of host and port)")
    .option("--rpc-user <user>", "RPC user (default: the cookie)")
    .option("--rpc-password <password>", "RPC password");
}

/** Where the node answers and how to authenticate, like bitcoin-cli: flags, then env, then the cookie. */
export function rpcTarget(flags: RpcClientFlags): { url: string; auth: RpcClientAuth } {
  const env = configFromEnv(process.env);
  const network = flags.network ?? (env.network as string | undefined) ?? DEFAULT_NETWORK;
  if (!isNetworkName(network)) throw new ConfigError(`unknown network "${network}"`);
  const params = getNetwork(network);
  const datadir = flags.datadir ?? (env.datadir as string | undefined) ?? defaultDatadir(network);
  const port = flags.rpcPort ?? String(env.rpcPort ?? params.ports.rpc);
  const url = flags.rpcUrl ?? `http://${flags.rpcHost ?? "127.0.0.1"}:${port}/`;
  const user = flags.rpcUser ?? (env.rpcUser as string | undefined);
  const password = flags.rpcPassword ?? (env.rpcPassword as string | undefined);
  if (user !== undefined && password !== undefined) return { url, auth: { user, password } };
  return { url, auth: { cookieFile: cookiePath(datadir) } };
}
