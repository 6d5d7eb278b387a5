import type { Block } from "../primitives/block.ts";
import { buildGenesisBlock, type GenesisSpec } from "./genesis.ts";
import type { AddressPrefixes } from "./prefixes.ts";

/**
 * Everything that differs between Starling's networks (DESIGN.md §4). Rules shared by all networks
 * live in consensus/constants.ts; docs/consensus.md lists every value and the reasons for it.
 */

export type NetworkName = "regtest" | "devnet" | "testnet";

/** aserti3-2d settings: the anchor is the genesis block, its "parent time" genesis time − spacing. */
export interface AsertSchedule {
  readonly anchorHeight: number;
  readonly anchorParentTime: number;
  readonly anchorBits: number;
  /** Seconds ahead of (behind) schedule that halve (double) the target. */
  readonly halfLife: number;
}

export interface NetworkPorts {
  /** libp2p TCP listen port. */
  readonly p2p: number;
  /** JSON-RPC over HTTP. */
  readonly rpc: number;
  /** Prometheus metrics over HTTP. */
  readonly metrics: number;
}

export interface NetworkParams {
  readonly name: NetworkName;
  /** The network's first block; its coinbase outputs are never spendable. */
  readonly genesis: Block;
  /** Display hex of the genesis hash, fixed in code (re-derived by the params tests). */
  readonly genesisHash: string;
  /** What genesis was built from (scripts/gen-genesis.ts mines it). */
  readonly genesisSpec: GenesisSpec;
  /** Four bytes that open this network's framed data (Bitcoin's pchMessageStart). */
  readonly magic: readonly [number, number, number, number];
  readonly prefixes: AddressPrefixes;
  readonly ports: NetworkPorts;
  /** libp2p multiaddrs (with /p2p/<peer id>) dialled at start-up. */
  readonly bootstrap: readonly string[];
  /** Blocks a coinbase output must wait: spendable at height >= coin height + maturity. */
  readonly coinbaseMaturity: number;
  /** Blocks between subsidy halvings. */
  readonly halvingInterval: number;
  /** Subsidy of the first blocks, in base units. */
  readonly initialSubsidy: bigint;
  /** Target seconds between blocks. */
  readonly targetSpacing: number;
  /** The easiest target allowed, as compact bits (also genesis's bits). */
  readonly powLimitBits: number;
  /** Difficulty adjustment; null means none: every block carries powLimitBits (regtest). */
  readonly asert: AsertSchedule | null;
  /** BIP44 coin type for HD wallets (1 = every test network, per SLIP-44). */
  readonly bip44CoinType: number;
}

/** `/starling/<network>/<first 8 hex of genesis hash>`: the gossipsub topic prefix (DESIGN.md §5). */
export function gossipTopicPrefix(params: {
  readonly name: string;
  readonly genesisHash: string;
}): string {
  return `/starling/${params.name}/${params.genesisHash.slice(0, 8)}`;
}

/** The gossipsub topic of blocks or transactions. */
export function gossipTopic(
  params: { readonly name: string; readonly genesisHash: string },
  kind: "block" | "tx",
): string {
  return `${gossipTopicPrefix(params)}/${kind}`;
}

/** `/starling/<network>/kad/1.0.0`: this network's Kad-DHT protocol, apart from the public IPFS DHT. */
export function dhtProtocol(params: { readonly name: string }): string {
  return `/starling/${params.name}/kad/1.0.0`;
}

/** A network's own values; genesis, its hash and the ASERT anchor are derived from `genesisSpec`. */
export interface NetworkInit extends Omit<NetworkParams, "genesis" | "genesisHash" | "asert"> {
  /** ASERT half-life in seconds, or null for no difficulty adjustment. */
  readonly asertHalfLife: number | null;
}

/**
 * Builds a network's parameters, rebuilding the genesis block from its spec. Throws when the block
 * does not hash to the spec's fixed hash: a spec edited without re-mining must fail loudly, not
 * quietly start another network.
 */
export function defineNetwork(init: NetworkInit): NetworkParams {
  const { asertHalfLife, ...rest } = init;
  const spec = init.genesisSpec;
  if (spec.bits !== init.powLimitBits) throw new RangeError("genesis bits must equal powLimitBits");
  const asert: AsertSchedule | null =
    asertHalfLife === null
      ? null
      : Object.freeze({
          anchorHeight: 0,
          anchorParentTime: spec.time - init.targetSpacing,
          anchorBits: spec.bits,
          halfLife: asertHalfLife,
        });
  const genesis = buildGenesisBlock(spec, spec.nonce);
  if (genesis.hash() !== spec.hash) {
    throw new Error(`${init.name} genesis hashes to ${genesis.hash()}, not ${spec.hash}`);
  }
  return Object.freeze({
    ...rest,
    genesis,
    genesisHash: spec.hash,
    asert,
  });
}

/**
 * The same network with another genesis, e.g. a local testnet's own, mined at launch so that ASERT
 * starts on schedule. The ASERT anchor follows the new genesis.
 */
export function withGenesis(params: NetworkParams, spec: GenesisSpec): NetworkParams {
  const { genesis: _genesis, genesisHash: _hash, asert, ...rest } = params;
  return defineNetwork({ ...rest, genesisSpec: spec, asertHalfLife: asert?.halfLife ?? null });
}
