import type { Transaction } from "@starling/chain";
import { MAX_REPLACEMENT_CANDIDATES } from "./constants.ts";
import type { MempoolEntry } from "./entry.ts";
import { MempoolReason, refuse } from "./errors.ts";
import { feeAtRate, feeRateOf } from "./fee-rate.ts";
import type { TxGraph } from "./tx-graph.ts";

/**
 * Replacement by fee, Bitcoin Core 28's rules for a single transaction (full RBF: any conflict may
 * be replaced). Returns every entry the replacement evicts (the direct conflicts and their
 * descendants). The checks run in Core's order (ReplacementChecks), with its reasons:
 * - rule 6: a higher fee rate than each direct conflict ("insufficient fee");
 * - rule 5: at most 100 evictions counting descendants ("too many potential replacements");
 * - rule 2: no new unconfirmed inputs ("replacement-adds-unconfirmed");
 * - rules 3 and 4: at least the evicted fees, plus the incremental relay fee for its own size
 *   ("insufficient fee").
 * That it spends no output of what it replaces ("bad-txns-spends-conflicting-tx") is checked by
 * the caller against its ancestors, as Core's PreChecks does.
 */
export function checkReplacement(
  tx: Transaction,
  modifiedFee: bigint,
  size: number,
  conflicts: ReadonlySet<MempoolEntry>,
  graph: TxGraph,
  incrementalRelayFeeRate: bigint,
): Set<MempoolEntry> {
  const txid = tx.txid();
  const newRate = feeRateOf(modifiedFee, size);
  for (const c of conflicts) {
    const oldRate = feeRateOf(c.modifiedFee, c.size);
    if (newRate <= oldRate) {
      refuse(
        MempoolReason.INSUFFICIENT_FEE,
        `rejecting replacement ${txid}; new feerate ${newRate} <= old feerate ${oldRate}`,
      );
    }
  }

  let potential = 0;
  for (const c of conflicts) {
    potential += c.descendantCount;
    if (potential > MAX_REPLACEMENT_CANDIDATES) {
      refuse(
        MempoolReason.TOO_MANY_REPLACEMENTS,
        `rejecting replacement ${txid}; too many potential replacements (${potential} > ${MAX_REPLACEMENT_CANDIDATES})`,
      );
    }
  }
  const evicted = graph.withDescendants(conflicts);

  const parentsOfConflicts = new Set<string>();
  for (const c of conflicts)
    for (const input of c.tx.inputs) parentsOfConflicts.add(input.prevTxid);
  tx.inputs.forEach((input, index) => {
    if (!parentsOfConflicts.has(input.prevTxid) && graph.get(input.prevTxid) !== undefined) {
      refuse(
        MempoolReason.REPLACEMENT_ADDS_UNCONFIRMED,
        `replacement ${txid} adds unconfirmed input, idx ${index}`,
      );
    }
  });

  let evictedFees = 0n;
  for (const e of evicted) evictedFees += e.modifiedFee;
  if (modifiedFee < evictedFees) {
    refuse(
      MempoolReason.INSUFFICIENT_FEE,
      `rejecting replacement ${txid}, less fees than conflicting txs; ${modifiedFee} < ${evictedFees}`,
    );
  }
  const relayFee = feeAtRate(incrementalRelayFeeRate, size);
  if (modifiedFee - evictedFees < relayFee) {
    refuse(
      MempoolReason.INSUFFICIENT_FEE,
      `rejecting replacement ${txid}, not enough additional fees to relay; ${modifiedFee - evictedFees} < ${relayFee}`,
    );
  }
  return evicted;
}
