import {
  type Block,
  type BlockHeader,
  type ChainState,
  CONSENSUS_SCRIPT_FLAGS,
  generatePrivateKey,
  getBlockSubsidy,
  p2pkhScript,
  p2pkhScriptSig,
  publicKeyFromPrivate,
  publicKeyHash,
  regtest,
  type ScriptJob,
  signInput,
  Transaction,
} from "@starling/chain";
import { blockOn } from "@starling/chain/testing";

/**
 * A regtest workload for the chain benchmarks: matured coinbases fanned out into `perBlock`
 * outputs each, then `rounds` blocks of `perBlock` one-input P2PKH spends, signed for real.
 */

const params = regtest;
const key = generatePrivateKey();
const publicKey = publicKeyFromPrivate(key);
const payout = p2pkhScript(publicKeyHash(publicKey));

/** A regtest block on `parent` paying its coinbase to our key. */
function mine(parent: BlockHeader, height: number, txs: Transaction[], fees: bigint): Block {
  return blockOn({ hash: parent.hash(), height: height - 1, time: parent.time }, txs, {
    coinbaseOutputs: [{ value: getBlockSubsidy(height, params) + fees, scriptPubKey: payout }],
  });
}

function signed(
  inputs: { prevTxid: string; prevIndex: number }[],
  outputs: { value: bigint }[],
): Transaction {
  const unsigned = new Transaction({
    version: 1,
    inputs: inputs.map((i) => ({ ...i, scriptSig: new Uint8Array(), sequence: 0xffffffff })),
    outputs: outputs.map((o) => ({ value: o.value, scriptPubKey: payout })),
    locktime: 0,
  });
  return new Transaction({
    ...unsigned,
    inputs: unsigned.inputs.map((input, i) => ({
      ...input,
      scriptSig: p2pkhScriptSig(signInput(unsigned, i, key, payout), publicKey),
    })),
  });
}

export interface SpendWorkload {
  /** The spend blocks, in order, not yet given to the chain. */
  readonly blocks: readonly Block[];
  /** Each spend block's script checks. */
  readonly jobs: readonly (readonly ScriptJob[])[];
}

/** Connects the coinbase and fan-out blocks to `chain` and builds the spend blocks on top. */
export async function buildSpendWorkload(
  chain: ChainState,
  rounds: number,
  perBlock: number,
  now: () => number,
): Promise<SpendWorkload> {
  let tip = params.genesis.header;
  const coinbases: Transaction[] = [];
  let height = 0;
  for (let i = 0; i < rounds + params.coinbaseMaturity; i++) {
    const block = mine(tip, ++height, [], 0n);
    await chain.processBlock(block, { now: now() });
    coinbases.push(block.transactions[0]!);
    tip = block.header;
  }
  const fanFee = 10_000n;
  const fanOuts = coinbases.slice(0, rounds).map((cb) => {
    const each = (cb.outputs[0]!.value - fanFee) / BigInt(perBlock);
    return signed(
      [{ prevTxid: cb.txid(), prevIndex: 0 }],
      Array.from({ length: perBlock }, () => ({ value: each })),
    );
  });
  const fanBlock = mine(tip, ++height, fanOuts, fanFee * BigInt(rounds));
  await chain.processBlock(fanBlock, { now: now() });
  tip = fanBlock.header;

  const blocks: Block[] = [];
  const jobs: ScriptJob[][] = [];
  const spendFee = 1_000n;
  for (const fan of fanOuts) {
    const txs = fan.outputs.map((o, i) =>
      signed([{ prevTxid: fan.txid(), prevIndex: i }], [{ value: o.value - spendFee }]),
    );
    const block = mine(tip, ++height, txs, spendFee * BigInt(perBlock));
    blocks.push(block);
    jobs.push(
      txs.map((tx) => ({ tx, inputIndex: 0, scriptPubKey: payout, flags: CONSENSUS_SCRIPT_FLAGS })),
    );
    tip = block.header;
  }
  return { blocks, jobs };
}
