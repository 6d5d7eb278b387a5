/**
 * Test scaffolding for the consensus rules: transaction and block builders, a regtest miner (the
 * nonce loop is trivial at 0x207fffff) and a small chain that runs every block rule in Core's
 * order against an in-memory UTXO set. Not a test file itself.
 */
import { heightPushScript } from "../../src/consensus/bip34.ts";
import { checkBlock } from "../../src/consensus/check-block.ts";
import {
  type ConnectBlockResult,
  connectBlockChecks,
  runScriptJobs,
} from "../../src/consensus/check-inputs.ts";
import { contextualCheckBlock } from "../../src/consensus/contextual-block.ts";
import {
  contextualCheckBlockHeader,
  nextWorkRequired,
} from "../../src/consensus/contextual-header.ts";
import { medianTimePast } from "../../src/consensus/median-time.ts";
import { getBlockSubsidy } from "../../src/consensus/subsidy.ts";
import { UtxoOverlay } from "../../src/consensus/utxo-view.ts";
import { concatBytes } from "../../src/encoding/bytes.ts";
import type { NetworkParams } from "../../src/params/network-params.ts";
import { regtest } from "../../src/params/regtest.ts";
import { checkProofOfWork } from "../../src/pow/check-pow.ts";
import { Block } from "../../src/primitives/block.ts";
import { BlockHeader } from "../../src/primitives/block-header.ts";
import { merkleRoot } from "../../src/primitives/merkle.ts";
import {
  NULL_HASH_HEX,
  NULL_INDEX,
  SEQUENCE_FINAL,
  Transaction,
  type TxInput,
  type TxOutput,
} from "../../src/primitives/transaction.ts";
import { Op } from "../../src/script/opcodes.ts";

/** OP_TRUE: an output anyone can spend with an empty scriptSig. */
export const OP_TRUE_SCRIPT = Uint8Array.of(Op.OP_1);

export interface Outpoint {
  readonly txid: string;
  readonly index: number;
}

export interface SpendInit {
  readonly inputs: readonly (Outpoint & { scriptSig?: Uint8Array; sequence?: number })[];
  readonly outputs: readonly (Partial<TxOutput> & { value: bigint })[];
  readonly version?: number;
  readonly locktime?: number;
}

/** A transaction spending outpoints (empty scriptSigs by default) to OP_TRUE outputs by default. */
export function spend(init: SpendInit): Transaction {
  const inputs: TxInput[] = init.inputs.map((input) => ({
    prevTxid: input.txid,
    prevIndex: input.index,
    scriptSig: input.scriptSig ?? new Uint8Array(0),
    sequence: input.sequence ?? SEQUENCE_FINAL,
  }));
  const outputs: TxOutput[] = init.outputs.map((output) => ({
    value: output.value,
    scriptPubKey: output.scriptPubKey ?? OP_TRUE_SCRIPT,
  }));
  return new Transaction({
    version: init.version ?? 2,
    inputs,
    outputs,
    locktime: init.locktime ?? 0,
  });
}

export interface CoinbaseInit {
  readonly height: number;
  readonly outputs?: readonly (Partial<TxOutput> & { value: bigint })[];
  /** Replaces the whole scriptSig (to break BIP34 on purpose). */
  readonly scriptSig?: Uint8Array;
  readonly locktime?: number;
  readonly sequence?: number;
}

/** A coinbase with the BIP34 height push and a tag (so it is at least 2 bytes), paying OP_TRUE. */
export function coinbase(init: CoinbaseInit & { value?: bigint }): Transaction {
  const scriptSig =
    init.scriptSig ??
    concatBytes(heightPushScript(init.height), Uint8Array.of(4, 0x53, 0x54, 0x52, 0x4c));
  return new Transaction({
    version: 1,
    inputs: [
      {
        prevTxid: NULL_HASH_HEX,
        prevIndex: NULL_INDEX,
        scriptSig,
        sequence: init.sequence ?? SEQUENCE_FINAL,
      },
    ],
    outputs: (init.outputs ?? [{ value: init.value ?? 0n }]).map((o) => ({
      value: o.value,
      scriptPubKey: o.scriptPubKey ?? OP_TRUE_SCRIPT,
    })),
    locktime: init.locktime ?? 0,
  });
}

export interface HeaderInit {
  readonly prevBlock: string;
  readonly time: number;
  readonly bits: number;
  readonly version?: number;
  readonly merkleRoot?: string;
}

/** The first nonce from 0 whose header meets `bits` under `powLimitBits`. */
export function mineHeader(init: HeaderInit, powLimitBits: number, merkle: string): BlockHeader {
  const base = new BlockHeader({
    version: init.version ?? 4,
    prevBlock: init.prevBlock,
    merkleRoot: init.merkleRoot ?? merkle,
    time: init.time,
    bits: init.bits,
    nonce: 0,
  });
  for (let nonce = 0; nonce <= 0xffffffff; nonce++) {
    const header = base.with({ nonce });
    if (checkProofOfWork(header.hash(), header.bits, powLimitBits)) return header;
  }
  throw new Error("no nonce found");
}

/** A header that fails its bits (for high-hash tests): the first nonce whose hash is above target. */
export function unminedHeader(init: HeaderInit, powLimitBits: number, merkle: string): BlockHeader {
  const base = new BlockHeader({
    version: init.version ?? 4,
    prevBlock: init.prevBlock,
    merkleRoot: init.merkleRoot ?? merkle,
    time: init.time,
    bits: init.bits,
    nonce: 0,
  });
  for (let nonce = 0; ; nonce++) {
    const header = base.with({ nonce });
    if (!checkProofOfWork(header.hash(), header.bits, powLimitBits)) return header;
  }
}

/** A mined block of `transactions` on `init.prevBlock`. */
export function mineBlock(
  init: HeaderInit,
  transactions: readonly Transaction[],
  powLimitBits: number,
): Block {
  const merkle = merkleRoot(transactions.map((tx) => tx.txid()));
  return new Block(mineHeader(init, powLimitBits, merkle), transactions);
}

interface ChainEntry {
  readonly block: Block;
  readonly height: number;
}

export interface MineOptions {
  /** Block time; default parent time + 1. */
  readonly time?: number;
  /** Coinbase outputs; default the subsidy (without fees) to one OP_TRUE output. */
  readonly coinbase?: Transaction;
  readonly version?: number;
  readonly bits?: number;
}

/**
 * A chain from a network's genesis with an in-memory UTXO set. `connect` runs every rule, in Bitcoin
 * Core's order (header, block, contextual, inputs, scripts), and extends the tip only on success.
 * Like Core, the genesis coinbase never enters the UTXO set.
 */
export class TestChain {
  readonly params: NetworkParams;
  readonly entries: ChainEntry[];
  readonly utxos = new UtxoOverlay();

  constructor(params: NetworkParams = regtest) {
    this.params = params;
    this.entries = [{ block: params.genesis, height: 0 }];
  }

  get tip(): ChainEntry {
    return this.entries[this.entries.length - 1]!;
  }

  get height(): number {
    return this.tip.height;
  }

  medianTimePastAt = (height: number): number => {
    if (height < 0 || height > this.height) throw new RangeError(`no block at height ${height}`);
    const times = this.entries.slice(Math.max(0, height - 10), height + 1);
    return medianTimePast(times.map((e) => e.block.header.time));
  };

  /** A mined block on the tip: a BIP34 coinbase paying the subsidy, then `transactions`. */
  mine(transactions: readonly Transaction[] = [], options: MineOptions = {}): Block {
    const height = this.height + 1;
    const parent = this.tip.block.header;
    const cb =
      options.coinbase ?? coinbase({ height, value: getBlockSubsidy(height, this.params) });
    return mineBlock(
      {
        prevBlock: parent.hash(),
        time: options.time ?? parent.time + 1,
        bits:
          options.bits ?? nextWorkRequired(this.params, { height: this.height, time: parent.time }),
        ...(options.version === undefined ? {} : { version: options.version }),
      },
      [cb, ...transactions],
      this.params.powLimitBits,
    );
  }

  /** Validates `block` as the tip's child and, when every rule passes, connects it. */
  connect(block: Block, adjustedTime: number = block.header.time): ConnectBlockResult {
    const height = this.height + 1;
    const parent = this.tip.block.header;
    if (block.header.prevBlock !== parent.hash())
      throw new Error("block does not build on the tip");
    const parentMedianTimePast = this.medianTimePastAt(this.height);
    checkBlock(block, this.params);
    contextualCheckBlockHeader(
      block.header,
      { parentHeight: this.height, parentTime: parent.time, parentMedianTimePast, adjustedTime },
      this.params,
    );
    contextualCheckBlock(block, height, parentMedianTimePast);
    const result = connectBlockChecks(block, height, this.utxos, {
      params: this.params,
      medianTimePastAt: this.medianTimePastAt,
    });
    runScriptJobs(result.scriptJobs);
    this.utxos.applyBlockChanges(result);
    this.entries.push({ block, height });
    return result;
  }

  /** Mines and connects `count` empty blocks; returns their coinbases. */
  extend(count: number): Transaction[] {
    const coinbases: Transaction[] = [];
    for (let i = 0; i < count; i++) {
      const block = this.mine();
      this.connect(block);
      coinbases.push(block.transactions[0]!);
    }
    return coinbases;
  }
}
