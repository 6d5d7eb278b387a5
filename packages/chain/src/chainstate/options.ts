import type { ScriptJobRunner } from "../consensus/script-job-runner.ts";
import type { NetworkParams } from "../params/network-params.ts";
import type { OrphanPoolOptions } from "./orphans.ts";
import type { ChainStateStore } from "./store.ts";

/** What the chain state machine is built from (js-libp2p's Components: injected dependencies). */
export interface ChainStateComponents {
  readonly params: NetworkParams;
  readonly store: ChainStateStore;
  /** Where script checks run (default: inline on this thread; the node passes its worker pool). */
  readonly scriptRunner?: ScriptJobRunner;
}

/** Progress of a long run of block connections (start-up catch-up, reindex). */
export interface ConnectProgress {
  readonly hash: string;
  readonly height: number;
  /** Height of the best known header: where the run is heading. */
  readonly bestHeaderHeight: number;
}

/** Options (js-libp2p's Init: everything optional, with defaults). */
export interface ChainStateInit {
  /**
   * Bitcoin Core's assumevalid: a block hash whose ancestors on the best header chain skip their
   * script checks (everything else is still checked). Off by default.
   */
  readonly assumeValid?: string;
  /** Limits of the orphan block pool. */
  readonly orphans?: OrphanPoolOptions;
  /** Called after each block connected while `open` catches up with the stored blocks. */
  readonly onProgress?: (progress: ConnectProgress) => void;
}
