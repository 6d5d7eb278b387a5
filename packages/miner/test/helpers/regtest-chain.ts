/**
 * Test scaffolding: a regtest chain with an in-memory UTXO set that runs every block rule of
 * @starling/chain in Core's order, P2PKH keys that sign for real, and a stand-in mempool offering
 * block candidates the way the real one does (ancestor totals, sorted by ancestor fee rate).
 * Small pieces adapted from packages/chain/test/consensus/regtest-chain.ts.
 */
import {
  Block,
  BlockHeader,
  checkBlock,
  checkProofOfWork,
  concatBytes,
  connectBlockChecks,
  contextualCheckBlock,
  contextualCheckBlockHeader,
  generatePrivateKey,
  getBlockSubsidy,
  hash160,
  heightPushScript,
  legacySigOpCount,
  medianTimePast,
  merkleRoot,
  type NetworkParams,
  NULL_HASH_HEX,
  NULL_INDEX,
  nextWorkRequired,
  p2pkhScript,
  p2pkhScriptSig,
  p2shSigOpCount,
  publicKeyFromPrivate,
  regtest,
  runScriptJobs,
  SEQUENCE_FINAL,
  signInput,
  Transaction,
  UtxoOverlay,
} from "@starling/chain";
import type { BlockCandidate, ChainTip, ChainTipSource, TxSource } from "../../src/index.ts";

export interface Key {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly script: Uint8Array;
}

export function key(tag: number): Key {
  const privateKey = generatePrivateKey(new Uint8Array(48).fill(tag));
  const publicKey = publicKeyFromPrivate(privateKey);
  return { privateKey, publicKey, script: p2pkhScript(hash160(publicKey)) };
}

export interface Outpoint {
  readonly txid: string;
  readonly index: number;
}

/** A transaction spending P2PKH outputs of `signer`, every input signed (SIGHASH_ALL). */
export function signedSpend(
  signer: Key,
  inputs: readonly Outpoint[],
  outputs: readonly { value: bigint; script?: Uint8Array }[],
  locktime = 0,
): Transaction {
  const unsigned = new Transaction({
    version: 2,
    inputs: inputs.map((o) => ({
      prevTxid: o.txid,
      prevIndex: o.index,
      scriptSig: new Uint8Array(0),
      sequence: locktime === 0 ? SEQUENCE_FINAL : 0xfffffffe,
    })),
    outputs: outputs.map((o) => ({ value: o.value, scriptPubKey: o.script ?? signer.script })),
    locktime,
  });
  const scriptSigs = unsigned.inputs.map((_, i) =>
    p2pkhScriptSig(signInput(unsigned, i, signer.privateKey, signer.script), signer.publicKey),
  );
  return new Transaction({
    version: unsigned.version,
    inputs: unsigned.inputs.map((input, i) => ({ ...input, scriptSig: scriptSigs[i]! })),
    outputs: unsigned.outputs,
    locktime: unsigned.locktime,
  });
}

/** A BIP34 coinbase paying `value` to `script`. */
export function coinbaseTx(height: number, value: bigint, script: Uint8Array): Transaction {
  return new Transaction({
    version: 1,
    inputs: [
      {
        prevTxid: NULL_HASH_HEX,
        prevIndex: NULL_INDEX,
        scriptSig: concatBytes(heightPushScript(height), Uint8Array.of(2, 0x54, 0x43)),
        sequence: SEQUENCE_FINAL,
      },
    ],
    outputs: [{ value, scriptPubKey: script }],
    locktime: 0,
  });
}

/** The first nonce from 0 that meets the bits (regtest: a couple of tries). */
function mineHeader(header: BlockHeader, powLimitBits: number): BlockHeader {
  for (let nonce = 0; nonce <= 0xffffffff; nonce++) {
    const candidate = header.with({ nonce });
    if (checkProofOfWork(candidate.hash(), candidate.bits, powLimitBits)) return candidate;
  }
  throw new Error("no nonce found");
}

/**
 * A chain from the network's genesis. `connect` runs checkBlock, contextualCheckBlockHeader,
 * contextualCheckBlock, connectBlockChecks and the scripts, and extends the tip only on success.
 */
export class TestChain implements ChainTipSource {
  readonly params: NetworkParams;
  readonly blocks: Block[];
  readonly utxos = new UtxoOverlay();
  /** The clock `now()` answers with; tests move it. */
  clock: number;

  constructor(params: NetworkParams = regtest) {
    this.params = params;
    this.blocks = [params.genesis];
    this.clock = params.genesis.header.time + 1;
  }

  get height(): number {
    return this.blocks.length - 1;
  }

  medianTimePastAt = (height: number): number => {
    const times = this.blocks.slice(Math.max(0, height - 10), height + 1);
    return medianTimePast(times.map((b) => b.header.time));
  };

  getTip(): ChainTip {
    const block = this.blocks[this.height]!;
    return {
      height: this.height,
      hash: block.hash(),
      time: block.header.time,
      medianTimePast: this.medianTimePastAt(this.height),
    };
  }

  now(): number {
    return this.clock;
  }

  /** Every rule, as the node will run them, for a block on the tip. */
  validate(block: Block): ReturnType<typeof connectBlockChecks> {
    const tip = this.getTip();
    if (block.header.prevBlock !== tip.hash) throw new Error("block does not build on the tip");
    checkBlock(block, this.params);
    contextualCheckBlockHeader(
      block.header,
      {
        parentHeight: tip.height,
        parentTime: tip.time,
        parentMedianTimePast: tip.medianTimePast,
        adjustedTime: this.clock,
      },
      this.params,
    );
    contextualCheckBlock(block, tip.height + 1, tip.medianTimePast);
    const result = connectBlockChecks(block, tip.height + 1, this.utxos, {
      params: this.params,
      medianTimePastAt: this.medianTimePastAt,
    });
    runScriptJobs(result.scriptJobs);
    return result;
  }

  connect(block: Block): ReturnType<typeof connectBlockChecks> {
    const result = this.validate(block);
    this.utxos.applyBlockChanges(result);
    this.blocks.push(block);
    this.clock = Math.max(this.clock, block.header.time + 1);
    return result;
  }

  /** Mines (brute force, regtest) and connects a block of a coinbase paying `payTo`. */
  extendTo(payTo: Uint8Array): Transaction {
    const height = this.height + 1;
    const tip = this.getTip();
    const cb = coinbaseTx(height, getBlockSubsidy(height, this.params), payTo);
    const header = new BlockHeader({
      version: 4,
      prevBlock: tip.hash,
      merkleRoot: merkleRoot([cb.txid()]),
      time: Math.max(tip.medianTimePast + 1, this.clock),
      bits: nextWorkRequired(this.params, tip),
      nonce: 0,
    });
    this.connect(new Block(mineHeader(header, this.params.powLimitBits), [cb]));
    return cb;
  }
}

/**
 * A stand-in mempool: transactions added with their fee (computed from the chain's coins and the
 * pool's own outputs), offered as block candidates with ancestor totals, best ancestor fee rate
 * first, as the real mempool will.
 */
export class StubMempool implements TxSource {
  private readonly chain: TestChain;
  private readonly entries = new Map<string, { tx: Transaction; fee: bigint }>();
  revision = 0;

  constructor(chain: TestChain) {
    this.chain = chain;
  }

  add(tx: Transaction): bigint {
    const view = this.view();
    let valueIn = 0n;
    for (const input of tx.inputs) {
      const coin = view.getCoin(input.prevTxid, input.prevIndex);
      if (coin === undefined) throw new Error(`missing input ${input.prevTxid}:${input.prevIndex}`);
      valueIn += coin.value;
    }
    const fee = valueIn - tx.outputs.reduce((sum, o) => sum + o.value, 0n);
    if (fee < 0n) throw new Error("negative fee");
    this.entries.set(tx.txid(), { tx, fee });
    this.revision++;
    return fee;
  }

  clear(): void {
    this.entries.clear();
    this.revision++;
  }

  transactionsUpdated(): number {
    return this.revision;
  }

  /** The chain's coins plus the pool's outputs. */
  private view(): UtxoOverlay {
    const view = new UtxoOverlay(this.chain.utxos);
    for (const { tx } of this.entries.values()) {
      tx.outputs.forEach((o, index) => {
        view.addCoin(tx.txid(), index, {
          value: o.value,
          scriptPubKey: o.scriptPubKey,
          height: this.chain.height + 1,
          isCoinbase: false,
        });
      });
    }
    return view;
  }

  getBlockCandidates(): BlockCandidate[] {
    const view = this.view();
    const parentsOf = (tx: Transaction): string[] => [
      ...new Set(tx.inputs.map((i) => i.prevTxid).filter((id) => this.entries.has(id))),
    ];
    const ancestors = (txid: string, seen = new Set<string>()): Set<string> => {
      for (const p of parentsOf(this.entries.get(txid)!.tx)) {
        if (!seen.has(p)) {
          seen.add(p);
          ancestors(p, seen);
        }
      }
      return seen;
    };
    const candidates = [...this.entries].map(([txid, { tx, fee }]): BlockCandidate => {
      let ancestorFee = fee;
      let ancestorSize = tx.size();
      for (const a of ancestors(txid)) {
        const entry = this.entries.get(a)!;
        ancestorFee += entry.fee;
        ancestorSize += entry.tx.size();
      }
      return {
        tx,
        txid,
        fee,
        size: tx.size(),
        sigops: legacySigOpCount(tx) + p2shSigOpCount(tx, view),
        ancestorFee,
        ancestorSize,
        parents: parentsOf(tx),
      };
    });
    return candidates.sort((a, b) => {
      const l = a.ancestorFee * BigInt(b.ancestorSize);
      const r = b.ancestorFee * BigInt(a.ancestorSize);
      return l > r ? -1 : l < r ? 1 : a.txid < b.txid ? -1 : 1;
    });
  }
}
