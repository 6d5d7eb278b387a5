import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { multiaddr } from "@multiformats/multiaddr";
import { isNetworkName, isValidAddress, type NetworkName } from "@starling/chain";
import { isLogLevel } from "../logging/logger.ts";
import { defaultDatadir, type NodeOptions, networkParamsOf } from "../node/options.ts";

/** A configuration a person must fix: printed as one line, exit code 1. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const CONFIG_FILE_NAME = "starling.json";
export const DEFAULT_NETWORK: NetworkName = "devnet";

type Kind = "string" | "int" | "bool" | "list";

/** Every configurable option: its kind, for env and file values. */
export const OPTION_KINDS = {
  network: "string",
  networkFile: "string",
  datadir: "string",
  listen: "list",
  announce: "list",
  bootstrap: "list",
  maxPeers: "int",
  dht: "bool",
  allowPrivateAddresses: "bool",
  mine: "bool",
  miningAddress: "string",
  minerThreads: "int",
  verifyThreads: "int",
  rpcPort: "int",
  rpcBind: "string",
  rpcUser: "string",
  rpcPassword: "string",
  rpcAllowPublic: "bool",
  metricsPort: "int",
  metricsBind: "string",
  logLevel: "string",
  logFormat: "string",
  dbcache: "int",
  txindex: "bool",
  addrindex: "bool",
  reindex: "bool",
  assumevalid: "string",
  disableWallet: "bool",
} as const satisfies Partial<Record<keyof NodeOptions, Kind>>;

export type ConfigKey = keyof typeof OPTION_KINDS;
export type RawConfig = Partial<Record<ConfigKey, unknown>>;

/** maxPeers -> STARLING_MAX_PEERS. */
export function envName(key: string): string {
  return `STARLING_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

function convert(key: ConfigKey, value: unknown, from: string): unknown {
  const kind: Kind = OPTION_KINDS[key];
  const bad = (what: string): never => {
    throw new ConfigError(`${from}: ${key} must be ${what}, got ${JSON.stringify(value)}`);
  };
  switch (kind) {
    case "string":
      if (typeof value !== "string") bad("a string");
      return value;
    case "int": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) bad("a whole number >= 0");
      return n;
    }
    case "bool":
      if (typeof value === "boolean") return value;
      if (value === "1" || value === "true" || value === "yes") return true;
      if (value === "0" || value === "false" || value === "no") return false;
      return bad("true or false");
    case "list":
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value;
      if (typeof value === "string") {
        return value
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
      }
      return bad("a list of strings");
  }
}

/** STARLING_* variables, converted. */
export function configFromEnv(env: NodeJS.ProcessEnv): RawConfig {
  const out: RawConfig = {};
  for (const key of Object.keys(OPTION_KINDS) as ConfigKey[]) {
    const value = env[envName(key)];
    if (value !== undefined && value !== "") out[key] = convert(key, value, envName(key));
  }
  return out;
}

/** `<datadir>/starling.json`, camelCase or kebab-case keys; absent file = {}. */
export async function configFromFile(path: string): Promise<RawConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError(`${path} must hold a JSON object`);
  }
  const out: RawConfig = {};
  for (const [rawKey, value] of Object.entries(data)) {
    const key = rawKey.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!(key in OPTION_KINDS)) throw new ConfigError(`${path}: unknown option "${rawKey}"`);
    out[key as ConfigKey] = convert(key as ConfigKey, value, path);
  }
  return out;
}

function checkMultiaddrs(
  list: readonly string[] | undefined,
  flag: string,
  needPeerId: boolean,
): void {
  for (const address of list ?? []) {
    try {
      multiaddr(address);
    } catch {
      throw new ConfigError(`${flag}: "${address}" is not a valid multiaddr`);
    }
    if (needPeerId && !address.includes("/p2p/")) {
      throw new ConfigError(`${flag}: "${address}" must end with /p2p/<peer id>`);
    }
  }
}

/** The network a definition file names, so that `--network-file` alone is enough. */
function networkNamedIn(path: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(path, "utf8")) as { network?: unknown };
    return typeof json.network === "string" ? json.network : undefined;
  } catch {
    return undefined; // networkParamsOf reports the unreadable file with its reason
  }
}

/**
 * Resolves flag > env > file > network default. The network and datadir come first (the file
 * lives in the datadir); the rest is checked here so that mistakes fail before anything opens.
 */
export async function resolveCliConfig(
  flags: RawConfig,
  env: NodeJS.ProcessEnv,
): Promise<Partial<NodeOptions> & Pick<NodeOptions, "network">> {
  const fromEnv = configFromEnv(env);
  const networkFile = (flags.networkFile ?? fromEnv.networkFile) as string | undefined;
  const network = (flags.network ??
    fromEnv.network ??
    (networkFile === undefined ? undefined : networkNamedIn(networkFile)) ??
    DEFAULT_NETWORK) as string;
  if (!isNetworkName(network)) {
    throw new ConfigError(`unknown network "${network}" (expected regtest, devnet or testnet)`);
  }
  const datadir = (flags.datadir ?? fromEnv.datadir ?? defaultDatadir(network)) as string;
  const fromFile = await configFromFile(join(datadir, CONFIG_FILE_NAME));
  if (fromFile.network !== undefined && fromFile.network !== network) {
    throw new ConfigError(
      `${join(datadir, CONFIG_FILE_NAME)} is for network ${String(fromFile.network)}, not ${network}`,
    );
  }
  const merged: RawConfig = { ...fromFile, ...fromEnv };
  for (const [key, value] of Object.entries(flags)) {
    if (value !== undefined) merged[key as ConfigKey] = value;
  }
  merged.network = network;
  merged.datadir = datadir;
  const options = merged as Partial<NodeOptions> & Pick<NodeOptions, "network">;

  const params = networkParamsOf(options);
  if (options.logLevel !== undefined && !isLogLevel(options.logLevel)) {
    throw new ConfigError(`--log-level: unknown level "${options.logLevel}"`);
  }
  if (options.logFormat !== undefined && !["json", "pretty", "auto"].includes(options.logFormat)) {
    throw new ConfigError(`--log-format must be json, pretty or auto`);
  }
  if (
    options.miningAddress !== undefined &&
    !isValidAddress(options.miningAddress, params.prefixes)
  ) {
    throw new ConfigError(
      `--mining-address: "${options.miningAddress}" is not a ${network} address`,
    );
  }
  checkMultiaddrs(options.listen, "--listen", false);
  checkMultiaddrs(options.announce, "--announce", false);
  checkMultiaddrs(options.bootstrap, "--bootstrap", true);
  for (const port of [options.rpcPort, options.metricsPort]) {
    if (port !== undefined && port !== null && port > 65535) {
      throw new ConfigError(`port ${port} is out of range (0-65535)`);
    }
  }
  if ((options.rpcUser === undefined) !== (options.rpcPassword === undefined)) {
    throw new ConfigError("--rpc-user and --rpc-password must be given together");
  }
  return options;
}
