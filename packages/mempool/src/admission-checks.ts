import {
  type Coin,
  calculateSequenceLocks,
  checkTransaction,
  checkTxInputs,
  evaluateSequenceLocks,
  isFinalTx,
  isPayToScriptHash,
  isUnspendable,
  legacySigOpCount,
  p2shRedeemSigOpCount,
  type Transaction,
  type UtxoView,
} from "@starling/chain";
import type { AcceptResult, AdmissionPlan } from "./admission-types.ts";
import type { ChainTip, MempoolChain } from "./chain-view.ts";
import { MAX_STANDARD_TX_SIGOPS, MEMPOOL_HEIGHT } from "./constants.ts";
import type { MempoolEntry } from "./entry.ts";
import { MempoolReason, refuse } from "./errors.ts";
import { feeAtRate } from "./fee-rate.ts";
import type { OrphanPool } from "./orphan-pool.ts";
import { ancestorsWithinLimits, type PackageLimits } from "./package-limits.ts";
import { areInputsStandard, checkStandardTx, type StandardTxPolicy } from "./policy/standard-tx.ts";
import { checkReplacement } from "./replacement.ts";
import type { TxGraph } from "./tx-graph.ts";

/**
 * The admission checks, in three stages that an admission runs as separate synchronous segments:
 * preChecks (the transaction alone), inspect (the tip and the coins it spends) and decide (the rest
 * of the pool). Bitcoin Core's MemPoolAccept::PreChecks and ReplacementChecks, in Core's order
 * except that conflicts are looked at in decide. Each throws the refusal.
 */

/** What the checks read from the mempool. */
export interface PoolView {
  readonly graph: TxGraph;
  readonly chain: MempoolChain;
  readonly orphans: OrphanPool;
  readonly policy: StandardTxPolicy;
  readonly limits: PackageLimits;
  readonly deltas: ReadonlyMap<string, bigint>;
  readonly fullRbf: boolean;
  readonly minRelayFeeRate: bigint;
  readonly incrementalRelayFeeRate: bigint;
  /** The rolling minimum fee rate now. */
  rollingMinFee(): bigint;
  /** The pool's state version (bumped on every change). */
  version(): number;
}

const NO_ENTRIES: ReadonlySet<MempoolEntry> = new Set();

/** A chain coin not fetched yet (undefined means fetched and missing). */
export const NOT_FETCHED: unique symbol = Symbol("not fetched");
export type ChainCoin = Coin | undefined | typeof NOT_FETCHED;

/** What inspect() established: valid while the tip and the mempool parents stay. */
export interface Inspection {
  readonly fee: bigint;
  readonly sigops: number;
  readonly coins: readonly Coin[];
  readonly inputHeights: number[];
  readonly inputIsCoinbase: boolean[];
  readonly tipHash: string;
}

/**
 * A view of the coins a transaction spends, in input order: checkTxInputs asks for them in that
 * order, so the lookup is a comparison, with a search as the fallback.
 */
function inputOrderView(tx: Transaction, coins: readonly Coin[]): UtxoView {
  let next = 0;
  const inputs = tx.inputs;
  return {
    getCoin(prevTxid, prevIndex) {
      const input = inputs[next];
      if (input !== undefined && input.prevIndex === prevIndex && input.prevTxid === prevTxid) {
        return coins[next++];
      }
      const i = inputs.findIndex((x) => x.prevIndex === prevIndex && x.prevTxid === prevTxid);
      return i < 0 ? undefined : coins[i];
    },
  };
}

function addTo<T>(set: Set<T> | undefined, value: T): Set<T> {
  const out = set ?? new Set<T>();
  out.add(value);
  return out;
}

function pushTo<T>(list: T[] | undefined, value: T): T[] {
  const out = list ?? [];
  out.push(value);
  return out;
}

/** BIP125 signalling: any input with a sequence below 0xfffffffe. */
export function signalsReplaceability(tx: Transaction): boolean {
  return tx.inputs.some((input) => input.sequence >>> 0 < 0xfffffffe);
}

/** Checks that need nothing but the transaction, then the inputs to fetch from the chain. */
export function preChecks(
  pool: PoolView,
  tx: Transaction,
  isOrphanRetry: boolean,
): { kind: "fetch"; fetch: number[] } | { kind: "orphan"; result: AcceptResult } {
  checkTransaction(tx);
  if (tx.isCoinbase()) refuse(MempoolReason.COINBASE);
  checkStandardTx(tx, pool.policy);
  const txid = tx.txid();
  if (pool.graph.get(txid) !== undefined) refuse(MempoolReason.ALREADY_IN_MEMPOOL);
  const orphan = pool.orphans.get(txid);
  if (orphan !== undefined && !isOrphanRetry) {
    return {
      kind: "orphan",
      result: { status: "orphan", txid, missingParents: orphan.missingParents },
    };
  }
  const fetch: number[] = [];
  tx.inputs.forEach((input, i) => {
    if (pool.graph.get(input.prevTxid) === undefined) fetch.push(i);
  });
  return { kind: "fetch", fetch };
}

/**
 * The checks that depend on the tip and on the coins spent (Core's PreChecks from finality to
 * the sigop limit): they hold as long as the tip and the mempool parents stay. Coins come from
 * mempool parents or from `chainCoins` fetched at tip `fetchedAt`. Throws for a refusal.
 */
export function inspect(
  pool: PoolView,
  tx: Transaction,
  tip: ChainTip,
  chainCoins: readonly ChainCoin[],
  fetchedAt: string | undefined,
):
  | { kind: "inspected"; inspection: Inspection }
  | { kind: "fetch"; inputs: number[] }
  | { kind: "missing"; parents: string[] } {
  const spendHeight = tip.height + 1;
  if (!isFinalTx(tx, spendHeight, tip.medianTimePast)) refuse(MempoolReason.NON_FINAL);
  const inputs = tx.inputs;
  const fresh = fetchedAt === tip.hash;
  const coins = new Array<Coin>(inputs.length);
  const inputHeights = new Array<number>(inputs.length);
  const inputIsCoinbase = new Array<boolean>(inputs.length);
  let toFetch: number[] | undefined;
  let missing: Set<string> | undefined;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    const parent = pool.graph.get(input.prevTxid);
    if (parent !== undefined) {
      const output = parent.tx.outputs[input.prevIndex];
      if (output === undefined || isUnspendable(output.scriptPubKey)) {
        missing = addTo(missing, input.prevTxid);
        continue;
      }
      coins[i] = {
        value: output.value,
        scriptPubKey: output.scriptPubKey,
        height: MEMPOOL_HEIGHT,
        isCoinbase: false,
      };
      inputHeights[i] = -1;
      inputIsCoinbase[i] = false;
      continue;
    }
    const coin = chainCoins[i];
    if (!fresh || coin === NOT_FETCHED) {
      toFetch = pushTo(toFetch, i);
      continue;
    }
    if (coin === undefined) {
      missing = addTo(missing, input.prevTxid);
      continue;
    }
    coins[i] = coin;
    inputHeights[i] = coin.height;
    inputIsCoinbase[i] = coin.isCoinbase;
  }
  if (toFetch !== undefined) return { kind: "fetch", inputs: toFetch };
  if (missing !== undefined) return { kind: "missing", parents: [...missing] };

  if (tx.version >>> 0 >= 2) {
    const lock = calculateSequenceLocks(
      tx,
      inputHeights.map((h) => (h < 0 ? spendHeight : h)),
      pool.chain.medianTimePastAt,
    );
    if (!evaluateSequenceLocks(spendHeight, tip.medianTimePast, lock)) {
      refuse(MempoolReason.NON_BIP68_FINAL);
    }
  }
  const { fee } = checkTxInputs(
    tx,
    inputOrderView(tx, coins),
    spendHeight,
    pool.chain.params.coinbaseMaturity,
  );
  if (!areInputsStandard(tx, coins)) refuse(MempoolReason.NONSTANDARD_INPUTS);
  let sigops = legacySigOpCount(tx);
  for (let i = 0; i < inputs.length; i++) {
    if (isPayToScriptHash(coins[i]!.scriptPubKey)) {
      sigops += p2shRedeemSigOpCount(inputs[i]!.scriptSig);
    }
  }
  if (sigops > MAX_STANDARD_TX_SIGOPS) {
    refuse(MempoolReason.TOO_MANY_SIGOPS, `${sigops} > ${MAX_STANDARD_TX_SIGOPS}`);
  }
  return {
    kind: "inspected",
    inspection: { fee, sigops, coins, inputHeights, inputIsCoinbase, tipHash: tip.hash },
  };
}

/**
 * The checks against the rest of the mempool (conflicts, fee floors, package limits,
 * replacement), Core's order; undefined when a mempool parent has gone (inspect again).
 */
export function decide(
  pool: PoolView,
  tx: Transaction,
  inspection: Inspection,
  bypassLimits: boolean,
): AdmissionPlan | undefined {
  const txid = tx.txid();
  if (pool.graph.get(txid) !== undefined) refuse(MempoolReason.ALREADY_IN_MEMPOOL);
  let parents: Set<MempoolEntry> | undefined;
  let conflicts: Set<MempoolEntry> | undefined;
  const inputs = tx.inputs;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    if (inspection.inputHeights[i]! < 0) {
      const parent = pool.graph.get(input.prevTxid);
      if (parent === undefined) return undefined;
      parents = addTo(parents, parent);
    }
    const spender = pool.graph.spender(input.prevTxid, input.prevIndex);
    if (spender === undefined) continue;
    if (!pool.fullRbf && !signalsReplaceability(spender.tx)) {
      refuse(MempoolReason.MEMPOOL_CONFLICT, `conflicts with ${spender.txid}`);
    }
    conflicts = addTo(conflicts, spender);
  }

  const size = tx.size();
  const { fee } = inspection;
  const delta = pool.deltas.get(txid);
  const modifiedFee = delta === undefined ? fee : fee + delta;
  if (!bypassLimits) {
    const rejectFee = feeAtRate(pool.rollingMinFee(), size);
    if (rejectFee > 0n && modifiedFee < rejectFee) {
      refuse(MempoolReason.MEMPOOL_MIN_FEE, `${modifiedFee} < ${rejectFee}`);
    }
    const relayFee = feeAtRate(pool.minRelayFeeRate, size);
    if (modifiedFee < relayFee) refuse(MempoolReason.MIN_RELAY_FEE, `${modifiedFee} < ${relayFee}`);
  }

  const ancestors = ancestorsWithinLimits(parents ?? NO_ENTRIES, size, pool.limits);
  let evicted = NO_ENTRIES;
  if (conflicts !== undefined) {
    for (const conflict of conflicts) {
      if (ancestors.has(conflict)) {
        refuse(
          MempoolReason.SPENDS_CONFLICTING_TX,
          `${txid} spends conflicting transaction ${conflict.txid}`,
        );
      }
    }
    evicted = checkReplacement(
      tx,
      modifiedFee,
      size,
      conflicts,
      pool.graph,
      pool.incrementalRelayFeeRate,
    );
  }
  return {
    fee,
    modifiedFee,
    size,
    sigops: inspection.sigops,
    coins: inspection.coins,
    parents: parents ?? NO_ENTRIES,
    evicted,
    inputHeights: inspection.inputHeights,
    inputIsCoinbase: inspection.inputIsCoinbase,
    version: pool.version(),
    tipHash: inspection.tipHash,
  };
}
