import { join } from "node:path";
import { MAX_BLOCK_BYTES, MAX_TX_BYTES, type ReqRespName } from "./constants.ts";
import { InvalidRequestError } from "./errors.ts";

/**
 * Every option of the network with its default, in one place (Lodestar's options.ts). The node maps
 * its CLI flags and config file onto NetworkInit; tests shrink timeouts and intervals.
 */

export interface TokenBucketInit {
  /** Tokens the bucket holds when full: the burst a peer may send. */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

export type DhtMode = "server" | "client" | "auto";

export interface NetworkInit {
  /** Network name ("regtest", "devnet", "testnet"): part of every protocol id and topic. */
  network: string;
  /** Display hex of the genesis block hash: peers on another genesis are disconnected. */
  genesisHash: string;
  /** Multiaddrs to listen on. Default: all IPv4 interfaces, a port the OS picks. */
  listen?: string[];
  /** Multiaddrs to announce instead of the listen addresses (e.g. a public IP). */
  announce?: string[];
  /** Bootstrap peers: multiaddrs ending in /p2p/<peer id>. */
  bootstrap?: string[];
  /**
   * Directory for the peer key, the address book and the ban list. Without it (and without the
   * three paths below) the node has an ephemeral identity and keeps bans and peers in memory only.
   */
  dataDir?: string;
  /** Default `<dataDir>/peer-key`. */
  peerKeyPath?: string;
  /** Default `<dataDir>/address-book.json`. */
  addressBookPath?: string;
  /** Default `<dataDir>/bans.json`. */
  banListPath?: string;
  /**
   * Dial and accept private and loopback addresses, and keep them in the DHT. On for local
   * testnets; off on a public network, where such addresses are unreachable or hostile.
   */
  allowPrivateAddresses?: boolean;
  /** Run the Kad-DHT (default true). Off only for fixed topologies (tests, private clusters). */
  dht?: boolean;
  /** Kad-DHT mode: "server" answers queries; "auto" lets libp2p decide from public reachability. */
  dhtMode?: DhtMode;
  /** Hard limit of open connections (libp2p prunes above it). */
  maxConnections?: number;
  /**
   * Inbound connections one IP may open per second before libp2p refuses more. Default 5, or 50
   * with allowPrivateAddresses, where a whole local testnet shares 127.0.0.1.
   */
  inboundConnectionsPerSecondPerHost?: number;
  /** Peers the node tries to keep; discovery dials below it, pruning cuts above it. */
  targetPeers?: number;
  /** Outbound peers the node keeps at least (inbound-only peer sets are eclipse-prone). */
  targetOutboundPeers?: number;
  /** Inbound peers accepted at most; the worst-scored inbound peers go first. */
  maxInboundPeers?: number;
  /** How often the peer manager prunes, dials, expires bans and saves the address book. */
  heartbeatIntervalMs?: number;
  /** How long after start the bootstrap peers are dialled. */
  bootstrapDelayMs?: number;
  /** Target seconds between blocks: sets the block topic's expected rate for peer scoring. */
  blockSpacingSeconds?: number;
  /** Expected transactions per second on the tx topic, for peer scoring. */
  expectedTxPerSecond?: number;
  /** Largest block accepted on gossip and in block responses. */
  maxBlockBytes?: number;
  /** Largest transaction accepted on gossip and in tx responses. */
  maxTxBytes?: number;
  /** Deadline of one outbound request, from opening the stream to the last byte of the answer. */
  requestTimeoutMs?: number;
  /** Deadline of the status handshake on a new connection. */
  statusTimeoutMs?: number;
  /** How long a misbehaviour ban lasts. */
  banDurationMs?: number;
  /** Misbehaviour points at which a peer is banned (Bitcoin Core's ban score of 100). */
  banThreshold?: number;
  /** Half-life of misbehaviour points: a peer that behaves again is forgiven over time. */
  misbehaviourHalfLifeMs?: number;
  /** Gossip messages waiting for validation, per kind, before new ones are ignored. */
  maxPendingValidations?: number;
  /** Per-peer token buckets of the inbound request/response protocols. */
  rateLimits?: Partial<Record<ReqRespName, TokenBucketInit>>;
  /** Inbound streams allowed at once per connection and protocol. */
  maxInboundStreamsPerProtocol?: number;
  /** Gossipsub mesh tuning; defaults are Lodestar's. */
  gossip?: Partial<GossipTuning>;
}

/** The gossipsub settings Lodestar runs with (beacon-node network/gossip). */
export interface GossipTuning {
  D: number;
  Dlo: number;
  Dhi: number;
  Dlazy: number;
  heartbeatIntervalMs: number;
  fanoutTtlMs: number;
  mcacheLength: number;
  mcacheGossip: number;
  /** Seen-cache lifetime in heartbeats (Lodestar: 550 x 0.7 s = 385 s). */
  seenTtlHeartbeats: number;
}

export const DEFAULT_GOSSIP_TUNING: Readonly<GossipTuning> = Object.freeze({
  D: 8,
  Dlo: 6,
  Dhi: 12,
  Dlazy: 6,
  heartbeatIntervalMs: 700,
  fanoutTtlMs: 60_000,
  mcacheLength: 6,
  mcacheGossip: 3,
  seenTtlHeartbeats: 550,
});

/**
 * Request costs are counted in items (headers requests, blocks, txids...), so a peer that asks for
 * 16 blocks at once spends 16 tokens (Lodestar's quota per item). Capacities allow an initial block
 * download at full speed from one peer: 256 blocks of burst, 64 blocks/s sustained.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<ReqRespName, Readonly<TokenBucketInit>>> =
  Object.freeze({
    status: Object.freeze({ capacity: 5, refillPerSecond: 0.5 }),
    headers: Object.freeze({ capacity: 20, refillPerSecond: 5 }),
    blocks: Object.freeze({ capacity: 256, refillPerSecond: 64 }),
    mempool: Object.freeze({ capacity: 3, refillPerSecond: 0.1 }),
    txs: Object.freeze({ capacity: 4096, refillPerSecond: 1024 }),
  });

export interface NetworkOptions {
  network: string;
  genesisHash: string;
  listen: string[];
  announce: string[];
  bootstrap: string[];
  peerKeyPath: string | null;
  addressBookPath: string | null;
  banListPath: string | null;
  allowPrivateAddresses: boolean;
  dht: boolean;
  dhtMode: DhtMode;
  maxConnections: number;
  inboundConnectionsPerSecondPerHost: number;
  targetPeers: number;
  targetOutboundPeers: number;
  maxInboundPeers: number;
  heartbeatIntervalMs: number;
  bootstrapDelayMs: number;
  blockSpacingSeconds: number;
  expectedTxPerSecond: number;
  maxBlockBytes: number;
  maxTxBytes: number;
  requestTimeoutMs: number;
  statusTimeoutMs: number;
  banDurationMs: number;
  banThreshold: number;
  misbehaviourHalfLifeMs: number;
  maxPendingValidations: number;
  rateLimits: Record<ReqRespName, TokenBucketInit>;
  maxInboundStreamsPerProtocol: number;
  gossip: GossipTuning;
}

export const DEFAULT_NETWORK_OPTIONS: Readonly<
  Omit<
    NetworkOptions,
    | "network"
    | "genesisHash"
    | "peerKeyPath"
    | "addressBookPath"
    | "banListPath"
    | "rateLimits"
    | "gossip"
    | "inboundConnectionsPerSecondPerHost"
  >
> = Object.freeze({
  listen: ["/ip4/0.0.0.0/tcp/0"],
  announce: [],
  bootstrap: [],
  allowPrivateAddresses: false,
  dht: true,
  dhtMode: "server",
  maxConnections: 64,
  targetPeers: 16,
  targetOutboundPeers: 8,
  maxInboundPeers: 40,
  heartbeatIntervalMs: 10_000,
  bootstrapDelayMs: 200,
  blockSpacingSeconds: 30,
  expectedTxPerSecond: 2,
  maxBlockBytes: MAX_BLOCK_BYTES,
  maxTxBytes: MAX_TX_BYTES,
  requestTimeoutMs: 20_000,
  statusTimeoutMs: 5_000,
  banDurationMs: 24 * 3600_000,
  banThreshold: 100,
  misbehaviourHalfLifeMs: 10 * 60_000,
  maxPendingValidations: 512,
  maxInboundStreamsPerProtocol: 8,
});

const GENESIS_HEX = /^[0-9a-f]{64}$/;
const NETWORK_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** NetworkInit with every default filled in; throws InvalidRequestError on a bad value. */
export function resolveNetworkOptions(init: NetworkInit): NetworkOptions {
  if (!NETWORK_NAME.test(init.network)) {
    throw new InvalidRequestError(`network name "${init.network}" must match ${NETWORK_NAME}`);
  }
  if (!GENESIS_HEX.test(init.genesisHash)) {
    throw new InvalidRequestError("genesisHash must be 64 lowercase hex digits (display order)");
  }
  const dir = init.dataDir;
  const inDir = (name: string): string | null => (dir === undefined ? null : join(dir, name));
  const d = DEFAULT_NETWORK_OPTIONS;
  const options: NetworkOptions = {
    network: init.network,
    genesisHash: init.genesisHash,
    listen: init.listen ?? [...d.listen],
    announce: init.announce ?? [],
    bootstrap: init.bootstrap ?? [],
    peerKeyPath: init.peerKeyPath ?? inDir("peer-key"),
    addressBookPath: init.addressBookPath ?? inDir("address-book.json"),
    banListPath: init.banListPath ?? inDir("bans.json"),
    allowPrivateAddresses: init.allowPrivateAddresses ?? d.allowPrivateAddresses,
    dht: init.dht ?? d.dht,
    dhtMode: init.dhtMode ?? d.dhtMode,
    maxConnections: init.maxConnections ?? d.maxConnections,
    inboundConnectionsPerSecondPerHost:
      init.inboundConnectionsPerSecondPerHost ?? (init.allowPrivateAddresses === true ? 50 : 5),
    targetPeers: init.targetPeers ?? d.targetPeers,
    targetOutboundPeers: init.targetOutboundPeers ?? d.targetOutboundPeers,
    maxInboundPeers: init.maxInboundPeers ?? d.maxInboundPeers,
    heartbeatIntervalMs: init.heartbeatIntervalMs ?? d.heartbeatIntervalMs,
    bootstrapDelayMs: init.bootstrapDelayMs ?? d.bootstrapDelayMs,
    blockSpacingSeconds: init.blockSpacingSeconds ?? d.blockSpacingSeconds,
    expectedTxPerSecond: init.expectedTxPerSecond ?? d.expectedTxPerSecond,
    maxBlockBytes: init.maxBlockBytes ?? d.maxBlockBytes,
    maxTxBytes: init.maxTxBytes ?? d.maxTxBytes,
    requestTimeoutMs: init.requestTimeoutMs ?? d.requestTimeoutMs,
    statusTimeoutMs: init.statusTimeoutMs ?? d.statusTimeoutMs,
    banDurationMs: init.banDurationMs ?? d.banDurationMs,
    banThreshold: init.banThreshold ?? d.banThreshold,
    misbehaviourHalfLifeMs: init.misbehaviourHalfLifeMs ?? d.misbehaviourHalfLifeMs,
    maxPendingValidations: init.maxPendingValidations ?? d.maxPendingValidations,
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...init.rateLimits },
    maxInboundStreamsPerProtocol:
      init.maxInboundStreamsPerProtocol ?? d.maxInboundStreamsPerProtocol,
    gossip: { ...DEFAULT_GOSSIP_TUNING, ...init.gossip },
  };
  for (const key of [
    "maxConnections",
    "targetPeers",
    "heartbeatIntervalMs",
    "blockSpacingSeconds",
    "maxBlockBytes",
    "maxTxBytes",
    "requestTimeoutMs",
    "statusTimeoutMs",
    "banThreshold",
    "misbehaviourHalfLifeMs",
    "maxPendingValidations",
  ] as const) {
    const value = options[key];
    if (!(Number.isFinite(value) && value > 0)) {
      throw new InvalidRequestError(`${key} must be a positive number, got ${value}`);
    }
  }
  if (options.targetPeers > options.maxConnections) {
    throw new InvalidRequestError("targetPeers must not exceed maxConnections");
  }
  return options;
}
