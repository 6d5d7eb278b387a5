import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BlockValidationError, DecodeError, DecodeReason } from "@starling/chain";
import { GossipValidation, verdictOfError } from "../../src/gossip/gossip-validation.ts";
import { GossipTopics } from "../../src/gossip/topics.ts";
import type { GossipValidators, GossipVerdict } from "../../src/types.ts";

const topics = new GossipTopics("regtest", "ff".repeat(32));

function harness(validators: GossipValidators, maxPending = 8) {
  const log: string[] = [];
  const penalties: Array<{ peer: string; points: number | undefined }> = [];
  const reports: GossipVerdict[] = [];
  const gossip = new GossipValidation({
    topics,
    validators,
    report: (_id, _from, verdict) => reports.push(verdict),
    penalize: (peer, _reason, points) => penalties.push({ peer, points }),
    emit: (type, detail) => log.push(`${type}:${"verdict" in detail ? detail.verdict : ""}`),
    maxBytes: { block: 1000, tx: 100 },
    maxPending,
    metrics: {},
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    now: () => 42,
  });
  return { gossip, log, penalties, reports };
}

const message = (topic: string, size: number) => ({
  topic,
  msgIdStr: `b${"00".repeat(32)}`,
  from: "peer",
  data: new Uint8Array(size),
});

describe("gossip validation", () => {
  it("first sight comes before validation; accept delivers", async () => {
    const h = harness({ validateBlock: async () => "accept", validateTx: async () => "accept" });
    h.gossip.onMessage(message(topics.block, 200));
    await h.gossip.onIdle();
    assert.deepEqual(h.log, ["gossip:first-sight:", "gossip:validated:accept", "gossip:block:"]);
    assert.deepEqual(h.reports, ["accept"]);
    assert.deepEqual(h.penalties, []);
  });

  it("an oversized message is rejected without asking the validator", async () => {
    let asked = 0;
    const h = harness({
      validateBlock: async () => "accept",
      validateTx: async () => {
        asked++;
        return "accept";
      },
    });
    h.gossip.onMessage(message(topics.tx, 101));
    await h.gossip.onIdle();
    assert.equal(asked, 0);
    assert.deepEqual(h.reports, ["reject"]);
    assert.equal(h.penalties.length, 1);
  });

  it("thrown errors map to verdicts: chain errors by action, decode errors reject, bugs ignore", async () => {
    const h = harness({
      validateBlock: async () => {
        throw new BlockValidationError("bad-txnmrklroot", {
          score: 100,
          detail: "merkle root mismatch",
        });
      },
      validateTx: async () => {
        throw new Error("database is closed");
      },
    });
    h.gossip.onMessage(message(topics.block, 200));
    h.gossip.onMessage(message(topics.tx, 50));
    await h.gossip.onIdle();
    assert.deepEqual(h.reports.sort(), ["ignore", "reject"]);
    assert.deepEqual(h.penalties, [{ peer: "peer", points: 100 }]);
    assert.deepEqual(verdictOfError(new DecodeError(DecodeReason.TRUNCATED)), {
      verdict: "reject",
    });
    assert.deepEqual(verdictOfError({ action: "ignore", score: 0 }), {
      verdict: "ignore",
      points: 0,
    });
  });

  it("a full queue ignores instead of growing", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const h = harness(
      {
        validateBlock: async () => {
          await gate;
          return "accept";
        },
        validateTx: async () => "accept",
      },
      2,
    );
    for (let i = 0; i < 5; i++) h.gossip.onMessage(message(topics.block, 100));
    assert.deepEqual(h.reports, ["ignore", "ignore", "ignore"], "three dropped at once");
    release();
    await h.gossip.onIdle();
    assert.deepEqual(h.reports, ["ignore", "ignore", "ignore", "accept", "accept"]);
  });

  it("messages on unknown topics are ignored", async () => {
    const h = harness({ validateBlock: async () => "accept", validateTx: async () => "accept" });
    h.gossip.onMessage(message("/other/topic", 10));
    assert.deepEqual(h.reports, ["ignore"]);
    assert.deepEqual(h.log, []);
  });
});
