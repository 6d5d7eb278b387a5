import { createInlineScriptJobRunner, type Transaction } from "@starling/chain";
import {
  createMempool,
  type Mempool,
  type MempoolInit,
  type TxAddedEvent,
  type TxRemovedEvent,
} from "../../src/index.ts";
import { RegtestChain } from "./regtest-chain.ts";
import { type Key, key, payments, spend, type Utxo, utxosOf } from "./wallet.ts";

export const alice = key(1);
export const bob = key(2);

export interface FixtureOptions {
  /** Confirmed P2PKH coins for alice (default 50). */
  readonly coins?: number;
  /** Value of each (default 0.1 coin). */
  readonly coinValue?: bigint;
  readonly init?: MempoolInit;
}

export interface Fixture {
  readonly chain: RegtestChain;
  /** The mempool's clock, seconds; tests move it. */
  readonly clock: { now: number };
  readonly mempool: Mempool;
  /** Confirmed (height 102) P2PKH coins of alice. */
  readonly coins: Utxo[];
  /** A mature coinbase output (height 2) paying alice. */
  readonly matureCoinbase: Utxo;
  /** The coinbase of height 102, paying alice: immature until height 202. */
  readonly immatureCoinbase: Utxo;
  /** A mature coinbase output paying OP_TRUE (non-standard to spend). */
  readonly opTrueCoinbase: { txid: string; index: number; value: bigint };
  readonly added: TxAddedEvent[];
  readonly removed: TxRemovedEvent[];
  /** Another mempool over the same chain and clock. */
  newMempool(init?: MempoolInit): Mempool;
  /** Mines `transactions` into a block, connects it and tells the mempool. */
  confirm(transactions: readonly Transaction[]): void;
}

/**
 * A regtest chain of 102 blocks: alice's coinbases at heights 1, 2 and 102, OP_TRUE coinbases in
 * between, and at height 102 a transaction splitting the first coinbase into `coins` coins for
 * alice. The mempool runs scripts inline and reads time from `clock`.
 */
export function createFixture(options: FixtureOptions = {}): Fixture {
  const chain = new RegtestChain();
  const count = options.coins ?? 50;
  const coinValue = options.coinValue ?? 10_000_000n;
  const first = chain.mineAndConnect([], { payTo: alice.script }).transactions[0]!;
  const second = chain.mineAndConnect([], { payTo: alice.script }).transactions[0]!;
  const third = chain.mineAndConnect().transactions[0]!;
  while (chain.height < 101) chain.mineAndConnect();
  const source = utxosOf(first, alice)[0]!;
  const change = source.value - coinValue * BigInt(count);
  const fanOut = spend({
    inputs: [source],
    outputs: [...payments(alice, count, coinValue), { value: change, scriptPubKey: alice.script }],
  });
  const top = chain.mineAndConnect([fanOut], { payTo: alice.script }).transactions[0]!;
  const clock = { now: chain.tipBlock.header.time + 1000 };
  const runner = createInlineScriptJobRunner();
  const newMempool = (init: MempoolInit = {}) =>
    createMempool(
      { chain: chain.view(), runner, now: () => clock.now },
      { ...options.init, ...init },
    );
  const mempool = newMempool();
  const added: TxAddedEvent[] = [];
  const removed: TxRemovedEvent[] = [];
  mempool.on("tx-added", (e) => added.push(e));
  mempool.on("tx-removed", (e) => removed.push(e));
  return {
    chain,
    clock,
    mempool,
    coins: utxosOf(fanOut, alice).slice(0, count),
    matureCoinbase: utxosOf(second, alice)[0]!,
    immatureCoinbase: utxosOf(top, alice)[0]!,
    opTrueCoinbase: { txid: third.txid(), index: 0, value: third.outputs[0]!.value },
    added,
    removed,
    newMempool,
    confirm(transactions) {
      const block = chain.mineAndConnect(transactions);
      mempool.blockConnected(block, chain.height);
    },
  };
}

/** A chain of `length` transactions, each spending the previous one's output 0. */
export function spendChain(start: Utxo, length: number, fee = 10_000n): Transaction[] {
  const out: Transaction[] = [];
  let utxo = start;
  for (let i = 0; i < length; i++) {
    const tx = spend({ inputs: [utxo], fee });
    out.push(tx);
    utxo = { txid: tx.txid(), index: 0, value: tx.outputs[0]!.value, owner: utxo.owner };
  }
  return out;
}

/** Output `index` of `tx` as a utxo of `owner`. */
export function output(tx: Transaction, index: number, owner: Key = alice): Utxo {
  return { txid: tx.txid(), index, value: tx.outputs[index]!.value, owner };
}

export { type Key, key, payments, spend, type Utxo };
