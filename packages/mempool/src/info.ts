import type { MempoolEntry } from "./entry.ts";

/** Core's getmempoolentry fields (amounts in base units; vsize is the size, there is no segwit). */
export interface MempoolEntryInfo {
  readonly txid: string;
  readonly vsize: number;
  readonly size: number;
  /** Seconds since the epoch when it entered the pool. */
  readonly time: number;
  /** Tip height when it entered the pool. */
  readonly height: number;
  readonly descendantcount: number;
  readonly descendantsize: number;
  readonly ancestorcount: number;
  readonly ancestorsize: number;
  readonly fees: {
    readonly base: bigint;
    readonly modified: bigint;
    readonly ancestor: bigint;
    readonly descendant: bigint;
  };
  /** Unconfirmed transactions it spends. */
  readonly depends: readonly string[];
  /** Unconfirmed transactions spending it. */
  readonly spentby: readonly string[];
  readonly sigops: number;
  /** BIP125 signalling by it or an unconfirmed ancestor (informational: full RBF replaces anyway). */
  readonly "bip125-replaceable": boolean;
}

/** Core's getmempoolinfo fields, plus the orphan count. Fee rates in base units per 1000 bytes. */
export interface MempoolInfo {
  readonly size: number;
  readonly bytes: number;
  readonly usage: number;
  readonly total_fee: bigint;
  readonly maxmempool: number;
  readonly mempoolminfee: bigint;
  readonly minrelaytxfee: bigint;
  readonly incrementalrelayfee: bigint;
  readonly fullrbf: boolean;
  readonly orphans: number;
}

export function entryInfo(e: MempoolEntry, replaceable: boolean): MempoolEntryInfo {
  return {
    txid: e.txid,
    vsize: e.size,
    size: e.size,
    time: Math.floor(e.time),
    height: e.height,
    descendantcount: e.descendantCount,
    descendantsize: e.descendantSize,
    ancestorcount: e.ancestorCount,
    ancestorsize: e.ancestorSize,
    fees: {
      base: e.fee,
      modified: e.modifiedFee,
      ancestor: e.ancestorFees,
      descendant: e.descendantFees,
    },
    depends: [...e.parents].map((p) => p.txid),
    spentby: [...e.children].map((c) => c.txid),
    sigops: e.sigops,
    "bip125-replaceable": replaceable,
  };
}
