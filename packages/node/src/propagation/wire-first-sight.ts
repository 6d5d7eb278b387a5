import type { ChainState } from "@starling/chain";
import type { Network } from "@starling/network";
import type { Metrics } from "../metrics/metrics.ts";
import type { SyncEventTarget } from "../sync/index.ts";
import type { FirstSightLog } from "./first-sight-log.ts";

/**
 * Feeds the first-sight log: gossip sightings (before validation) and their verdicts from the
 * network; blocks that reach the chain any other way (initial sync, catch-up) from the chain's
 * `block:connected`. Local blocks and transactions are recorded by whoever made them, before they
 * enter the chain. Returns the unsubscribe function.
 */
export function wireFirstSight(
  log: FirstSightLog,
  network: Network,
  chain: ChainState,
  metrics: Metrics | null,
  now: () => number,
): () => void {
  const onFirstSight = (event: Event): void => {
    const d = (event as CustomEvent).detail as {
      kind: "block" | "tx";
      msgId: string;
      from: string;
      receivedAt: number;
      size: number;
    };
    log.record({
      hash: d.msgId,
      kind: d.kind,
      firstSeenMs: d.receivedAt,
      fromPeer: d.from,
      via: "gossip",
      bytes: d.size,
    });
  };
  const onValidated = (event: Event): void => {
    const d = (event as CustomEvent).detail as {
      kind: "block" | "tx";
      msgId: string;
      receivedAt: number;
      verdict: string;
      validationMs: number;
    };
    log.validated(d.kind, d.msgId, d.validationMs, d.verdict);
    if (d.kind === "block" && d.verdict === "accept" && metrics !== null) {
      const info = chain.getBlockInfo(d.msgId);
      if (info !== undefined) {
        const delay = Math.max(0, d.receivedAt / 1000 - info.header.time);
        metrics.propagation.firstSightDelaySeconds.observe({ kind: "block" }, delay);
      }
    }
  };
  network.addEventListener("gossip:first-sight", onFirstSight);
  network.addEventListener("gossip:validated", onValidated);
  const offConnected = chain.events.on("block:connected", (e) => {
    log.record({
      hash: e.hash,
      kind: "block",
      firstSeenMs: now(),
      fromPeer: null,
      via: "sync",
      bytes: e.block.strippedSize(),
      verdict: "accept",
    });
  });
  return () => {
    network.removeEventListener("gossip:first-sight", onFirstSight);
    network.removeEventListener("gossip:validated", onValidated);
    offConnected();
  };
}

/**
 * Feeds the first-sight log from the block download: which peer served each block, when, its size,
 * and how long the chain took to accept it. Registered before the chain's `block:connected`
 * fallback fires for the same block, so the record names the peer. Returns the unsubscribe function.
 */
export function wireSyncFirstSight(log: FirstSightLog, events: SyncEventTarget): () => void {
  const onReceived = (
    event: CustomEvent<{ hash: string; source: string; bytes: number; atMs: number }>,
  ): void => {
    const d = event.detail;
    log.record({
      hash: d.hash,
      kind: "block",
      firstSeenMs: d.atMs,
      fromPeer: d.source,
      via: "sync",
      bytes: d.bytes,
    });
  };
  const onConnected = (event: CustomEvent<{ hash: string; validationMs: number }>): void => {
    log.validated("block", event.detail.hash, event.detail.validationMs, "accept");
  };
  events.addEventListener("received", onReceived);
  events.addEventListener("connected", onConnected);
  return () => {
    events.removeEventListener("received", onReceived);
    events.removeEventListener("connected", onConnected);
  };
}
