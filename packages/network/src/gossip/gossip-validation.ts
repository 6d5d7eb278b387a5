import type { GossipKind } from "../constants.ts";
import type { GossipFirstSightEvent, NetworkEvents } from "../events.ts";
import type { NetworkLogger, NetworkMetrics } from "../metrics.ts";
import type { PenaltyReason } from "../peers/penalties.ts";
import type { GossipValidators, GossipVerdict } from "../types.ts";
import { BoundedQueue } from "../util/bounded-queue.ts";
import { contentIdOf } from "./message-id.ts";
import type { GossipTopics } from "./topics.ts";

export interface ReceivedGossip {
  topic: string;
  /** Gossipsub's id string ("b<hash>" / "t<txid>"). */
  msgIdStr: string;
  from: string;
  data: Uint8Array;
}

export interface GossipValidationDeps {
  topics: GossipTopics;
  validators: GossipValidators;
  /** Hands the verdict back to gossipsub (forward, or drop and score). */
  report(msgIdStr: string, from: string, verdict: GossipVerdict): void;
  penalize(peer: string, reason: PenaltyReason, points?: number): void;
  emit<K extends keyof NetworkEvents & string>(type: K, detail: NetworkEvents[K]): void;
  maxBytes: Record<GossipKind, number>;
  maxPending: number;
  metrics: NetworkMetrics;
  logger: NetworkLogger;
  now(): number;
}

/** Blocks are validated one at a time, in arrival order; transactions a few at a time. */
const CONCURRENCY: Record<GossipKind, number> = { block: 1, tx: 4 };

/**
 * The gossip pipeline of Lodestar's processor, small: every first-seen message gets a first-sight
 * event, waits in a bounded per-kind queue, is checked against its topic's size limit, goes to the
 * injected validator, and its verdict goes back to gossipsub (asyncValidation), which forwards it
 * or drops it and scores the sender. A full queue answers "ignore": memory stays bounded under a
 * flood, and no honest peer is punished for our being busy.
 */
export class GossipValidation {
  private readonly deps: GossipValidationDeps;
  private readonly queues: Record<GossipKind, BoundedQueue>;

  constructor(deps: GossipValidationDeps) {
    this.deps = deps;
    this.queues = {
      block: new BoundedQueue(CONCURRENCY.block, deps.maxPending),
      tx: new BoundedQueue(CONCURRENCY.tx, deps.maxPending),
    };
  }

  onMessage(message: ReceivedGossip): void {
    const { deps } = this;
    const kind = deps.topics.kindOf(message.topic);
    if (kind === null) {
      deps.report(message.msgIdStr, message.from, "ignore");
      return;
    }
    const sight: GossipFirstSightEvent = {
      kind,
      topic: message.topic,
      msgId: contentIdOf(message.msgIdStr),
      from: message.from,
      receivedAt: deps.now(),
      size: message.data.length,
    };
    deps.metrics.gossipReceived?.inc({ kind });
    deps.emit("gossip:first-sight", sight);
    const accepted = this.queues[kind].push(() => this.validate(kind, message, sight));
    if (!accepted) {
      deps.metrics.gossipQueueDropped?.inc({ kind });
      this.finish(kind, message, sight, "ignore", 0);
    }
  }

  /** Resolves when both queues are empty (used by stop() and tests). */
  async onIdle(): Promise<void> {
    await Promise.all([this.queues.block.onIdle(), this.queues.tx.onIdle()]);
  }

  private async validate(
    kind: GossipKind,
    message: ReceivedGossip,
    sight: GossipFirstSightEvent,
  ): Promise<void> {
    const { deps } = this;
    const started = performance.now();
    let verdict: GossipVerdict;
    let points: number | undefined;
    if (message.data.length > deps.maxBytes[kind]) {
      verdict = "reject";
    } else {
      try {
        verdict =
          kind === "block"
            ? await deps.validators.validateBlock(message.data, message.from)
            : await deps.validators.validateTx(message.data, message.from);
      } catch (err) {
        ({ verdict, points } = verdictOfError(err));
        if (verdict === "ignore") {
          deps.logger.debug({ err, kind, msgId: sight.msgId }, "gossip validator threw");
        }
      }
    }
    const validationMs = performance.now() - started;
    deps.metrics.gossipValidationSeconds?.observe({ kind }, validationMs / 1000);
    this.finish(kind, message, sight, verdict, validationMs);
    if (verdict === "reject") deps.penalize(message.from, "invalid-gossip", points);
  }

  private finish(
    kind: GossipKind,
    message: ReceivedGossip,
    sight: GossipFirstSightEvent,
    verdict: GossipVerdict,
    validationMs: number,
  ): void {
    const { deps } = this;
    deps.report(message.msgIdStr, message.from, verdict);
    deps.metrics.gossipVerdicts?.inc({ kind, verdict });
    deps.emit("gossip:validated", { ...sight, verdict, validationMs });
    if (verdict === "accept") {
      deps.emit(kind === "block" ? "gossip:block" : "gossip:tx", {
        msgId: sight.msgId,
        bytes: message.data,
        from: message.from,
        receivedAt: sight.receivedAt,
      });
    }
  }
}

/**
 * A validator that throws: the chain's ValidationError carries `action` and `score`; a DecodeError
 * means the bytes are not a block or transaction at all; anything else is our bug, not the peer's.
 */
export function verdictOfError(err: unknown): { verdict: GossipVerdict; points?: number } {
  const e = err as { name?: unknown; action?: unknown; score?: unknown } | null;
  if (e?.name === "DecodeError") return { verdict: "reject" };
  if (e?.action === "reject" || e?.action === "ignore") {
    return typeof e.score === "number" && e.score >= 0
      ? { verdict: e.action, points: e.score }
      : { verdict: e.action };
  }
  return { verdict: "ignore" };
}
