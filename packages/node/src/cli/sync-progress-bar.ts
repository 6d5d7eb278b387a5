import type { SyncEventTarget, SyncedEvent, SyncProgressEvent } from "../sync/index.ts";

/** One line of a text progress bar for the initial block download. */
export function renderSyncBar(p: SyncProgressEvent, width = 30): string {
  const fraction = Math.min(1, Math.max(0, p.progress));
  const filled = Math.round(fraction * width);
  return (
    `sync [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(fraction * 100).toFixed(1)}%  ` +
    `block ${p.blockHeight}/${p.headerHeight}  ${p.blocksPerSecond.toFixed(0)} blk/s  ` +
    `${p.peers} peer${p.peers === 1 ? "" : "s"}`
  );
}

/** The part of a terminal stream the bar writes to. */
export interface BarStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * Redraws one line on a terminal as the sync reports progress, and ends it when the node is synced
 * (logs keep the same figures for non-terminals). Returns a function that detaches the bar.
 */
export function attachSyncProgressBar(events: SyncEventTarget, stream: BarStream): () => void {
  if (stream.isTTY !== true) return () => {};
  let drawn = false;
  const onProgress = (event: CustomEvent<SyncProgressEvent>): void => {
    stream.write(`\r${renderSyncBar(event.detail)}\x1b[K`);
    drawn = true;
  };
  const onSynced = (event: CustomEvent<SyncedEvent>): void => {
    if (!drawn) return;
    stream.write(`\r\x1b[Ksync done at height ${event.detail.height}\n`);
    drawn = false;
  };
  events.addEventListener("progress", onProgress);
  events.addEventListener("synced", onSynced);
  return () => {
    events.removeEventListener("progress", onProgress);
    events.removeEventListener("synced", onSynced);
    if (drawn) stream.write("\n");
  };
}
