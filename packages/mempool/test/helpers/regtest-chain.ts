/**
 * A regtest chain for the mempool tests, with real blocks, real signatures and the consensus
 * rules of @starling/chain (a few builders adapted from chain's own test scaffolding), plus
 * disconnection with undo data for reorganisation tests, and the MempoolChain the node would give.
 */
import {
  Block,
  BlockHeader,
  type Coin,
  type ConnectBlockResult,
  checkBlock,
  checkProofOfWork,
  concatBytes,
  connectBlockChecks,
  contextualCheckBlock,
  getBlockSubsidy,
  heightPushScript,
  medianTimePast,
  merkleRoot,
  type NetworkParams,
  NULL_HASH_HEX,
  NULL_INDEX,
  Op,
  regtest,
  runScriptJobs,
  SEQUENCE_FINAL,
  Transaction,
  type TxOutput,
  UtxoOverlay,
} from "@starling/chain";
import type { ChainTip, MempoolChain, Outpoint } from "../../src/index.ts";

export const OP_TRUE_SCRIPT = Uint8Array.of(Op.OP_1);

/** A coinbase with the BIP34 height push and a tag. */
export function coinbaseTx(height: number, outputs: readonly TxOutput[]): Transaction {
  return new Transaction({
    version: 1,
    inputs: [
      {
        prevTxid: NULL_HASH_HEX,
        prevIndex: NULL_INDEX,
        scriptSig: concatBytes(heightPushScript(height), Uint8Array.of(3, 0x4d, 0x50, 0x4c)),
        sequence: SEQUENCE_FINAL,
      },
    ],
    outputs,
    locktime: 0,
  });
}

interface Connected {
  readonly block: Block;
  readonly height: number;
  readonly undo: ConnectBlockResult | undefined;
}

export class RegtestChain {
  readonly params: NetworkParams = regtest;
  readonly utxos = new UtxoOverlay();
  readonly blocks: Connected[] = [{ block: regtest.genesis, height: 0, undo: undefined }];

  get height(): number {
    return this.blocks.length - 1;
  }

  get tipBlock(): Block {
    return this.blocks[this.height]!.block;
  }

  medianTimePastAt = (height: number): number => {
    if (height < 0 || height > this.height) throw new RangeError(`no block at height ${height}`);
    const times = this.blocks.slice(Math.max(0, height - 10), height + 1);
    return medianTimePast(times.map((e) => e.block.header.time));
  };

  tip(): ChainTip {
    return {
      height: this.height,
      hash: this.tipBlock.hash(),
      medianTimePast: this.medianTimePastAt(this.height),
    };
  }

  /** A mined block on the tip: coinbase paying `payTo` (OP_TRUE) the subsidy plus `fees`. */
  mine(
    transactions: readonly Transaction[] = [],
    options: { payTo?: Uint8Array; fees?: bigint; time?: number } = {},
  ): Block {
    const height = this.height + 1;
    const parent = this.tipBlock.header;
    const value = getBlockSubsidy(height, this.params) + (options.fees ?? 0n);
    const cb = coinbaseTx(height, [{ value, scriptPubKey: options.payTo ?? OP_TRUE_SCRIPT }]);
    const all = [cb, ...transactions];
    const base = new BlockHeader({
      version: 4,
      prevBlock: parent.hash(),
      merkleRoot: merkleRoot(all.map((tx) => tx.txid())),
      time: options.time ?? parent.time + 1,
      bits: this.params.powLimitBits,
      nonce: 0,
    });
    for (let nonce = 0; ; nonce++) {
      const header = base.with({ nonce });
      if (checkProofOfWork(header.hash(), header.bits, this.params.powLimitBits)) {
        return new Block(header, all);
      }
    }
  }

  /** Validates and connects a block on the tip (full consensus checks, scripts included). */
  connect(block: Block): ConnectBlockResult {
    const height = this.height + 1;
    if (block.header.prevBlock !== this.tipBlock.hash()) throw new Error("not on the tip");
    checkBlock(block, this.params);
    contextualCheckBlock(block, height, this.medianTimePastAt(this.height));
    const result = connectBlockChecks(block, height, this.utxos, {
      params: this.params,
      medianTimePastAt: this.medianTimePastAt,
    });
    runScriptJobs(result.scriptJobs);
    this.utxos.applyBlockChanges(result);
    this.blocks.push({ block, height, undo: result });
    return result;
  }

  /** Mines and connects a block; returns it. */
  mineAndConnect(
    transactions: readonly Transaction[] = [],
    options: { payTo?: Uint8Array; fees?: bigint; time?: number } = {},
  ): Block {
    const block = this.mine(transactions, options);
    this.connect(block);
    return block;
  }

  /** Disconnects the tip with its undo data; returns the block and its height. */
  disconnect(): { block: Block; height: number } {
    const tip = this.blocks.pop();
    if (tip === undefined || tip.undo === undefined) throw new Error("cannot disconnect genesis");
    for (const created of tip.undo.created) this.utxos.spendCoin(created.txid, created.index);
    for (const spent of tip.undo.spent) {
      if (!spent.createdInBlock) this.utxos.addCoin(spent.txid, spent.index, spent.coin);
    }
    return { block: tip.block, height: tip.height };
  }

  /** The view of this chain a node gives its mempool. */
  view(): MempoolChain {
    return {
      params: this.params,
      tip: () => this.tip(),
      getCoins: async (outpoints: readonly Outpoint[]): Promise<(Coin | undefined)[]> =>
        outpoints.map((o) => this.utxos.getCoin(o.txid, o.index)),
      medianTimePastAt: this.medianTimePastAt,
    };
  }
}
