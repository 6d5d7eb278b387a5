import { type Block, outpointKey, type Transaction, toHex } from "@starling/chain";
import type { IndexedOutput } from "./chain-source.ts";
import type { WalletKey } from "./wallet-keys.ts";

/**
 * The wallet's own transactions and outputs, kept in memory and saved in the wallet file. It is a
 * pure state machine fed by the chain's events and by the node's address index; it does no I/O.
 *
 * - A transaction belongs to the wallet when it pays one of the wallet's scripts or spends one of
 *   its outputs. A transaction is confirmed (it carries its block) or unconfirmed (in the mempool,
 *   or sent by the wallet and not yet mined).
 * - An output ("coin") is spent once any wallet transaction, confirmed or not, spends it: the
 *   wallet's own unconfirmed sends lock their inputs. A coin the chain spent with a transaction the
 *   wallet never saw (learned from the address index) is spent by SPENT_OUTSIDE_WALLET.
 * - Disconnecting a block drops its coinbase transactions (their outputs no longer exist) with
 *   everything that spent them, and turns its other transactions unconfirmed: the mempool takes
 *   them back, or the node reports them removed.
 * - Conflicts: a transaction that spends a coin already spent by an unconfirmed wallet transaction
 *   replaces it (a block's version of events, or a mempool replacement), together with its
 *   descendants; an unconfirmed one that conflicts with a confirmed spend is ignored.
 */

/** The spender of a coin spent on chain by a transaction the wallet does not know. */
export const SPENT_OUTSIDE_WALLET = "";

export interface LedgerBlockRef {
  readonly height: number;
  /** Display hex. */
  readonly hash: string;
  /** Header time. */
  readonly time: number;
  /** Index of the transaction in the block (0 when learned from the address index). */
  readonly position: number;
}

export interface LedgerTx {
  readonly txid: string;
  /** The transaction itself; undefined when it is known only from the address index. */
  tx: Transaction | undefined;
  /** Undefined while unconfirmed. */
  block: LedgerBlockRef | undefined;
  /** Unix seconds when the wallet first saw it (its block's time when first seen in a block). */
  readonly firstSeen: number;
  readonly coinbase: boolean;
}

export interface LedgerCoin {
  readonly txid: string;
  readonly index: number;
  readonly value: bigint;
  readonly scriptPubKey: Uint8Array;
  readonly scriptHex: string;
  readonly coinbase: boolean;
  /** Txid of the wallet transaction that spends it, SPENT_OUTSIDE_WALLET, or undefined when unspent. */
  spentBy: string | undefined;
}

/** The key side the ledger needs: recognise scripts, and widen the watched set as keys get used. */
export interface LedgerKeys {
  lookup(scriptPubKey: Uint8Array | string): WalletKey | undefined;
  markUsed(key: WalletKey): readonly WalletKey[];
}

/** Wallet balances in base units. */
export interface LedgerBalance {
  /** Unspent outputs in blocks, mature. */
  readonly confirmed: bigint;
  /** Unspent outputs of unconfirmed transactions (own change and incoming payments). */
  readonly unconfirmed: bigint;
  /** Unspent coinbase outputs that have not reached maturity. */
  readonly immature: bigint;
  /** Core's getbalance: confirmed plus the unconfirmed outputs of the wallet's own transactions. */
  readonly trusted: bigint;
}

/** A coin the wallet may spend now, with what selection and listunspent need. */
export interface SpendableCoin {
  readonly coin: LedgerCoin;
  readonly confirmations: number;
  /** Confirmed, or change of the wallet's own unconfirmed transaction. */
  readonly safe: boolean;
}

export class WalletLedger {
  private readonly keys: LedgerKeys;
  private readonly txs = new Map<string, LedgerTx>();
  private readonly coins = new Map<string, LedgerCoin>();
  private readonly coinIndexes = new Map<string, number[]>();

  constructor(keys: LedgerKeys) {
    this.keys = keys;
  }

  get size(): number {
    return this.txs.size;
  }

  getTx(txid: string): LedgerTx | undefined {
    return this.txs.get(txid);
  }

  getCoin(txid: string, index: number): LedgerCoin | undefined {
    return this.coins.get(outpointKey(txid, index));
  }

  /** Every wallet transaction, in no particular order. */
  transactions(): LedgerTx[] {
    return [...this.txs.values()];
  }

  /** Every coin the wallet holds or held. */
  allCoins(): LedgerCoin[] {
    return [...this.coins.values()];
  }

  /** The wallet's outputs of one transaction. */
  coinsOf(txid: string): LedgerCoin[] {
    return (this.coinIndexes.get(txid) ?? []).map((i) => this.coins.get(outpointKey(txid, i))!);
  }

  /**
   * Adds or updates a transaction seen in a block (`block` given) or in the mempool or sent by
   * the wallet (`block` undefined). Returns whether the wallet's view changed.
   */
  addTransaction(tx: Transaction, block: LedgerBlockRef | undefined, now: number): boolean {
    const txid = tx.txid();
    const existing = this.txs.get(txid);
    if (existing !== undefined) return this.updateTransaction(existing, tx, block);

    const coinbase = tx.isCoinbase();
    const spends = coinbase ? [] : this.walletInputs(tx);
    const paid = this.walletOutputs(tx);
    if (spends.length === 0 && paid.length === 0) return false;
    if (!this.resolveConflicts(txid, spends, block !== undefined)) return false;

    this.txs.set(txid, {
      txid,
      tx,
      block,
      firstSeen: block?.time ?? now,
      coinbase,
    });
    for (const coin of spends) coin.spentBy = txid;
    for (const [index, key] of paid)
      this.addCoin(txid, index, tx.outputs[index]!.value, key, coinbase);
    return true;
  }

  /** Undoes a block: its coinbases disappear, its other transactions become unconfirmed. */
  disconnectBlock(block: Block): boolean {
    const hash = block.hash();
    let changed = false;
    for (let i = block.transactions.length - 1; i >= 0; i--) {
      const record = this.txs.get(block.transactions[i]!.txid());
      if (record === undefined || record.block?.hash !== hash) continue;
      changed = true;
      if (record.coinbase) this.removeWithDescendants(record.txid);
      else record.block = undefined;
    }
    return changed;
  }

  /**
   * Forgets an unconfirmed transaction (evicted, expired or replaced in the mempool) and every
   * wallet transaction that spends its outputs; its inputs become spendable again.
   */
  removeTransaction(txid: string): boolean {
    const record = this.txs.get(txid);
    if (record === undefined || record.block !== undefined) return false;
    this.removeWithDescendants(txid);
    return true;
  }

  /**
   * Reconciles the view with the address index's answer for every watched script (a rescan).
   * The index is the truth about confirmed outputs: new ones are added; a confirmed transaction
   * whose outputs the index lacks has left the main chain; the spent flags settle which coins the
   * chain has spent. Unconfirmed transactions are left to the mempool's events.
   */
  applyAddressIndex(entries: readonly IndexedOutput[]): boolean {
    let changed = false;
    const listed = new Set(entries.map((e) => outpointKey(e.txid, e.index)));
    for (const record of [...this.txs.values()]) {
      if (record.block === undefined || !this.txs.has(record.txid)) continue;
      const indexes = this.coinIndexes.get(record.txid) ?? [];
      if (indexes.length === 0) continue;
      if (indexes.some((i) => listed.has(outpointKey(record.txid, i)))) continue;
      changed = true;
      if (record.coinbase) this.removeWithDescendants(record.txid);
      else record.block = undefined;
    }

    const ordered = [...entries].sort((a, b) => a.height - b.height || a.index - b.index);
    for (const entry of ordered) {
      const key = this.keys.lookup(entry.scriptPubKey);
      if (key === undefined) continue;
      this.keys.markUsed(key);
      let record = this.txs.get(entry.txid);
      if (record === undefined) {
        record = {
          txid: entry.txid,
          tx: undefined,
          block: undefined,
          firstSeen: entry.blockTime,
          coinbase: entry.coinbase,
        };
        this.txs.set(entry.txid, record);
        changed = true;
      }
      if (record.block?.hash !== entry.blockHash) {
        record.block = {
          height: entry.height,
          hash: entry.blockHash,
          time: entry.blockTime,
          position: 0,
        };
        changed = true;
      }
      let coin = this.coins.get(outpointKey(entry.txid, entry.index));
      if (coin === undefined) {
        coin = this.addCoin(entry.txid, entry.index, entry.value, key, entry.coinbase);
        changed = true;
      }
      changed = this.settleSpent(coin, entry.spent) || changed;
    }
    return changed;
  }

  /** Balances at a tip height, for a network's coinbase maturity. */
  balance(tipHeight: number, coinbaseMaturity: number): LedgerBalance {
    let confirmed = 0n;
    let trustedPending = 0n;
    let untrustedPending = 0n;
    let immature = 0n;
    for (const coin of this.coins.values()) {
      if (coin.spentBy !== undefined) continue;
      const record = this.txs.get(coin.txid)!;
      if (record.block === undefined) {
        if (this.isTrusted(record)) trustedPending += coin.value;
        else untrustedPending += coin.value;
      } else if (coin.coinbase && this.confirmations(record, tipHeight) < coinbaseMaturity) {
        immature += coin.value;
      } else {
        confirmed += coin.value;
      }
    }
    return {
      confirmed,
      unconfirmed: trustedPending + untrustedPending,
      immature,
      trusted: confirmed + trustedPending,
    };
  }

  /**
   * Unspent, mature coins, each marked safe or not. A coinbase output is mature once a block at
   * the next height may spend it (confirmations >= maturity), the chain's rule.
   */
  spendableCoins(tipHeight: number, coinbaseMaturity: number): SpendableCoin[] {
    const out: SpendableCoin[] = [];
    for (const coin of this.coins.values()) {
      if (coin.spentBy !== undefined) continue;
      const record = this.txs.get(coin.txid)!;
      const confirmations = this.confirmations(record, tipHeight);
      if (coin.coinbase && confirmations < coinbaseMaturity) continue;
      out.push({ coin, confirmations, safe: confirmations > 0 || this.isTrusted(record) });
    }
    return out;
  }

  /** 0 while unconfirmed, else blocks from its block to the tip, counting both. */
  confirmations(record: LedgerTx, tipHeight: number): number {
    if (record.block === undefined) return 0;
    return Math.max(1, tipHeight - record.block.height + 1);
  }

  /** Whether the transaction spends at least one wallet coin. */
  isFromMe(record: LedgerTx): boolean {
    if (record.tx === undefined || record.coinbase) return false;
    return record.tx.inputs.some((input) =>
      this.coins.has(outpointKey(input.prevTxid, input.prevIndex)),
    );
  }

  /** Core's CachedTxIsTrusted: confirmed, or every input spends a trusted wallet coin. */
  isTrusted(record: LedgerTx, depth = 0): boolean {
    if (record.block !== undefined) return true;
    if (record.tx === undefined || record.coinbase || depth > 100) return false;
    return record.tx.inputs.every((input) => {
      const parent = this.coins.has(outpointKey(input.prevTxid, input.prevIndex))
        ? this.txs.get(input.prevTxid)
        : undefined;
      return parent !== undefined && this.isTrusted(parent, depth + 1);
    });
  }

  /** A plain-data copy for the wallet file. */
  snapshot(): LedgerSnapshot {
    return {
      txs: [...this.txs.values()].map((record) => ({
        txid: record.txid,
        hex: record.tx === undefined ? null : toHex(record.tx.toBytes()),
        block: record.block === undefined ? null : { ...record.block },
        firstSeen: record.firstSeen,
        coinbase: record.coinbase,
      })),
      coins: [...this.coins.values()].map((coin) => ({
        txid: coin.txid,
        index: coin.index,
        value: coin.value.toString(),
        scriptPubKey: coin.scriptHex,
        coinbase: coin.coinbase,
        spentBy: coin.spentBy ?? null,
      })),
    };
  }

  /**
   * Loads a snapshot (already shape-checked) into an empty ledger. Coins whose script is not the
   * wallet's, or whose transaction is missing, mean a damaged file: it throws.
   */
  restore(snapshot: LedgerSnapshot, decodeTx: (hex: string) => Transaction): void {
    if (this.txs.size > 0) throw new Error("restore: ledger not empty");
    for (const saved of snapshot.txs) {
      const tx = saved.hex === null ? undefined : decodeTx(saved.hex);
      if (tx !== undefined && tx.txid() !== saved.txid) {
        throw new Error(`transaction ${saved.txid} does not match its bytes`);
      }
      this.txs.set(saved.txid, {
        txid: saved.txid,
        tx,
        block: saved.block === null ? undefined : { ...saved.block },
        firstSeen: saved.firstSeen,
        coinbase: saved.coinbase,
      });
    }
    for (const saved of snapshot.coins) {
      const key = this.keys.lookup(saved.scriptPubKey);
      if (key === undefined)
        throw new Error(`coin ${saved.txid}:${saved.index} is not the wallet's`);
      if (!this.txs.has(saved.txid)) throw new Error(`coin ${saved.txid}:${saved.index} has no tx`);
      const coin = this.addCoin(saved.txid, saved.index, BigInt(saved.value), key, saved.coinbase);
      coin.spentBy = saved.spentBy ?? undefined;
    }
  }

  private updateTransaction(
    record: LedgerTx,
    tx: Transaction,
    block: LedgerBlockRef | undefined,
  ): boolean {
    let changed = false;
    if (record.tx === undefined) {
      record.tx = tx;
      changed = true;
    }
    if (
      block !== undefined &&
      (record.block?.hash !== block.hash || record.block.position !== block.position)
    ) {
      const spends = record.coinbase ? [] : this.walletInputs(tx);
      this.resolveConflicts(record.txid, spends, true);
      record.block = block;
      changed = true;
    }
    if (!record.coinbase) {
      for (const coin of this.walletInputs(tx)) {
        if (coin.spentBy !== record.txid) {
          coin.spentBy = record.txid;
          changed = true;
        }
      }
    }
    return changed;
  }

  /** The wallet coins a transaction's inputs spend. */
  private walletInputs(tx: Transaction): LedgerCoin[] {
    const out: LedgerCoin[] = [];
    for (const input of tx.inputs) {
      const coin = this.coins.get(outpointKey(input.prevTxid, input.prevIndex));
      if (coin !== undefined) out.push(coin);
    }
    return out;
  }

  /** Outputs paying wallet keys; marks them used, and looks again when that widened the watch. */
  private walletOutputs(tx: Transaction): [number, WalletKey][] {
    for (;;) {
      const found: [number, WalletKey][] = [];
      let widened = false;
      tx.outputs.forEach((output, index) => {
        const key = this.keys.lookup(output.scriptPubKey);
        if (key === undefined) return;
        found.push([index, key]);
        if (this.keys.markUsed(key).length > 0) widened = true;
      });
      if (!widened) return found;
    }
  }

  /**
   * Makes room for `txid` to spend `spends`: unconfirmed wallet transactions spending the same
   * coins are removed. False (and nothing changed) when an unconfirmed `txid` conflicts with a
   * confirmed spend.
   */
  private resolveConflicts(
    txid: string,
    spends: readonly LedgerCoin[],
    confirmed: boolean,
  ): boolean {
    const losers = new Set<string>();
    for (const coin of spends) {
      const other = coin.spentBy;
      if (other === undefined || other === txid || other === SPENT_OUTSIDE_WALLET) continue;
      const record = this.txs.get(other);
      if (record?.block !== undefined && !confirmed) return false;
      losers.add(other);
    }
    for (const loser of losers) this.removeWithDescendants(loser);
    return true;
  }

  private settleSpent(coin: LedgerCoin, spentOnChain: boolean): boolean {
    if (spentOnChain) {
      if (coin.spentBy !== undefined) return false;
      coin.spentBy = SPENT_OUTSIDE_WALLET;
      return true;
    }
    if (coin.spentBy === undefined) return false;
    if (coin.spentBy === SPENT_OUTSIDE_WALLET) {
      coin.spentBy = undefined;
      return true;
    }
    // Unspent on the main chain: a spender we hold as confirmed is no longer in it.
    const spender = this.txs.get(coin.spentBy);
    if (spender?.block === undefined) return false;
    spender.block = undefined;
    return true;
  }

  private addCoin(
    txid: string,
    index: number,
    value: bigint,
    key: WalletKey,
    coinbase: boolean,
  ): LedgerCoin {
    const id = outpointKey(txid, index);
    const existing = this.coins.get(id);
    if (existing !== undefined) return existing;
    const coin: LedgerCoin = {
      txid,
      index,
      value,
      scriptPubKey: key.scriptPubKey,
      scriptHex: key.scriptHex,
      coinbase,
      spentBy: undefined,
    };
    this.coins.set(id, coin);
    const indexes = this.coinIndexes.get(txid);
    if (indexes === undefined) this.coinIndexes.set(txid, [index]);
    else indexes.push(index);
    return coin;
  }

  private removeWithDescendants(txid: string): void {
    const record = this.txs.get(txid);
    if (record === undefined) return;
    this.txs.delete(txid);
    for (const coin of this.coinsOf(txid)) {
      if (coin.spentBy !== undefined && coin.spentBy !== SPENT_OUTSIDE_WALLET) {
        this.removeWithDescendants(coin.spentBy);
      }
      this.coins.delete(outpointKey(txid, coin.index));
    }
    this.coinIndexes.delete(txid);
    if (record.tx !== undefined && !record.coinbase) {
      for (const coin of this.walletInputs(record.tx)) {
        if (coin.spentBy === txid) coin.spentBy = undefined;
      }
    }
  }
}

/** The ledger as the wallet file stores it (amounts as decimal strings, bytes as hex). */
export interface LedgerSnapshot {
  readonly txs: readonly {
    readonly txid: string;
    readonly hex: string | null;
    readonly block: LedgerBlockRef | null;
    readonly firstSeen: number;
    readonly coinbase: boolean;
  }[];
  readonly coins: readonly {
    readonly txid: string;
    readonly index: number;
    readonly value: string;
    readonly scriptPubKey: string;
    readonly coinbase: boolean;
    readonly spentBy: string | null;
  }[];
}
