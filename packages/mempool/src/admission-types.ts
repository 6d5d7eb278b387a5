import type { Coin } from "@starling/chain";
import type { MempoolEntry } from "./entry.ts";
import type { Orphan } from "./orphan-pool.ts";

/** What a submission came to when it did not throw. */
export type AcceptResult =
  | {
      readonly status: "accepted";
      readonly txid: string;
      readonly fee: bigint;
      readonly size: number;
      /** Transactions it replaced (full RBF). */
      readonly replaced: readonly string[];
    }
  | {
      /** Parents unknown: it waits in the orphan pool (only for submissions with a peer). */
      readonly status: "orphan";
      readonly txid: string;
      readonly missingParents: readonly string[];
    };

export interface SubmitOptions {
  /** Opaque id of the peer that sent it; orphans are kept only for peers. */
  readonly peer?: string;
  /** Aborts the script checks. */
  readonly signal?: AbortSignal;
}

/** How one admission runs (internal). */
export interface AdmitContext {
  readonly peer: string | undefined;
  /** Entry time to record (loading keeps the saved one). */
  readonly time: number | undefined;
  /** Skip the fee-rate floors and the size limit (reorganisation re-admission, as Core). */
  readonly bypassLimits: boolean;
  /** The orphan being retried, when this is a retry. */
  readonly orphan: Orphan | undefined;
  readonly signal: AbortSignal | undefined;
}

/** Everything the checks established, for insertion after the scripts pass. */
export interface AdmissionPlan {
  readonly fee: bigint;
  readonly modifiedFee: bigint;
  readonly size: number;
  readonly sigops: number;
  readonly coins: readonly Coin[];
  readonly parents: ReadonlySet<MempoolEntry>;
  /** Direct conflicts plus their descendants: what a replacement evicts. */
  readonly evicted: ReadonlySet<MempoolEntry>;
  readonly inputHeights: number[];
  readonly inputIsCoinbase: boolean[];
  /** Mempool state version and tip the plan was made on. */
  readonly version: number;
  readonly tipHash: string;
}
