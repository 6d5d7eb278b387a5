import type {
  PeerScoreParams,
  PeerScoreThresholds,
  TopicScoreParams,
} from "@libp2p/gossipsub/score";
import type { GossipTopics } from "./topics.ts";

/**
 * Gossipsub peer-score parameters derived from each topic's expected message rate, after Lodestar's
 * scoringParameters.ts (itself after Lighthouse). docs/network.md walks through the numbers; the
 * short version:
 *
 * - Positive terms: time in mesh (P1, up to 10 per topic after an hour) and first deliveries (P2,
 *   up to 40 per topic), scaled by topic weights 0.5 + 0.5, so an honest peer scores at most 50
 *   (capped at 25 for the topic part).
 * - Mesh-delivery deficits (P3, P3b) are OFF on both topics. Blocks arrive as a Poisson process
 *   (one per spacing on average, with long quiet spells: no block for 3 spacings happens 5% of the
 *   time) and transactions at whatever rate users make them; a delivery quota would drive every
 *   honest mesh peer negative during each quiet spell. js-libp2p's defaults (threshold 20
 *   deliveries, weight -1) do exactly that on a block topic.
 * - Invalid messages (P4) cost the whole positive range per message, squared: one invalid block
 *   takes a peer to about -50 (x topic weight), a handful to the gossip threshold.
 * - Behaviour penalties (P7: broken IWANT promises, GRAFT during backoff) and IP colocation (P6)
 *   as Lodestar.
 *
 * Honest peers forward only what they validated, keep their promises and do not share an IP, so
 * every negative term stays at zero for them and their score stays >= 0.
 */

export const SCORE_THRESHOLDS: Readonly<PeerScoreThresholds> = Object.freeze({
  gossipThreshold: -4000,
  publishThreshold: -8000,
  graylistThreshold: -16000,
  acceptPXThreshold: 100,
  opportunisticGraftThreshold: 5,
});

export const MAX_IN_MESH_SCORE = 10;
export const MAX_FIRST_MESSAGE_DELIVERIES_SCORE = 40;
export const BLOCK_TOPIC_WEIGHT = 0.5;
export const TX_TOPIC_WEIGHT = 0.5;
export const MAX_POSITIVE_SCORE =
  (MAX_IN_MESH_SCORE + MAX_FIRST_MESSAGE_DELIVERIES_SCORE) * (BLOCK_TOPIC_WEIGHT + TX_TOPIC_WEIGHT);
/** A counter is considered gone once decayed to this fraction. */
const DECAY_TO_ZERO = 0.01;

export interface ScoringInit {
  topics: GossipTopics;
  /** Target seconds between blocks. */
  blockSpacingSeconds: number;
  /** Expected transactions per second on the tx topic. */
  expectedTxPerSecond: number;
  /** Gossipsub D: a peer is expected to deliver first about 1/D of the messages. */
  D: number;
  /** Local testnets share one IP: colocation must not count against them. */
  allowPrivateAddresses: boolean;
}

export interface TopicScoreInput {
  topicWeight: number;
  /** Expected messages per decay interval. */
  expectedMessagesPerInterval: number;
  /** How long a first-delivery credit lasts (ms). */
  firstMessageDecayMs: number;
  /** How long an invalid-message penalty lasts (ms). */
  invalidMessageDecayMs: number;
}

export interface ScoringParams {
  params: PeerScoreParams;
  thresholds: PeerScoreThresholds;
}

/** Decay factor per interval so that a counter falls to DECAY_TO_ZERO after `decayTimeMs`. */
export function decayPerInterval(decayTimeMs: number, decayIntervalMs: number): number {
  return DECAY_TO_ZERO ** (decayIntervalMs / decayTimeMs);
}

/** The value a counter converges to when fed `rate` per interval and decayed by `decay`. */
export function decayConvergence(decay: number, rate: number): number {
  return rate / (1 - decay);
}

export function computeScoringParams(init: ScoringInit): ScoringParams {
  const spacingMs = init.blockSpacingSeconds * 1000;
  // Lodestar decays once per slot; the block spacing is our slot, kept within 1-12 s so that
  // regtest (1 s) and testnet (30 s) both get a sensible granularity.
  const decayIntervalMs = Math.min(12_000, Math.max(1000, spacingMs));
  const hourMs = 3600_000;

  const blockRate = decayIntervalMs / spacingMs;
  const txRate = (init.expectedTxPerSecond * decayIntervalMs) / 1000;
  const topicParams = (input: TopicScoreInput): TopicScoreParams =>
    topicScoreParams(input, decayIntervalMs, init.D);

  const topics: Record<string, TopicScoreParams> = {
    [init.topics.block]: topicParams({
      topicWeight: BLOCK_TOPIC_WEIGHT,
      expectedMessagesPerInterval: blockRate,
      firstMessageDecayMs: Math.max(20 * spacingMs, 10 * 60_000),
      invalidMessageDecayMs: Math.max(50 * spacingMs, hourMs),
    }),
    [init.topics.tx]: topicParams({
      topicWeight: TX_TOPIC_WEIGHT,
      expectedMessagesPerInterval: Math.max(txRate, 0.01),
      firstMessageDecayMs: 10 * 60_000,
      invalidMessageDecayMs: hourMs,
    }),
  };

  // P7: a sustained 10 misbehaviours per 32 intervals (Lodestar's "10 per epoch") above the free
  // allowance of 6 reaches the gossip threshold.
  const behaviourPenaltyDecay = decayPerInterval(10 * 32 * decayIntervalMs, decayIntervalMs);
  const behaviourPenaltyThreshold = 6;
  const target = decayConvergence(behaviourPenaltyDecay, 10 / 32) - behaviourPenaltyThreshold;
  const topicScoreCap = MAX_POSITIVE_SCORE * 0.5;

  const params: PeerScoreParams = {
    topics,
    topicScoreCap,
    appSpecificScore: () => 0,
    appSpecificWeight: 1,
    IPColocationFactorWeight: init.allowPrivateAddresses ? 0 : -topicScoreCap,
    IPColocationFactorThreshold: 3,
    IPColocationFactorWhitelist: new Set<string>(),
    behaviourPenaltyWeight: SCORE_THRESHOLDS.gossipThreshold / (target * target),
    behaviourPenaltyThreshold,
    behaviourPenaltyDecay,
    decayInterval: decayIntervalMs,
    decayToZero: DECAY_TO_ZERO,
    // Remember a departed peer's counters for an hour: reconnecting must not wipe penalties.
    retainScore: hourMs,
  };
  return { params, thresholds: { ...SCORE_THRESHOLDS } };
}

export function topicScoreParams(
  input: TopicScoreInput,
  decayIntervalMs: number,
  D: number,
): TopicScoreParams {
  // P1: an hour in the mesh earns MAX_IN_MESH_SCORE, counted in decay intervals.
  const timeInMeshQuantum = decayIntervalMs;
  const timeInMeshCap = 3600_000 / timeInMeshQuantum;
  // P2: a mesh peer is first with about 2/D of the messages at most (Lodestar's allowance).
  const firstMessageDeliveriesDecay = decayPerInterval(input.firstMessageDecayMs, decayIntervalMs);
  const firstMessageDeliveriesCap = decayConvergence(
    firstMessageDeliveriesDecay,
    (2 * input.expectedMessagesPerInterval) / D,
  );
  return {
    topicWeight: input.topicWeight,
    timeInMeshWeight: MAX_IN_MESH_SCORE / timeInMeshCap,
    timeInMeshQuantum,
    timeInMeshCap,
    firstMessageDeliveriesWeight: MAX_FIRST_MESSAGE_DELIVERIES_SCORE / firstMessageDeliveriesCap,
    firstMessageDeliveriesDecay,
    firstMessageDeliveriesCap,
    // P3 and P3b off: see the module comment.
    meshMessageDeliveriesWeight: 0,
    meshMessageDeliveriesDecay: 0,
    meshMessageDeliveriesCap: 0,
    meshMessageDeliveriesThreshold: 0,
    meshMessageDeliveriesWindow: 0,
    meshMessageDeliveriesActivation: 0,
    meshFailurePenaltyWeight: 0,
    meshFailurePenaltyDecay: 0,
    // P4: each invalid message costs the whole positive range (times the topic weight), squared.
    invalidMessageDeliveriesWeight: -MAX_POSITIVE_SCORE / input.topicWeight,
    invalidMessageDeliveriesDecay: decayPerInterval(input.invalidMessageDecayMs, decayIntervalMs),
  };
}
