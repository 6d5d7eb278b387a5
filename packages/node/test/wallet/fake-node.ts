/**
 * A WalletChainSource backed by a real regtest chain, built and validated in memory: blocks are
 * mined (the nonce loop is trivial at 0x207fffff) and connected with every consensus rule in Core's
 * order; broadcast transactions pass CheckTransaction, finality, CheckTxInputs and the standard
 * script flags before entering a small mempool, which the next block mines. The address index is a
 * scan of the main chain. Wallets registered with `follow` get the node's events. Not a test file.
 */
import {
  Block,
  BlockHeader,
  type ConnectBlockResult,
  checkBlock,
  checkProofOfWork,
  checkTransaction,
  checkTxInputs,
  checkTxScripts,
  concatBytes,
  connectBlockChecks,
  contextualCheckBlock,
  contextualCheckBlockHeader,
  getBlockSubsidy,
  heightPushScript,
  isFinalTx,
  medianTimePast,
  merkleRoot,
  type NetworkParams,
  NULL_HASH_HEX,
  NULL_INDEX,
  nextWorkRequired,
  Op,
  regtest,
  runScriptJobs,
  SEQUENCE_FINAL,
  STANDARD_SCRIPT_FLAGS,
  Transaction,
  toHex,
  transactionCoins,
  UtxoOverlay,
} from "@starling/chain";
import type { IndexedOutput, Wallet, WalletChainSource } from "../../src/wallet/index.ts";

/** OP_TRUE: what blocks pay when no script is given. */
export const OP_TRUE_SCRIPT = Uint8Array.of(Op.OP_1);

interface Entry {
  readonly block: Block;
  readonly height: number;
  readonly result: ConnectBlockResult | undefined;
}

export class FakeNode implements WalletChainSource {
  readonly params: NetworkParams;
  readonly coinbaseMaturity: number;
  /** What estimateFee answers. */
  feeEstimate: bigint | undefined = undefined;
  readonly entries: Entry[];
  utxos = new UtxoOverlay();
  readonly mempool = new Map<string, Transaction>();
  readonly broadcasts: Transaction[] = [];
  addressQueries = 0;
  private readonly wallets: Wallet[] = [];

  constructor(params: NetworkParams = regtest) {
    this.params = params;
    this.coinbaseMaturity = params.coinbaseMaturity;
    this.entries = [{ block: params.genesis, height: 0, result: undefined }];
  }

  /** Sends this node's events to `wallet`. */
  follow(wallet: Wallet): void {
    this.wallets.push(wallet);
  }

  tipHeight(): number {
    return this.entries.length - 1;
  }

  estimateFee(_targetBlocks: number): bigint | undefined {
    return this.feeEstimate;
  }

  async addressOutputs(scripts: readonly Uint8Array[]): Promise<IndexedOutput[]> {
    this.addressQueries++;
    const wanted = new Set(scripts.map(toHex));
    const out: IndexedOutput[] = [];
    for (const { block, height } of this.entries.slice(1)) {
      for (const tx of block.transactions) {
        const txid = tx.txid();
        tx.outputs.forEach((output, index) => {
          if (!wanted.has(toHex(output.scriptPubKey))) return;
          out.push({
            txid,
            index,
            value: output.value,
            height,
            scriptPubKey: output.scriptPubKey,
            coinbase: tx.isCoinbase(),
            spent: this.utxos.getCoin(txid, index) === undefined,
            blockHash: block.hash(),
            blockTime: block.header.time,
          });
        });
      }
    }
    return out;
  }

  async broadcast(bytes: Uint8Array): Promise<string> {
    const tx = Transaction.fromBytes(bytes);
    this.acceptToMempool(tx);
    this.broadcasts.push(tx);
    for (const wallet of this.wallets) await wallet.txAdded(tx);
    return tx.txid();
  }

  /** The mempool's checks against the tip's UTXO set plus earlier mempool transactions. */
  acceptToMempool(tx: Transaction): void {
    checkTransaction(tx);
    const height = this.tipHeight() + 1;
    if (!isFinalTx(tx, height, this.medianTimePastAt(this.tipHeight()))) {
      throw new Error("non-final");
    }
    const view = this.mempoolView();
    for (const input of tx.inputs) {
      for (const other of this.mempool.values()) {
        if (
          other.inputs.some((i) => i.prevTxid === input.prevTxid && i.prevIndex === input.prevIndex)
        ) {
          throw new Error("txn-mempool-conflict");
        }
      }
    }
    const { coins } = checkTxInputs(tx, view, height, this.coinbaseMaturity);
    checkTxScripts(tx, coins, STANDARD_SCRIPT_FLAGS);
    this.mempool.set(tx.txid(), tx);
  }

  private mempoolView(): UtxoOverlay {
    const view = new UtxoOverlay(this.utxos);
    for (const tx of this.mempool.values()) {
      for (const input of tx.inputs) view.spendCoin(input.prevTxid, input.prevIndex);
      for (const entry of transactionCoins(tx, this.tipHeight() + 1)) {
        view.addCoin(entry.txid, entry.index, entry.coin);
      }
    }
    return view;
  }

  medianTimePastAt = (height: number): number => {
    const times = this.entries.slice(Math.max(0, height - 10), height + 1);
    return medianTimePast(times.map((e) => e.block.header.time));
  };

  /**
   * Mines and connects a block on the tip paying the subsidy to `payTo` (OP_TRUE by default), with
   * `txs` (default: the whole mempool), then tells the wallets.
   */
  async mine(options: { payTo?: Uint8Array; txs?: readonly Transaction[] } = {}): Promise<Block> {
    const block = this.build(
      options.payTo ?? OP_TRUE_SCRIPT,
      options.txs ?? [...this.mempool.values()],
    );
    this.connect(block);
    for (const tx of block.transactions) this.mempool.delete(tx.txid());
    for (const wallet of this.wallets) await wallet.blockConnected(block, this.tipHeight());
    return block;
  }

  /** Mines `count` blocks paying `payTo`. */
  async mineMany(count: number, payTo?: Uint8Array): Promise<void> {
    for (let i = 0; i < count; i++) await this.mine(payTo === undefined ? {} : { payTo });
  }

  /** Disconnects the tip (a reorganisation's first half); its transactions go back to the mempool. */
  async disconnectTip(): Promise<Block> {
    if (this.entries.length === 1) throw new Error("cannot disconnect genesis");
    const { block, height } = this.entries.pop()!;
    this.utxos = new UtxoOverlay();
    for (const entry of this.entries) if (entry.result) this.utxos.applyBlockChanges(entry.result);
    for (const wallet of this.wallets) await wallet.blockDisconnected(block, height);
    for (const tx of block.transactions.slice(1)) this.mempool.set(tx.txid(), tx);
    return block;
  }

  private build(payTo: Uint8Array, txs: readonly Transaction[]): Block {
    const height = this.tipHeight() + 1;
    const parent = this.entries[this.entries.length - 1]!.block.header;
    const coinbase = new Transaction({
      version: 1,
      inputs: [
        {
          prevTxid: NULL_HASH_HEX,
          prevIndex: NULL_INDEX,
          scriptSig: concatBytes(
            heightPushScript(height),
            Uint8Array.of(4, 0x53, 0x54, 0x52, 0x4c),
          ),
          sequence: SEQUENCE_FINAL,
        },
      ],
      outputs: [{ value: getBlockSubsidy(height, this.params), scriptPubKey: payTo }],
      locktime: 0,
    });
    const transactions = [coinbase, ...txs];
    const base = new BlockHeader({
      version: 4,
      prevBlock: parent.hash(),
      merkleRoot: merkleRoot(transactions.map((tx) => tx.txid())),
      time: parent.time + 1,
      bits: nextWorkRequired(this.params, { height: this.tipHeight(), time: parent.time }),
      nonce: 0,
    });
    for (let nonce = 0; ; nonce++) {
      const header = base.with({ nonce });
      if (checkProofOfWork(header.hash(), header.bits, this.params.powLimitBits)) {
        return new Block(header, transactions);
      }
    }
  }

  /** Every block rule, in Core's order, against the tip. */
  private connect(block: Block): void {
    const height = this.tipHeight() + 1;
    const parent = this.entries[this.entries.length - 1]!.block.header;
    const parentMedianTimePast = this.medianTimePastAt(this.tipHeight());
    checkBlock(block, this.params);
    contextualCheckBlockHeader(
      block.header,
      {
        parentHeight: this.tipHeight(),
        parentTime: parent.time,
        parentMedianTimePast,
        adjustedTime: block.header.time,
      },
      this.params,
    );
    contextualCheckBlock(block, height, parentMedianTimePast);
    const result = connectBlockChecks(block, height, this.utxos, {
      params: this.params,
      medianTimePastAt: this.medianTimePastAt,
    });
    runScriptJobs(result.scriptJobs);
    this.utxos.applyBlockChanges(result);
    this.entries.push({ block, height, result });
  }
}
