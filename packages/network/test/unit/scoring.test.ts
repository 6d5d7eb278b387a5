import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import {
  defaultTopicScoreParams,
  PeerScore,
  type PeerScoreParams,
  validatePeerScoreParams,
  validatePeerScoreThresholds,
} from "@libp2p/gossipsub/score";
import type { ComponentLogger, Logger } from "@libp2p/interface";
import { computeScoringParams, MAX_POSITIVE_SCORE } from "../../src/gossip/scoring.ts";
import { GossipTopics } from "../../src/gossip/topics.ts";

const topics = new GossipTopics("regtest", "ab".repeat(32));

function silentLogger(): ComponentLogger {
  const log = Object.assign(() => {}, {
    error: () => {},
    trace: () => {},
    enabled: false,
    newScope: () => log,
  }) as unknown as Logger;
  return { forComponent: () => log };
}

/** Deterministic exponential gaps (mean `mean` intervals): blocks arrive as a Poisson process. */
function* poissonArrivals(mean: number, count: number): Generator<number> {
  let seed = 12345;
  let t = 0;
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    t += Math.max(1, Math.round(-Math.log(1 - seed / 2 ** 31) * mean));
    yield t;
  }
}

/**
 * An honest mesh peer on the block topic over `blocks` blocks: first with 1 in D of them, a
 * duplicate for the rest. Returns the lowest score it ever had.
 */
function lowestHonestScore(params: PeerScoreParams, D: number, blocks: number): number {
  mock.timers.enable({ apis: ["Date"], now: 1_000_000 });
  try {
    const score = new PeerScore(params, null, silentLogger(), { scoreCacheValidityMs: 0 });
    score.addPeer("honest");
    score.addPeer("other");
    score.graft("honest", topics.block);
    score.graft("honest", topics.tx);
    let lowest = Number.POSITIVE_INFINITY;
    let interval = 0;
    let n = 0;
    for (const arrival of poissonArrivals(1, blocks)) {
      while (interval < arrival) {
        mock.timers.tick(params.decayInterval);
        score.refreshScores();
        lowest = Math.min(lowest, score.score("honest"));
        interval++;
      }
      const id = `block-${n}`;
      score.validateMessage(id);
      if (n % D === 0) {
        score.deliverMessage("honest", id, topics.block);
      } else {
        score.deliverMessage("other", id, topics.block);
        score.duplicateMessage("honest", id, topics.block);
      }
      n++;
    }
    return lowest;
  } finally {
    mock.timers.reset();
  }
}

describe("gossip peer scoring", () => {
  for (const spacing of [1, 5, 30, 600]) {
    it(`parameters for a ${spacing} s block spacing are valid for gossipsub`, () => {
      const { params, thresholds } = computeScoringParams({
        topics,
        blockSpacingSeconds: spacing,
        expectedTxPerSecond: 2,
        D: 8,
        allowPrivateAddresses: false,
      });
      validatePeerScoreParams(params);
      validatePeerScoreThresholds(thresholds);
      for (const topic of topics.all()) {
        const t = params.topics[topic]!;
        assert.equal(t.meshMessageDeliveriesWeight, 0, "no delivery quota on a Poisson topic");
        assert.equal(t.meshFailurePenaltyWeight, 0);
        assert.ok(t.invalidMessageDeliveriesWeight < 0);
        // One invalid message costs the whole positive range.
        assert.equal(t.topicWeight * t.invalidMessageDeliveriesWeight, -MAX_POSITIVE_SCORE);
      }
      assert.ok(params.IPColocationFactorWeight < 0, "colocation counts on public networks");
    });
  }

  it("an honest peer on a slow block topic never goes below zero", () => {
    const { params } = computeScoringParams({
      topics,
      blockSpacingSeconds: 5,
      expectedTxPerSecond: 2,
      D: 8,
      allowPrivateAddresses: true,
    });
    const lowest = lowestHonestScore(params, 8, 300);
    assert.ok(lowest >= 0, `lowest score ${lowest}`);
  });

  it("with js-libp2p's default delivery quota (P3) the same honest peer goes negative", () => {
    const { params } = computeScoringParams({
      topics,
      blockSpacingSeconds: 5,
      expectedTxPerSecond: 2,
      D: 8,
      allowPrivateAddresses: true,
    });
    // Only the mesh-delivery terms change: js-libp2p's defaults expect 20 deliveries per ~1 s of
    // decay, a busy topic's rate.
    const d = defaultTopicScoreParams;
    const quota = {
      meshMessageDeliveriesWeight: d.meshMessageDeliveriesWeight,
      meshMessageDeliveriesDecay: d.meshMessageDeliveriesDecay,
      meshMessageDeliveriesCap: d.meshMessageDeliveriesCap,
      meshMessageDeliveriesThreshold: d.meshMessageDeliveriesThreshold,
      meshMessageDeliveriesWindow: d.meshMessageDeliveriesWindow,
      meshMessageDeliveriesActivation: d.meshMessageDeliveriesActivation,
      meshFailurePenaltyWeight: d.meshFailurePenaltyWeight,
      meshFailurePenaltyDecay: d.meshFailurePenaltyDecay,
    };
    const withQuota: PeerScoreParams = {
      ...params,
      topics: {
        [topics.block]: { ...params.topics[topics.block]!, ...quota },
        [topics.tx]: { ...params.topics[topics.tx]!, ...quota },
      },
    };
    const lowest = lowestHonestScore(withQuota, 8, 300);
    assert.ok(lowest < 0, `lowest score ${lowest}`);
  });
});
