import { type AddressPrefixes, scriptToAddress } from "@starling/chain";
import { amountToCoins } from "./amount.ts";
import { CHANGE_CHAIN } from "./constants.ts";
import type { LedgerTx, WalletLedger } from "./ledger.ts";
import type { WalletKey } from "./wallet-keys.ts";

/**
 * The wallet's views in Bitcoin Core's RPC shapes (listunspent, listtransactions): amounts as coin
 * numbers, hashes as display hex, field names as Core's.
 */

export interface ListUnspentEntry {
  readonly txid: string;
  readonly vout: number;
  readonly address: string;
  readonly scriptPubKey: string;
  readonly amount: number;
  readonly confirmations: number;
  readonly spendable: boolean;
  readonly solvable: boolean;
  readonly safe: boolean;
}

export interface ListUnspentOptions {
  /** Default 1, as Core. */
  readonly minconf?: number;
  /** Default 9,999,999, as Core. */
  readonly maxconf?: number;
  /** Only outputs paying these addresses. */
  readonly addresses?: readonly string[];
  /** Include unconfirmed outputs that are not the wallet's own change (default true, as Core). */
  readonly includeUnsafe?: boolean;
}

export type TransactionCategory = "send" | "receive" | "generate" | "immature";

export interface ListTransactionsEntry {
  readonly address?: string;
  readonly category: TransactionCategory;
  /** Negative for sends. */
  readonly amount: number;
  readonly vout: number;
  /** Sends only, negative: the whole transaction's fee, when every input is the wallet's. */
  readonly fee?: number;
  readonly confirmations: number;
  readonly generated?: true;
  /** Unconfirmed transactions only: whether the wallet trusts it (its own). */
  readonly trusted?: boolean;
  readonly blockhash?: string;
  readonly blockheight?: number;
  readonly blocktime?: number;
  readonly txid: string;
  readonly time: number;
  readonly timereceived: number;
}

export interface ViewContext {
  readonly ledger: WalletLedger;
  readonly lookup: (script: Uint8Array | string) => WalletKey | undefined;
  readonly prefixes: AddressPrefixes;
  readonly tipHeight: number;
  readonly coinbaseMaturity: number;
}

export function listUnspentView(
  context: ViewContext,
  options: ListUnspentOptions = {},
): ListUnspentEntry[] {
  const minconf = options.minconf ?? 1;
  const maxconf = options.maxconf ?? 9_999_999;
  const only = options.addresses === undefined ? undefined : new Set(options.addresses);
  const includeUnsafe = options.includeUnsafe ?? true;
  const out: ListUnspentEntry[] = [];
  for (const { coin, confirmations, safe } of context.ledger.spendableCoins(
    context.tipHeight,
    context.coinbaseMaturity,
  )) {
    if (confirmations < minconf || confirmations > maxconf) continue;
    if (!safe && !includeUnsafe) continue;
    const key = context.lookup(coin.scriptHex);
    const address = key?.address ?? scriptToAddress(coin.scriptPubKey, context.prefixes) ?? "";
    if (only !== undefined && !only.has(address)) continue;
    out.push({
      txid: coin.txid,
      vout: coin.index,
      address,
      scriptPubKey: coin.scriptHex,
      amount: amountToCoins(coin.value),
      confirmations,
      spendable: true,
      solvable: true,
      safe,
    });
  }
  return out.sort(
    (a, b) =>
      b.confirmations - a.confirmations ||
      (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : 0) ||
      a.vout - b.vout,
  );
}

/** Confirmed first, by block height and position, then unconfirmed by when they were seen. */
function compareRecords(a: LedgerTx, b: LedgerTx): number {
  if (a.block !== undefined && b.block !== undefined) {
    return (
      a.block.height - b.block.height ||
      a.block.position - b.block.position ||
      (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : 0)
    );
  }
  if (a.block !== undefined) return -1;
  if (b.block !== undefined) return 1;
  return a.firstSeen - b.firstSeen || (a.txid < b.txid ? -1 : a.txid > b.txid ? 1 : 0);
}

/** Core's ListTransactions entries of one wallet transaction. */
function entriesOf(context: ViewContext, record: LedgerTx): ListTransactionsEntry[] {
  const { ledger, prefixes } = context;
  const confirmations = ledger.confirmations(record, context.tipHeight);
  const common = {
    confirmations,
    ...(record.block === undefined
      ? { trusted: ledger.isTrusted(record) }
      : {
          blockhash: record.block.hash,
          blockheight: record.block.height,
          blocktime: record.block.time,
        }),
    txid: record.txid,
    time: record.firstSeen,
    timereceived: record.firstSeen,
  };
  const out: ListTransactionsEntry[] = [];
  const tx = record.tx;

  if (tx !== undefined && ledger.isFromMe(record)) {
    let debit = 0n;
    let allMine = true;
    for (const input of tx.inputs) {
      const coin = ledger.getCoin(input.prevTxid, input.prevIndex);
      if (coin === undefined) allMine = false;
      else debit += coin.value;
    }
    const spent = tx.outputs.reduce((sum, o) => sum + o.value, 0n);
    const fee = allMine ? { fee: -amountToCoins(debit - spent) } : {};
    tx.outputs.forEach((output, vout) => {
      const key = context.lookup(output.scriptPubKey);
      if (key?.chain === CHANGE_CHAIN) return;
      const address = scriptToAddress(output.scriptPubKey, prefixes);
      out.push({
        ...(address === undefined ? {} : { address }),
        category: "send",
        amount: -amountToCoins(output.value),
        vout,
        ...fee,
        ...common,
      });
      if (key !== undefined) {
        out.push({
          address: key.address,
          category: "receive",
          amount: amountToCoins(output.value),
          vout,
          ...common,
        });
      }
    });
    return out;
  }

  for (const coin of ledger.coinsOf(record.txid).sort((a, b) => a.index - b.index)) {
    const key = context.lookup(coin.scriptHex);
    const category: TransactionCategory = !record.coinbase
      ? "receive"
      : confirmations >= context.coinbaseMaturity
        ? "generate"
        : "immature";
    out.push({
      ...(key === undefined ? {} : { address: key.address }),
      category,
      amount: amountToCoins(coin.value),
      vout: coin.index,
      ...(record.coinbase ? { generated: true as const } : {}),
      ...common,
    });
  }
  return out;
}

/**
 * Core's listtransactions: the most recent `count` entries after skipping the `skip` most recent,
 * oldest first.
 */
export function listTransactionsView(
  context: ViewContext,
  count = 10,
  skip = 0,
): ListTransactionsEntry[] {
  const all = context.ledger
    .transactions()
    .sort(compareRecords)
    .flatMap((record) => entriesOf(context, record));
  const end = Math.max(0, all.length - skip);
  return all.slice(Math.max(0, end - count), end);
}
