import type { GenesisSpec } from "./genesis.ts";
import { getNetwork, isNetworkName } from "./index.ts";
import { type NetworkName, type NetworkParams, withGenesis } from "./network-params.ts";

/**
 * A network definition file: one of Starling's networks with its own genesis and bootstrap list.
 * A local testnet mines a fresh genesis at launch (so ASERT starts on schedule) and hands every
 * node the same file; a public testnet publishes its file with its seed nodes. JSON, with the
 * genesis reward as a decimal string because JSON has no bigint.
 */
export interface NetworkDefinition {
  readonly network: NetworkName;
  readonly genesis: GenesisSpec;
  /** Multiaddrs ending in /p2p/<peer id>; absent keeps the network's own list. */
  readonly bootstrap?: readonly string[];
}

/** A definition that cannot be used: the message names the field. */
export class NetworkDefinitionError extends Error {
  override readonly name = "NetworkDefinitionError";
}

function field<T>(ok: boolean, value: unknown, what: string): T {
  if (!ok) throw new NetworkDefinitionError(`${what} (got ${JSON.stringify(value)})`);
  return value as T;
}

const isUint32 = (v: unknown): boolean =>
  typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;

/** Checks and converts parsed JSON; throws NetworkDefinitionError for anything off. */
export function parseNetworkDefinition(json: unknown): NetworkDefinition {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new NetworkDefinitionError("a network definition must be a JSON object");
  }
  const o = json as Record<string, unknown>;
  const network = field<NetworkName>(
    typeof o.network === "string" && isNetworkName(o.network),
    o.network,
    "network must be regtest, devnet or testnet",
  );
  const g = o.genesis as Record<string, unknown> | undefined;
  if (typeof g !== "object" || g === null) {
    throw new NetworkDefinitionError("genesis must be an object");
  }
  const genesis: GenesisSpec = {
    message: field(typeof g.message === "string", g.message, "genesis.message must be a string"),
    time: field(isUint32(g.time), g.time, "genesis.time must be a 32-bit unsigned integer"),
    bits: field(isUint32(g.bits), g.bits, "genesis.bits must be a 32-bit unsigned integer"),
    reward: BigInt(
      field<string>(
        typeof g.reward === "string" && /^[0-9]{1,19}$/.test(g.reward),
        g.reward,
        "genesis.reward must be a decimal string of base units",
      ),
    ),
    nonce: field(isUint32(g.nonce), g.nonce, "genesis.nonce must be a 32-bit unsigned integer"),
    hash: field(
      typeof g.hash === "string" && /^[0-9a-f]{64}$/.test(g.hash),
      g.hash,
      "genesis.hash must be 64 lowercase hex digits",
    ),
  };
  let bootstrap: readonly string[] | undefined;
  if (o.bootstrap !== undefined) {
    bootstrap = field<string[]>(
      Array.isArray(o.bootstrap) && o.bootstrap.every((b) => typeof b === "string"),
      o.bootstrap,
      "bootstrap must be a list of multiaddr strings",
    );
  }
  return bootstrap === undefined ? { network, genesis } : { network, genesis, bootstrap };
}

/** The definition as JSON-ready data (the inverse of parseNetworkDefinition). */
export function networkDefinitionToJson(definition: NetworkDefinition): Record<string, unknown> {
  return {
    network: definition.network,
    genesis: { ...definition.genesis, reward: definition.genesis.reward.toString() },
    ...(definition.bootstrap === undefined ? {} : { bootstrap: [...definition.bootstrap] }),
  };
}

/**
 * The parameters of a defined network: the named network's rules with the definition's genesis
 * (re-derived and checked against its hash) and bootstrap list.
 */
export function networkFromDefinition(definition: NetworkDefinition): NetworkParams {
  const base = getNetwork(definition.network);
  if (definition.genesis.bits !== base.powLimitBits) {
    throw new NetworkDefinitionError(
      `genesis.bits must be ${definition.network}'s powLimit 0x${base.powLimitBits.toString(16)}`,
    );
  }
  let params: NetworkParams;
  try {
    params = withGenesis(base, definition.genesis);
  } catch (err) {
    throw new NetworkDefinitionError(`genesis does not match its hash: ${(err as Error).message}`);
  }
  return definition.bootstrap === undefined
    ? params
    : Object.freeze({ ...params, bootstrap: Object.freeze([...definition.bootstrap]) });
}
