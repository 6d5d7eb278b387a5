import type { SignatureVerifier } from "../crypto/signature-verifier.ts";
import { defaultVerifier } from "../crypto/verifier.ts";
import { BlockValidationError, TxValidationError } from "../errors.ts";
import type { NetworkParams } from "../params/network-params.ts";
import type { Block } from "../primitives/block.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { TransactionSignatureChecker } from "../script/checker.ts";
import { verifyScriptDetailed } from "../script/interpreter.ts";
import type { ScriptErrorCode } from "../script/script-error.ts";
import { MAX_BLOCK_SIGOPS, MAX_MONEY } from "./constants.ts";
import { CONSENSUS_SCRIPT_FLAGS } from "./script-flags.ts";
import { type MedianTimePastAt, sequenceLocksSatisfied } from "./sequence-locks.ts";
import { legacySigOpCount, p2shSigOpCount } from "./sigops.ts";
import { getBlockSubsidy } from "./subsidy.ts";
import {
  type Coin,
  type CoinEntry,
  type SpentCoinEntry,
  transactionCoins,
  UtxoOverlay,
  type UtxoView,
} from "./utxo-view.ts";

/**
 * The rules that need the coins a transaction spends: Bitcoin Core's Consensus::CheckTxInputs, the
 * input scripts (CheckInputScripts), and, for a whole block, ConnectBlock's checks — fees, BIP68,
 * the sigop limit with P2SH, the coinbase amount — over a view of the UTXO set as of the parent.
 */

export interface TxInputsResult {
  /** Inputs minus outputs, in base units. */
  readonly fee: bigint;
  /** The coin each input spends, in input order. */
  readonly coins: readonly Coin[];
}

function txFail(code: string, detail?: string, loose = false): never {
  // A loose transaction with missing or immature inputs may become valid later: no penalty.
  throw new TxValidationError(code, {
    ...(detail === undefined ? {} : { detail }),
    ...(loose ? { score: 0, action: "ignore" as const } : {}),
  });
}

/**
 * Consensus::CheckTxInputs for a non-coinbase transaction to be included at `spendHeight`. Throws
 * TxValidationError: bad-txns-inputs-missingorspent and bad-txns-premature-spend-of-coinbase with
 * score 0 (Core's TX_MISSING_INPUTS / TX_PREMATURE_SPEND, not punished), the value checks with 100.
 * Expects checkTransaction to have passed.
 */
export function checkTxInputs(
  tx: Transaction,
  view: UtxoView,
  spendHeight: number,
  coinbaseMaturity: number,
): TxInputsResult {
  const coins: Coin[] = [];
  for (const input of tx.inputs) {
    const coin = view.getCoin(input.prevTxid, input.prevIndex);
    if (coin === undefined) {
      txFail(
        "bad-txns-inputs-missingorspent",
        `inputs missing/spent (${input.prevTxid}:${input.prevIndex})`,
        true,
      );
    }
    coins.push(coin);
  }

  let valueIn = 0n;
  for (const coin of coins) {
    if (coin.isCoinbase && spendHeight - coin.height < coinbaseMaturity) {
      txFail(
        "bad-txns-premature-spend-of-coinbase",
        `tried to spend coinbase at depth ${spendHeight - coin.height}`,
        true,
      );
    }
    valueIn += coin.value;
    if (coin.value < 0n || coin.value > MAX_MONEY || valueIn > MAX_MONEY) {
      txFail("bad-txns-inputvalues-outofrange");
    }
  }

  let valueOut = 0n;
  for (const output of tx.outputs) valueOut += output.value;
  if (valueIn < valueOut) {
    txFail("bad-txns-in-belowout", `value in (${valueIn}) < value out (${valueOut})`);
  }
  const fee = valueIn - valueOut;
  if (fee > MAX_MONEY) txFail("bad-txns-fee-outofrange");
  return { fee, coins };
}

/**
 * One input's script check, as data (Core's CScriptCheck): the transaction, which input, the
 * script it must satisfy and the flags. Plain data so that a caller can run it inline or send the
 * transaction bytes and the rest to a worker.
 */
export interface ScriptJob {
  readonly tx: Transaction;
  readonly inputIndex: number;
  readonly scriptPubKey: Uint8Array;
  readonly flags: number;
}

/** The script jobs of a transaction given the coins its inputs spend (in input order). */
export function scriptJobsForTx(
  tx: Transaction,
  coins: readonly Coin[],
  flags: number = CONSENSUS_SCRIPT_FLAGS,
): ScriptJob[] {
  return tx.inputs.map((_, inputIndex) => ({
    tx,
    inputIndex,
    scriptPubKey: coins[inputIndex]!.scriptPubKey,
    flags,
  }));
}

/** Runs one job: null when the input's scripts pass, else the script error. */
export function runScriptJob(
  job: ScriptJob,
  verifier: SignatureVerifier = defaultVerifier(),
): ScriptErrorCode | null {
  const { tx, inputIndex, scriptPubKey, flags } = job;
  const scriptSig = tx.inputs[inputIndex]!.scriptSig;
  const checker = new TransactionSignatureChecker(tx, inputIndex, verifier);
  return verifyScriptDetailed(scriptSig, scriptPubKey, tx, inputIndex, flags, checker);
}

/**
 * Runs a block's script jobs inline, in order; the first failure throws BlockValidationError
 * "blk-bad-inputs" (Core's reason when its script-check queue fails) naming the input and error.
 */
export function runScriptJobs(
  jobs: readonly ScriptJob[],
  verifier: SignatureVerifier = defaultVerifier(),
): void {
  for (const job of jobs) {
    const error = runScriptJob(job, verifier);
    if (error !== null) {
      throw new BlockValidationError("blk-bad-inputs", {
        detail: `mandatory-script-verify-flag-failed (${error}) in ${job.tx.txid()} input ${job.inputIndex}`,
      });
    }
  }
}

/**
 * A loose transaction's scripts (the mempool's CheckInputScripts). With `flags` beyond consensus
 * (policy), a failure is re-checked under the consensus flags alone, as Core does, to tell a
 * non-standard spend ("non-mandatory-script-verify-flag (ERR)", score 0) from an invalid one
 * ("mandatory-script-verify-flag-failed (ERR)", score 100).
 */
export function checkTxScripts(
  tx: Transaction,
  coins: readonly Coin[],
  flags: number = CONSENSUS_SCRIPT_FLAGS,
  verifier: SignatureVerifier = defaultVerifier(),
): void {
  for (const job of scriptJobsForTx(tx, coins, flags)) {
    const error = runScriptJob(job, verifier);
    if (error === null) continue;
    const mandatoryOnly = flags & CONSENSUS_SCRIPT_FLAGS;
    if (mandatoryOnly !== flags) {
      const consensusError = runScriptJob({ ...job, flags: mandatoryOnly }, verifier);
      if (consensusError === null) {
        throw new TxValidationError(`non-mandatory-script-verify-flag (${error})`, {
          score: 0,
          detail: `input ${job.inputIndex}`,
        });
      }
    }
    throw new TxValidationError(`mandatory-script-verify-flag-failed (${error})`, {
      detail: `input ${job.inputIndex}`,
    });
  }
}

/** What connecting a block needs besides the block and the view. */
export interface ConnectBlockContext {
  readonly params: Pick<NetworkParams, "coinbaseMaturity" | "initialSubsidy" | "halvingInterval">;
  /** Median-time-past of the block at a height below the new block's, on its chain. */
  readonly medianTimePastAt: MedianTimePastAt;
  /** Script flags for the jobs (default: the consensus set). */
  readonly scriptFlags?: number;
}

export interface ConnectBlockResult {
  /** Sum of the non-coinbase transactions' fees. */
  readonly fees: bigint;
  /** The block's subsidy at its height. */
  readonly subsidy: bigint;
  /** Legacy plus P2SH sigops of the whole block. */
  readonly sigops: number;
  /** Outputs this block adds to the UTXO set (not spent within the block, not unspendable). */
  readonly created: readonly CoinEntry[];
  /**
   * Every coin the block's inputs spend, in block order: undo data for those not `createdInBlock`,
   * and deletions from the UTXO set.
   */
  readonly spent: readonly SpentCoinEntry[];
  /** Script checks still to run (inline with runScriptJobs, or on workers). */
  readonly scriptJobs: readonly ScriptJob[];
}

function blockFail(code: string, detail?: string): never {
  throw new BlockValidationError(code, detail === undefined ? {} : { detail });
}

/**
 * ConnectBlock's checks for a block at `height` whose inputs are looked up in `view` (the UTXO set
 * as of its parent), without running scripts: transactions in order, each able to spend outputs of
 * the earlier ones; per transaction CheckTxInputs, BIP68 sequence locks and the running sigop
 * count (legacy + P2SH, at most 40,000); then the coinbase against subsidy plus fees.
 * `view` is only read. Throws BlockValidationError (transaction reasons become block reasons with
 * score 100, as in Core). Call after checkBlock and contextualCheckBlock.
 */
export function connectBlockChecks(
  block: Block,
  height: number,
  view: UtxoView,
  context: ConnectBlockContext,
): ConnectBlockResult {
  const { params, medianTimePastAt } = context;
  const flags = context.scriptFlags ?? CONSENSUS_SCRIPT_FLAGS;
  const overlay = new UtxoOverlay(view);
  const spent: SpentCoinEntry[] = [];
  const scriptJobs: ScriptJob[] = [];
  let fees = 0n;
  let sigops = 0;

  for (const tx of block.transactions) {
    const isCoinbase = tx.isCoinbase();
    if (!isCoinbase) {
      let result: TxInputsResult;
      try {
        result = checkTxInputs(tx, overlay, height, params.coinbaseMaturity);
      } catch (error) {
        if (!(error instanceof TxValidationError)) throw error;
        blockFail(error.code, `${tx.txid()}: ${error.message}`);
      }
      fees += result.fee;
      if (fees > MAX_MONEY) blockFail("bad-txns-accumulated-fee-outofrange");
      const prevHeights = result.coins.map((coin) => coin.height);
      if (!sequenceLocksSatisfied(tx, prevHeights, height, medianTimePastAt)) {
        blockFail("bad-txns-nonfinal", `contains a non-BIP68-final transaction ${tx.txid()}`);
      }
      sigops += legacySigOpCount(tx) + p2shSigOpCount(tx, overlay);
      if (sigops > MAX_BLOCK_SIGOPS) blockFail("bad-blk-sigops", "too many sigops");
      scriptJobs.push(...scriptJobsForTx(tx, result.coins, flags));
      tx.inputs.forEach((input, i) => {
        const createdInBlock = overlay.isAdded(input.prevTxid, input.prevIndex);
        overlay.spendCoin(input.prevTxid, input.prevIndex);
        spent.push({
          txid: input.prevTxid,
          index: input.prevIndex,
          coin: result.coins[i]!,
          createdInBlock,
        });
      });
    } else {
      sigops += legacySigOpCount(tx);
      if (sigops > MAX_BLOCK_SIGOPS) blockFail("bad-blk-sigops", "too many sigops");
    }
    for (const entry of transactionCoins(tx, height)) {
      overlay.addCoin(entry.txid, entry.index, entry.coin);
    }
  }

  const subsidy = getBlockSubsidy(height, params);
  const coinbase = block.transactions[0];
  if (coinbase === undefined) blockFail("bad-cb-missing");
  let coinbaseOut = 0n;
  for (const output of coinbase.outputs) coinbaseOut += output.value;
  if (coinbaseOut > fees + subsidy) {
    blockFail(
      "bad-cb-amount",
      `coinbase pays too much (actual=${coinbaseOut} vs limit=${fees + subsidy})`,
    );
  }
  return { fees, subsidy, sigops, created: overlay.addedCoins(), spent, scriptJobs };
}
