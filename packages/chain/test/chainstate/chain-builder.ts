/**
 * Test scaffolding for the chain state machine: a regtest block builder that mines on any parent
 * (so forks are easy), transaction helpers (OP_TRUE and signed P2PKH spends), and an independent
 * model of the UTXO set — rebuilt from scratch by replaying blocks, with no code shared with the
 * chain state machine — to compare the store against. Not a test file itself.
 */
import {
  Block,
  BlockHeader,
  type ChainState,
  type Coin,
  checkProofOfWork,
  concatBytes,
  generatePrivateKey,
  getBlockSubsidy,
  hash160,
  heightPushScript,
  MAX_SCRIPT_SIZE,
  merkleRoot,
  NULL_HASH_HEX,
  NULL_INDEX,
  Op,
  p2pkhScript,
  p2pkhScriptSig,
  publicKeyFromPrivate,
  regtest,
  SEQUENCE_FINAL,
  signInput,
  Transaction,
  type UtxoCommitment,
  utxoCommitment,
  utxoCommitmentOf,
} from "../../src/index.ts";

/** OP_TRUE: spendable with an empty scriptSig. */
export const OP_TRUE = Uint8Array.of(Op.OP_1);
/** The node's clock in tests: far past every block time used. */
export const NOW = regtest.genesis.header.time + 10_000_000;

export interface Point {
  readonly hash: string;
  readonly height: number;
  readonly time: number;
}

export const GENESIS: Point = {
  hash: regtest.genesisHash,
  height: 0,
  time: regtest.genesis.header.time,
};

export function pointOf(block: Block, height: number): Point {
  return { hash: block.hash(), height, time: block.header.time };
}

export interface Key {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly script: Uint8Array;
}

export function makeKey(tag: number): Key {
  const privateKey = generatePrivateKey(new Uint8Array(48).fill(tag));
  const publicKey = publicKeyFromPrivate(privateKey);
  return { privateKey, publicKey, script: p2pkhScript(hash160(publicKey)) };
}

export interface Outpoint {
  readonly txid: string;
  readonly index: number;
}

export interface SpendInit {
  readonly inputs: readonly (Outpoint & { scriptSig?: Uint8Array; sequence?: number })[];
  readonly outputs: readonly { value: bigint; scriptPubKey?: Uint8Array }[];
  readonly locktime?: number;
}

/** A transaction spending outpoints (empty scriptSigs by default) to OP_TRUE outputs by default. */
export function spend(init: SpendInit): Transaction {
  return new Transaction({
    version: 2,
    inputs: init.inputs.map((input) => ({
      prevTxid: input.txid,
      prevIndex: input.index,
      scriptSig: input.scriptSig ?? new Uint8Array(0),
      sequence: input.sequence ?? SEQUENCE_FINAL,
    })),
    outputs: init.outputs.map((o) => ({ value: o.value, scriptPubKey: o.scriptPubKey ?? OP_TRUE })),
    locktime: init.locktime ?? 0,
  });
}

/** Spends one P2PKH output of `key`, signed (or signed by `signer` to make a bad signature). */
export function spendP2pkh(
  from: Outpoint,
  key: Key,
  outputs: SpendInit["outputs"],
  signer: Key = key,
): Transaction {
  const unsigned = spend({ inputs: [from], outputs });
  const signature = signInput(unsigned, 0, signer.privateKey, key.script);
  return spend({
    inputs: [{ ...from, scriptSig: p2pkhScriptSig(signature, signer.publicKey) }],
    outputs,
  });
}

export interface BlockOptions {
  /** Coinbase tag: blocks at the same height on different forks get different coinbases. */
  readonly tag?: number;
  /** Coinbase outputs (default: the subsidy to OP_TRUE). */
  readonly coinbaseOutputs?: readonly { value: bigint; scriptPubKey?: Uint8Array }[];
  /** Replaces the coinbase's scriptSig (to break BIP34). */
  readonly coinbaseScriptSig?: Uint8Array;
  readonly time?: number;
  readonly bits?: number;
  readonly version?: number;
}

export function coinbaseTx(height: number, options: BlockOptions = {}): Transaction {
  const tag = options.tag ?? 0;
  const scriptSig =
    options.coinbaseScriptSig ??
    concatBytes(heightPushScript(height), Uint8Array.of(4, 0x53, 0x54, 0x52, tag & 0xff));
  const outputs = options.coinbaseOutputs ?? [{ value: getBlockSubsidy(height, regtest) }];
  return new Transaction({
    version: 1,
    inputs: [
      { prevTxid: NULL_HASH_HEX, prevIndex: NULL_INDEX, scriptSig, sequence: SEQUENCE_FINAL },
    ],
    outputs: outputs.map((o) => ({ value: o.value, scriptPubKey: o.scriptPubKey ?? OP_TRUE })),
    locktime: 0,
  });
}

/** Mines a header over `transactions` (regtest: a couple of nonces). */
export function mine(
  parent: Point,
  transactions: readonly Transaction[],
  options: BlockOptions = {},
): Block {
  const header = new BlockHeader({
    version: options.version ?? 4,
    prevBlock: parent.hash,
    merkleRoot: merkleRoot(transactions.map((tx) => tx.txid())),
    time: options.time ?? parent.time + 1,
    bits: options.bits ?? regtest.powLimitBits,
    nonce: 0,
  });
  for (let nonce = 0; ; nonce++) {
    const candidate = header.with({ nonce });
    if (checkProofOfWork(candidate.hash(), candidate.bits, regtest.powLimitBits)) {
      return new Block(candidate, transactions);
    }
  }
}

/** A block on `parent`: a coinbase, then `transactions`. */
export function blockOn(
  parent: Point,
  transactions: readonly Transaction[] = [],
  options: BlockOptions = {},
): Block {
  return mine(parent, [coinbaseTx(parent.height + 1, options), ...transactions], options);
}

/** `count` empty blocks on `parent` (coinbases tagged `tag`). */
export function emptyChain(parent: Point, count: number, options: BlockOptions = {}): Block[] {
  const blocks: Block[] = [];
  let tip = parent;
  for (let i = 0; i < count; i++) {
    const block = blockOn(tip, [], options);
    blocks.push(block);
    tip = pointOf(block, tip.height + 1);
  }
  return blocks;
}

/** The point of the last block of `blocks`, which start on `parent`. */
export function tipOf(parent: Point, blocks: readonly Block[]): Point {
  const last = blocks.at(-1);
  return last === undefined ? parent : pointOf(last, parent.height + blocks.length);
}

// ---- the independent model ----------------------------------------------------------------------

export type UtxoModel = Map<string, { txid: string; index: number; coin: Coin }>;

/**
 * The UTXO set after `blocks` (heights 1, 2, ... in order, genesis excluded), rebuilt from
 * scratch: every input deletes its coin (which must exist), every output but OP_RETURN or
 * oversized scripts is added. Written without the chain state's helpers on purpose.
 */
export function replayModel(blocks: readonly Block[]): UtxoModel {
  const set: UtxoModel = new Map();
  blocks.forEach((block, i) => {
    const height = i + 1;
    for (const tx of block.transactions) {
      const coinbase = tx.isCoinbase();
      if (!coinbase) {
        for (const input of tx.inputs) {
          const key = `${input.prevTxid}:${input.prevIndex}`;
          if (!set.delete(key)) throw new Error(`model: block ${height} spends missing ${key}`);
        }
      }
      const txid = tx.txid();
      tx.outputs.forEach((output, index) => {
        const script = output.scriptPubKey;
        if ((script.length > 0 && script[0] === Op.OP_RETURN) || script.length > MAX_SCRIPT_SIZE) {
          return;
        }
        set.set(`${txid}:${index}`, {
          txid,
          index,
          coin: { value: output.value, scriptPubKey: script, height, isCoinbase: coinbase },
        });
      });
    }
  });
  return set;
}

export function modelCommitment(blocks: readonly Block[]): UtxoCommitment {
  return utxoCommitment(replayModel(blocks).values());
}

/** The stored set as a model map. */
export async function storedSet(store: {
  utxos(): AsyncIterable<{ txid: string; index: number; coin: Coin }>;
}): Promise<UtxoModel> {
  const set: UtxoModel = new Map();
  for await (const e of store.utxos()) set.set(`${e.txid}:${e.index}`, { ...e });
  return set;
}

export async function storedCommitment(store: {
  utxos(): AsyncIterable<{ txid: string; index: number; coin: Coin }>;
}): Promise<UtxoCommitment> {
  return utxoCommitmentOf(store.utxos());
}

/** The main-chain blocks of `chain` from height 1 to the tip, read back from it. */
export async function mainChainBlocks(chain: ChainState): Promise<Block[]> {
  const out: Block[] = [];
  for (let h = 1; h <= chain.height; h++) {
    const block = await chain.getBlock(chain.getHashAtHeight(h)!);
    if (block === undefined) throw new Error(`main-chain block at ${h} missing`);
    out.push(block);
  }
  return out;
}

// ---- a chain with spends and double spends on competing forks -----------------------------------

export interface ForkScenario {
  /** Base chain from height 1; its tip is the fork point. */
  readonly base: readonly Block[];
  /** Fork A: `depth` blocks on the base tip. */
  readonly a: readonly Block[];
  /** Fork B: `depth + 1` blocks on the base tip (more work than A). */
  readonly b: readonly Block[];
  /** Two more blocks on A's tip (A then beats B again). */
  readonly aExtension: readonly Block[];
}

export const ALICE = makeKey(1);
export const MALLORY = makeKey(9);

const FEE = 1000n;

/**
 * A base chain of `baseLength` blocks (coinbases at heights 1..10 pay ALICE's P2PKH, the others
 * OP_TRUE) and two forks of `depth` and `depth + 1` blocks on its tip, each block carrying spends:
 * - both forks spend the same mature coinbase output (a double spend across the forks), each with
 *   its own transaction, then keep spending the change of the previous block's transaction (a spend
 *   chain through the whole fork);
 * - a transaction spending an output created earlier in the same block;
 * - one transaction that appears on both forks (at different heights);
 * - signed P2PKH spends of ALICE's coinbases (one per fork; the scripts really run);
 * - an OP_RETURN output (never enters the set).
 */
export function forkScenario(depth: number, baseLength = 200): ForkScenario {
  // Fork blocks spend base coinbases up to height 89: they must be 100 blocks deep.
  if (baseLength < 189) throw new RangeError("forkScenario: the base needs mature coinbases");
  const base: Block[] = [];
  let tip = GENESIS;
  for (let h = 1; h <= baseLength; h++) {
    const outputs =
      h <= 10
        ? [{ value: getBlockSubsidy(h, regtest), scriptPubKey: ALICE.script }]
        : [{ value: getBlockSubsidy(h, regtest) }];
    const block = blockOn(tip, [], { coinbaseOutputs: outputs });
    base.push(block);
    tip = pointOf(block, h);
  }
  const forkPoint = tip;
  const coinbaseOf = (h: number): Outpoint => ({
    txid: base[h - 1]!.transactions[0]!.txid(),
    index: 0,
  });
  const value = (h: number): bigint => getBlockSubsidy(h, regtest);
  // Spent on both forks by the same transaction.
  const shared = spend({
    inputs: [coinbaseOf(20)],
    outputs: [{ value: value(20) - FEE }],
  });

  const buildFork = (count: number, tag: number, p2pkhHeight: number): Block[] => {
    const blocks: Block[] = [];
    let at = forkPoint;
    // The double spend: both forks start their spend chain from the coinbase at height 11.
    let chainCoin: Outpoint = coinbaseOf(11);
    let chainValue = value(11);
    for (let i = 0; i < count; i++) {
      const txs: Transaction[] = [];
      const next = spend({
        inputs: [chainCoin],
        outputs: [
          { value: chainValue - 10n * FEE },
          { value: 5n * FEE + BigInt(tag) },
          { value: 0n, scriptPubKey: Uint8Array.of(Op.OP_RETURN, 1, tag) },
        ],
      });
      txs.push(next);
      // Spends, in the same block, the second output just created.
      txs.push(
        spend({
          inputs: [{ txid: next.txid(), index: 1 }],
          outputs: [{ value: 4n * FEE + BigInt(tag) }],
        }),
      );
      if (i === 0) {
        txs.push(
          spendP2pkh(coinbaseOf(p2pkhHeight), ALICE, [
            { value: value(p2pkhHeight) - FEE, scriptPubKey: ALICE.script },
          ]),
        );
      }
      if (i === Math.min(count - 1, tag === 1 ? 0 : count - 1)) txs.push(shared);
      // Fork-specific spends of other mature base coinbases, different on each fork.
      const other = 30 + ((i * 2 + tag) % 60);
      if (i < 20)
        txs.push(spend({ inputs: [coinbaseOf(other)], outputs: [{ value: value(other) - FEE }] }));
      const block = blockOn(at, txs, { tag });
      blocks.push(block);
      at = pointOf(block, at.height + 1);
      chainCoin = { txid: next.txid(), index: 0 };
      chainValue -= 10n * FEE;
    }
    return blocks;
  };

  const a = buildFork(depth, 1, 1);
  const b = buildFork(depth + 1, 2, 2);
  const aExtension = emptyChain(tipOf(forkPoint, a), 2, { tag: 1 });
  return { base, a, b, aExtension };
}
