import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import {
  getNetwork,
  NetworkDefinitionError,
  type NetworkName,
  type NetworkParams,
  networkFromDefinition,
  parseNetworkDefinition,
} from "@starling/chain";
import type { LogFormat, LogLevel } from "../logging/logger.ts";

/**
 * Everything a node is started with. The CLI resolves flags, STARLING_* variables and the config
 * file into a partial of this; `resolveNodeOptions` fills the rest from the network's defaults, in
 * this one place.
 */
export interface NodeOptions {
  readonly network: NetworkName;
  /**
   * A network definition file (JSON: the network, its own genesis and bootstrap list), as a local
   * testnet hands its nodes; undefined runs the network as defined in code.
   */
  readonly networkFile: string | undefined;
  /** Default `~/.starling/<network>`. */
  readonly datadir: string;
  /** libp2p listen multiaddrs; default all IPv4 interfaces on the network's p2p port. */
  readonly listen: readonly string[];
  /** Multiaddrs announced instead of the listen addresses. */
  readonly announce: readonly string[];
  /** Multiaddrs ending in /p2p/<id>; default the network's bootstrap list. */
  readonly bootstrap: readonly string[];
  readonly maxPeers: number;
  /** Run the Kad-DHT (default true). */
  readonly dht: boolean;
  /** Dial and keep private and loopback addresses; default on for regtest and devnet. */
  readonly allowPrivateAddresses: boolean;
  /** Mine continuously from the start. */
  readonly mine: boolean;
  /** Where mined coins go; default a fresh address of the default wallet. */
  readonly miningAddress: string | undefined;
  /** Proof-of-work threads; default cores − 1, at least 1. */
  readonly minerThreads: number | undefined;
  /** Script verification threads; default the machine's parallelism. */
  readonly verifyThreads: number | undefined;
  /** 0 picks a free port (logged as "RPC server listening"). */
  readonly rpcPort: number;
  readonly rpcBind: string;
  readonly rpcUser: string | undefined;
  readonly rpcPassword: string | undefined;
  /** Needed to bind RPC to anything but loopback. */
  readonly rpcAllowPublic: boolean;
  /** null: no metrics server. */
  readonly metricsPort: number | null;
  readonly metricsBind: string;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** UTXO cache budget in MiB (Core's -dbcache). */
  readonly dbcache: number;
  readonly txindex: boolean;
  /** Address index; the wallet reads balances from it, so it is on by default. */
  readonly addrindex: boolean;
  /** Rebuild the chainstate from the stored blocks at start. */
  readonly reindex: boolean;
  readonly assumevalid: string | undefined;
  readonly disableWallet: boolean;
  /** First-sight records kept in memory. */
  readonly propagationCapacity: number;
}

export const DEFAULT_DBCACHE_MIB = 450;
export const DEFAULT_MAX_PEERS = 50;
export const DEFAULT_PROPAGATION_CAPACITY = 50_000;

/** `~/.starling/<network>`. */
export function defaultDatadir(network: NetworkName): string {
  return join(homedir(), ".starling", network);
}

/**
 * The network's parameters: from code, or from `networkFile` (which must name the same network).
 * Throws NetworkDefinitionError naming the file for anything wrong with it.
 */
export function networkParamsOf(
  options: Pick<NodeOptions, "network"> & { readonly networkFile?: string | undefined },
): NetworkParams {
  if (options.networkFile === undefined) return getNetwork(options.network);
  const path = options.networkFile;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new NetworkDefinitionError(`cannot read network file ${path}: ${(err as Error).message}`);
  }
  try {
    const definition = parseNetworkDefinition(json);
    if (definition.network !== options.network) {
      throw new NetworkDefinitionError(`it defines ${definition.network}, not ${options.network}`);
    }
    return networkFromDefinition(definition);
  } catch (err) {
    throw new NetworkDefinitionError(`network file ${path}: ${(err as Error).message}`);
  }
}

/** Fills every option not given from the network's defaults. */
export function resolveNodeOptions(
  partial: Partial<NodeOptions> & Pick<NodeOptions, "network">,
): NodeOptions {
  const params = networkParamsOf(partial);
  const local = params.name !== "testnet";
  const defined = Object.fromEntries(
    Object.entries(partial).filter(([, v]) => v !== undefined),
  ) as Partial<NodeOptions>;
  return {
    network: params.name,
    networkFile: undefined,
    datadir: defaultDatadir(params.name),
    listen: [`/ip4/0.0.0.0/tcp/${params.ports.p2p}`],
    announce: [],
    bootstrap: [...params.bootstrap],
    maxPeers: DEFAULT_MAX_PEERS,
    dht: true,
    allowPrivateAddresses: local,
    mine: false,
    miningAddress: undefined,
    minerThreads: undefined,
    verifyThreads: undefined,
    rpcPort: params.ports.rpc,
    rpcBind: "127.0.0.1",
    rpcUser: undefined,
    rpcPassword: undefined,
    rpcAllowPublic: false,
    metricsPort: params.ports.metrics,
    metricsBind: "127.0.0.1",
    logLevel: "info",
    logFormat: "auto",
    dbcache: DEFAULT_DBCACHE_MIB,
    txindex: false,
    addrindex: true,
    reindex: false,
    assumevalid: undefined,
    disableWallet: false,
    propagationCapacity: DEFAULT_PROPAGATION_CAPACITY,
    ...defined,
  };
}
