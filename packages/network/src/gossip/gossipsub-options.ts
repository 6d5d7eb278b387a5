import { type GossipsubOpts, StrictNoSign } from "@libp2p/gossipsub";
import type { NetworkOptions } from "../options.ts";
import { createMessageIdFns } from "./message-id.ts";
import { computeScoringParams } from "./scoring.ts";
import type { GossipTopics } from "./topics.ts";

/** Room for the RPC framing around the largest message (topic string, protobuf tags, control). */
const RPC_OVERHEAD_BYTES = 64 * 1024;

/**
 * Gossipsub configured as Lodestar runs it, for content-addressed consensus bytes: StrictNoSign (no
 * author, no seqno: the content is its own authentication), content ids, flood publish off (a 2 MB
 * block sent to every peer at once would be a burst per block; the mesh of D peers carries it),
 * asynchronous validation (the chain decides, then reportMessageValidationResult), only our two
 * topics, scoring from scoring.ts. Its metrics hooks feed only the duplicate counter on `topics`.
 */
export function gossipsubOptions(
  options: NetworkOptions,
  topics: GossipTopics,
): Partial<GossipsubOpts> {
  const g = options.gossip;
  const ids = createMessageIdFns(topics);
  const scoring = computeScoringParams({
    topics,
    blockSpacingSeconds: options.blockSpacingSeconds,
    expectedTxPerSecond: options.expectedTxPerSecond,
    D: g.D,
    allowPrivateAddresses: options.allowPrivateAddresses,
  });
  return {
    globalSignaturePolicy: StrictNoSign,
    D: g.D,
    Dlo: g.Dlo,
    Dhi: g.Dhi,
    Dlazy: g.Dlazy,
    heartbeatInterval: g.heartbeatIntervalMs,
    fanoutTTL: g.fanoutTtlMs,
    mcacheLength: g.mcacheLength,
    mcacheGossip: g.mcacheGossip,
    seenTTL: g.seenTtlHeartbeats * g.heartbeatIntervalMs,
    floodPublish: false,
    fallbackToFloodsub: false,
    doPX: false,
    asyncValidation: true,
    emitSelf: false,
    // A lone miner must be able to publish; the message then simply reaches no one.
    allowPublishToZeroTopicPeers: true,
    ignoreDuplicatePublishError: false,
    msgIdFn: (msg) => ids.msgIdFn(msg),
    fastMsgIdFn: (msg) => ids.fastMsgIdFn(msg),
    msgIdToStrFn: (id) => ids.msgIdToStrFn(id),
    scoreParams: scoring.params,
    scoreThresholds: scoring.thresholds,
    maxInboundDataLength: Math.max(options.maxBlockBytes, options.maxTxBytes) + RPC_OVERHEAD_BYTES,
    allowedTopics: topics.all(),
    metricsRegister: topics.duplicates.metricsRegister(),
    metricsTopicStrToLabel: topics.labels(),
  };
}
