/**
 * @packageDocumentation
 * `@starling/network`: Starling's peer-to-peer layer on js-libp2p 3. A TCP + noise + yamux host
 * with identify and ping; discovery by bootstrap list, a per-network Kad-DHT, random walks and a
 * persisted address book; a status handshake that disconnects peers of another network or genesis;
 * gossipsub topics for blocks and transactions (content ids, StrictNoSign, validation injected,
 * peer scoring derived from the topics' rates); request/response protocols for headers, blocks and
 * mempool transactions with deadlines, size limits and per-peer rate limits; and a peer manager
 * with misbehaviour scores, persisted bans and pruning.
 *
 * It knows bytes and peers, not storage: the node injects the chain status, the gossip validators
 * and the request handlers.
 *
 * @example
 * ```ts
 * const network = await createNetwork(
 *   { network: "regtest", genesisHash, dataDir, bootstrap },
 *   { chainStatus, validators, handlers },
 * );
 * network.addEventListener("gossip:block", (e) => console.log("block", e.detail.msgId));
 * await network.start();
 * await network.publishBlock(blockBytes);
 * ```
 */

import { generateKeyPair } from "@libp2p/crypto/keys";
import type { PrivateKey } from "@libp2p/interface";
import { AddressBook } from "./discovery/address-book.ts";
import { loadOrCreatePeerKey } from "./host/peer-key.ts";
import { Network, type NetworkComponents } from "./network.ts";
import { type NetworkInit, resolveNetworkOptions } from "./options.ts";
import { BanList } from "./peers/ban-list.ts";

/**
 * Builds a Network (not started): resolves the options, loads or creates the peer key, loads the
 * ban list and address book, and creates the libp2p host. Call `start()` next.
 */
export async function createNetwork(
  init: NetworkInit,
  components: NetworkComponents & { privateKey?: PrivateKey },
): Promise<Network> {
  const options = resolveNetworkOptions(init);
  const now = components.now ?? Date.now;
  const privateKey =
    components.privateKey ??
    (options.peerKeyPath !== null
      ? await loadOrCreatePeerKey(options.peerKeyPath)
      : await generateKeyPair("Ed25519"));
  const banList = new BanList(options.banListPath, now);
  const addressBook = new AddressBook(options.addressBookPath, now);
  await Promise.all([banList.load(), addressBook.load()]);
  return Network.create({ options, components, privateKey, banList, addressBook });
}

export {
  dhtProtocol,
  type GossipKind,
  gossipTopic,
  HASH_BYTES,
  HEADER_BYTES,
  MAX_BLOCK_BYTES,
  MAX_BLOCKS_PER_REQUEST,
  MAX_HEADERS_PER_REQUEST,
  MAX_LOCATOR_HASHES,
  MAX_MEMPOOL_TXIDS,
  MAX_TX_BYTES,
  MAX_TXS_PER_REQUEST,
  protocolId,
  REQ_RESP_NAMES,
  type ReqRespName,
} from "./constants.ts";
export type { AddressBookEntry } from "./discovery/address-book.ts";
export {
  InvalidRequestError,
  MessageTooLargeError,
  NetworkNotStartedError,
  PeerBannedError,
  PeerKeyFormatError,
  PeerKeyPermissionsError,
  ProtocolViolationError,
  RemoteError,
  RequestAbortedError,
  RequestTimeoutError,
  StateFileError,
  StatusMismatchError,
} from "./errors.ts";
export type {
  Direction,
  GossipFirstSightEvent,
  GossipMessageEvent,
  GossipValidatedEvent,
  NetworkEvents,
  PeerDisconnectEvent,
  PeerPenaltyEvent,
  PeerStatusEvent,
} from "./events.ts";
export { computeScoringParams, SCORE_THRESHOLDS } from "./gossip/scoring.ts";
export { loadOrCreatePeerKey } from "./host/peer-key.ts";
export type {
  CounterMetric,
  GaugeMetric,
  HistogramMetric,
  MetricLabels,
  NetworkLogger,
  NetworkMetrics,
} from "./metrics.ts";
export { Network, type NetworkComponents, type PublishResult } from "./network.ts";
export {
  DEFAULT_GOSSIP_TUNING,
  DEFAULT_NETWORK_OPTIONS,
  DEFAULT_RATE_LIMITS,
  type DhtMode,
  type GossipTuning,
  type NetworkInit,
  type NetworkOptions,
  resolveNetworkOptions,
  type TokenBucketInit,
} from "./options.ts";
export type { BanEntry } from "./peers/ban-list.ts";
export type { PeerInfo } from "./peers/peer-manager.ts";
export { PENALTY_POINTS, type PenaltyReason } from "./peers/penalties.ts";
export type { RequestOptions } from "./reqresp/req-resp.ts";
export type {
  ChainStatus,
  ChainStatusProvider,
  GossipValidators,
  GossipVerdict,
  HandlerContext,
  PeerStatus,
  ReqRespHandlers,
} from "./types.ts";
