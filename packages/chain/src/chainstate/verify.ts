import { checkBlock } from "../consensus/check-block.ts";
import type { Coin } from "../consensus/utxo-view.ts";
import { UtxoOverlay } from "../consensus/utxo-view.ts";
import { equalBytes } from "../encoding/bytes.ts";
import { ValidationError } from "../errors.ts";
import { blockCreatedCoins, blockSpentOutpoints } from "./block-changes.ts";
import type { ChainPoint } from "./block-index.ts";
import type { ChainStateStore } from "./store.ts";
import { type UtxoCommitment, utxoCommitment, utxoCommitmentOf } from "./utxo-commitment.ts";

/**
 * `ChainState.verify`: Bitcoin Core's gettxoutsetinfo (a commitment to the stored UTXO set) and
 * verifychain (the stored chain re-read block by block), as functions of the store and the main
 * chain.
 */

export type VerifyLevel = "quick" | "full";

export interface VerifyOptions {
  /**
   * `quick` (default): the commitment of the stored set and the tip's main-chain entry. `full`:
   * also replays every main-chain block from genesis in memory (no signature checks: the rules
   * were checked when the blocks were connected) and compares the resulting set's commitment, each
   * block's undo data and each main-chain entry with what the store holds. The replayed set is
   * held in memory.
   */
  readonly level?: VerifyLevel;
  readonly signal?: AbortSignal;
  /** Called every 1,000 blocks of a full replay. */
  readonly onProgress?: (height: number) => void;
}

export interface VerifyReport {
  /** No problem found. */
  readonly ok: boolean;
  readonly tip: ChainPoint;
  /** Commitment of the set the store holds for the tip. */
  readonly commitment: UtxoCommitment;
  /** Commitment of the set rebuilt by replaying the main chain (full level only). */
  readonly recomputed?: UtxoCommitment;
  /** What disagreed, one line each. */
  readonly problems: readonly string[];
}

function sameCoin(a: Coin, b: Coin): boolean {
  return (
    a.value === b.value &&
    a.height === b.height &&
    a.isCoinbase === b.isCoinbase &&
    equalBytes(a.scriptPubKey, b.scriptPubKey)
  );
}

/** Checks the store against the main chain `chain` (hashes by height, the last one the tip). */
export async function verifyChainState(
  store: ChainStateStore,
  chain: readonly string[],
  params: { readonly powLimitBits: number },
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const problems: string[] = [];
  const tipHeight = chain.length - 1;
  const tip = { hash: chain[tipHeight]!, height: tipHeight };
  await store.flush();
  const atTip = await store.getMainChainHash(tipHeight);
  if (atTip !== tip.hash) {
    problems.push(`main-chain entry at the tip height ${tipHeight} is ${atTip ?? "missing"}`);
  }
  const commitment = await utxoCommitmentOf(store.utxos());
  if (options.level !== "full") return { ok: problems.length === 0, tip, commitment, problems };

  const replayed = new UtxoOverlay();
  for (let height = 1; height <= tipHeight; height++) {
    options.signal?.throwIfAborted();
    if (height % 1000 === 0) options.onProgress?.(height);
    const hash = chain[height]!;
    const stored = await store.getMainChainHash(height);
    if (stored !== hash) problems.push(`main-chain entry at ${height} is ${stored ?? "missing"}`);
    const block = await store.getBlock(hash);
    if (block === undefined) {
      problems.push(`block ${hash} at ${height} is missing: replay stopped`);
      return { ok: false, tip, commitment, problems };
    }
    try {
      checkBlock(block, params, { checkPow: false });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(`stored block ${hash} at ${height} fails CheckBlock: ${error.code}`);
    }
    const spent: Coin[] = [];
    for (const op of blockSpentOutpoints(block)) {
      const coin = replayed.spendCoin(op.txid, op.index);
      if (coin === undefined)
        problems.push(`${hash} spends ${op.txid}:${op.index}, not in the set`);
      else spent.push(coin);
    }
    const undo = await store.getUndo(hash);
    if (undo === undefined) problems.push(`undo data of ${hash} at ${height} is missing`);
    else if (undo.length !== spent.length || undo.some((coin, i) => !sameCoin(coin, spent[i]!))) {
      problems.push(`undo data of ${hash} at ${height} differs from the coins it spent`);
    }
    for (const entry of blockCreatedCoins(block, height)) {
      replayed.addCoin(entry.txid, entry.index, entry.coin);
    }
  }
  const recomputed = utxoCommitment(replayed.addedCoins());
  if (recomputed.hash !== commitment.hash) {
    problems.push(
      `UTXO set differs from the replayed chain: stored ${commitment.count} coins / ${commitment.totalAmount} ` +
        `(${commitment.hash}), replayed ${recomputed.count} / ${recomputed.totalAmount} (${recomputed.hash})`,
    );
  }
  return { ok: problems.length === 0, tip, commitment, recomputed, problems };
}
