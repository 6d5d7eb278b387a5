import { noise } from "@chainsafe/libp2p-noise";
import { yamux } from "@chainsafe/libp2p-yamux";
import { bootstrap } from "@libp2p/bootstrap";
import { type GossipSub, gossipsub } from "@libp2p/gossipsub";
import { type Identify, identify } from "@libp2p/identify";
import type { Libp2p, PrivateKey } from "@libp2p/interface";
import {
  type KadDHT,
  type KadDHTComponents,
  kadDHT,
  passthroughMapper,
  removePrivateAddressesMapper,
} from "@libp2p/kad-dht";
import { type Ping, ping } from "@libp2p/ping";
import { tcp } from "@libp2p/tcp";
import { createLibp2p } from "libp2p";
import { dhtProtocol } from "../constants.ts";
import { gossipsubOptions } from "../gossip/gossipsub-options.ts";
import type { GossipTopics } from "../gossip/topics.ts";
import type { NetworkOptions } from "../options.ts";
import { createConnectionGater } from "./connection-gater.ts";

export interface HostServices extends Record<string, unknown> {
  identify: Identify;
  ping: Ping;
  /** Absent when the options turn the DHT off. */
  dht?: KadDHT;
  pubsub: GossipSub;
}

export type Host = Libp2p<HostServices>;

export interface HostInit {
  options: NetworkOptions;
  privateKey: PrivateKey;
  topics: GossipTopics;
  isBanned(peer: string): boolean;
}

/**
 * The libp2p host: TCP, noise, yamux, identify, ping, the per-network Kad-DHT and gossipsub, behind
 * a gater that refuses banned peers (and private addresses on public networks). Created stopped;
 * Network.start() starts it after its own protocol handlers are in place.
 */
export async function createHost(init: HostInit): Promise<Host> {
  const { options } = init;
  const keepPrivate = options.allowPrivateAddresses;
  return createLibp2p<HostServices>({
    start: false,
    privateKey: init.privateKey,
    addresses: {
      listen: options.listen,
      announce: options.announce,
    },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: createConnectionGater({
      isBanned: init.isBanned,
      allowPrivateAddresses: keepPrivate,
    }),
    connectionManager: {
      maxConnections: options.maxConnections,
      inboundConnectionThreshold: options.inboundConnectionsPerSecondPerHost,
      dialTimeout: options.statusTimeoutMs * 2,
    },
    peerDiscovery:
      options.bootstrap.length > 0
        ? [bootstrap({ list: options.bootstrap, timeout: options.bootstrapDelayMs })]
        : [],
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub(gossipsubOptions(options, init.topics)),
      ...(options.dht ? { dht: dhtService(options) } : {}),
    },
  });
}

function dhtService(options: NetworkOptions): (components: KadDHTComponents) => KadDHT {
  const keepPrivate = options.allowPrivateAddresses;
  return kadDHT({
    protocol: dhtProtocol(options.network),
    // The default mapper drops private and loopback addresses, which on a local testnet are the
    // only ones there are.
    peerInfoMapper: keepPrivate ? passthroughMapper : removePrivateAddressesMapper,
    ...(options.dhtMode === "auto" ? {} : { clientMode: options.dhtMode === "client" }),
    logPrefix: "starling:kad-dht",
    datastorePrefix: `/starling/${options.network}/dht`,
    metricsPrefix: "starling_kad_dht",
  });
}
