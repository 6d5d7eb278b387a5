/**
 * Initial block download and catch-up sync: headers first from the peer with the most work, blocks
 * from several peers in a moving window, connected in order; stalls detected and reassigned.
 * docs/sync.md describes the algorithm and its parameters.
 */
import { BlockSync } from "./block-sync.ts";
import { resolveSyncOptions, type SyncInit } from "./options.ts";
import type { BlockSync as BlockSyncApi, SyncComponents } from "./types.ts";

/** Builds the block sync (not started: call `start()` once the network runs). */
export function createSync(
  components: SyncComponents,
  init?: SyncInit,
): BlockSyncApi & {
  readonly events: BlockSync["events"];
} {
  return new BlockSync(components, resolveSyncOptions(init));
}

export {
  type BlockRequest,
  DownloadScheduler,
  type ReadyBlock,
  type SchedulerLimits,
  type StallCandidate,
  type WantedBlock,
} from "./download-scheduler.ts";
export {
  DEFAULT_SYNC_OPTIONS,
  resolveSyncOptions,
  type SyncInit,
  type SyncOptions,
  SyncOptionsError,
} from "./options.ts";
export type {
  BlockSync,
  SyncBlockConnectedEvent,
  SyncBlockReceivedEvent,
  SyncComponents,
  SyncErrorEvent,
  SyncEvents,
  SyncedEvent,
  SyncNetwork,
  SyncProgressEvent,
  SyncState,
  SyncStatus,
} from "./types.ts";
export { SyncEventTarget } from "./types.ts";
