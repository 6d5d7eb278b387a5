import type { Transaction } from "../primitives/transaction.ts";
import { MAX_SCRIPT_SIZE } from "../script/interpreter-eval.ts";
import { Op } from "../script/opcodes.ts";

/**
 * The unspent-output set as consensus code sees it. Lookups are synchronous: the node prefetches
 * the coins a block or transaction spends (from RocksDB or its cache) before validating, so the
 * rules stay pure and never wait on I/O.
 */

/** An unspent output and where it was created (Bitcoin Core's Coin). */
export interface Coin {
  readonly value: bigint;
  readonly scriptPubKey: Uint8Array;
  /** Height of the block that created it. */
  readonly height: number;
  readonly isCoinbase: boolean;
}

export interface UtxoView {
  /** The unspent output at this outpoint, or undefined when missing or spent. */
  getCoin(prevTxid: string, prevIndex: number): Coin | undefined;
}

/** A coin with its outpoint. */
export interface CoinEntry {
  readonly txid: string;
  readonly index: number;
  readonly coin: Coin;
}

/** A coin a block spent, for UTXO deletion and undo data. */
export interface SpentCoinEntry extends CoinEntry {
  /** True when an earlier transaction of the same block created it: it never reached the base set. */
  readonly createdInBlock: boolean;
}

/**
 * Core's CScript::IsUnspendable: an output starting with OP_RETURN, or longer than MAX_SCRIPT_SIZE
 * (10,000 bytes) and so impossible to run. Such outputs never enter the UTXO set.
 */
export function isUnspendable(scriptPubKey: Uint8Array): boolean {
  return (
    (scriptPubKey.length > 0 && scriptPubKey[0] === Op.OP_RETURN) ||
    scriptPubKey.length > MAX_SCRIPT_SIZE
  );
}

/** Map key of an outpoint. */
export function outpointKey(txid: string, index: number): string {
  return `${txid}:${index}`;
}

/** The spendable outputs a transaction adds to the set at `height` (Core's AddCoins). */
export function transactionCoins(tx: Transaction, height: number): CoinEntry[] {
  const txid = tx.txid();
  const isCoinbase = tx.isCoinbase();
  const entries: CoinEntry[] = [];
  tx.outputs.forEach((output, index) => {
    if (isUnspendable(output.scriptPubKey)) return;
    entries.push({
      txid,
      index,
      coin: { value: output.value, scriptPubKey: output.scriptPubKey, height, isCoinbase },
    });
  });
  return entries;
}

/**
 * An in-memory layer over another view (or over nothing): coins added here shadow the base, coins
 * spent here hide it. Used to validate a block's transactions in order, and as a whole in-memory
 * UTXO set in tests and tools.
 */
export class UtxoOverlay implements UtxoView {
  private readonly base: UtxoView | undefined;
  private readonly added = new Map<string, Coin>();
  private readonly spentFromBase = new Set<string>();

  constructor(base?: UtxoView) {
    this.base = base;
  }

  getCoin(prevTxid: string, prevIndex: number): Coin | undefined {
    const key = outpointKey(prevTxid, prevIndex);
    const added = this.added.get(key);
    if (added !== undefined) return added;
    if (this.spentFromBase.has(key)) return undefined;
    return this.base?.getCoin(prevTxid, prevIndex);
  }

  /** True when this layer added the coin (rather than the base holding it). */
  isAdded(txid: string, index: number): boolean {
    return this.added.has(outpointKey(txid, index));
  }

  addCoin(txid: string, index: number, coin: Coin): void {
    this.added.set(outpointKey(txid, index), coin);
  }

  /** Removes a coin and returns it; undefined when it was not there. */
  spendCoin(txid: string, index: number): Coin | undefined {
    const coin = this.getCoin(txid, index);
    if (coin === undefined) return undefined;
    const key = outpointKey(txid, index);
    if (!this.added.delete(key)) this.spentFromBase.add(key);
    return coin;
  }

  /** Applies a connected block's changes (as connectBlockChecks reports them). */
  applyBlockChanges(changes: {
    readonly created: readonly CoinEntry[];
    readonly spent: readonly SpentCoinEntry[];
  }): void {
    for (const entry of changes.spent) {
      if (!entry.createdInBlock) this.spendCoin(entry.txid, entry.index);
    }
    for (const entry of changes.created) this.addCoin(entry.txid, entry.index, entry.coin);
  }

  /** Coins this layer added and still holds. */
  addedCoins(): CoinEntry[] {
    return [...this.added].map(([key, coin]) => {
      const split = key.lastIndexOf(":");
      return { txid: key.slice(0, split), index: Number(key.slice(split + 1)), coin };
    });
  }
}
