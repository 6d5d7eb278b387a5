import {
  type Block,
  type BlockInfo,
  type ChainState,
  type NetworkParams,
  scriptToAddress,
  scriptToAsm,
  type Transaction,
  toHex,
} from "@starling/chain";
import { solveOutput } from "@starling/mempool";
import { RpcError, RpcErrorCode } from "../rpc/errors.ts";
import { amountToCoins } from "../wallet/amount.ts";

/** Core's GetDifficulty: how many times harder than the easiest Bitcoin target (bits 0x1d00ffff). */
export function difficultyOf(bits: number): number {
  let shift = (bits >>> 24) & 0xff;
  let diff = 0x0000ffff / (bits & 0x00ffffff);
  while (shift < 29) {
    diff *= 256;
    shift++;
  }
  while (shift > 29) {
    diff /= 256;
    shift--;
  }
  return diff;
}

export function bitsHex(bits: number): string {
  return (bits >>> 0).toString(16).padStart(8, "0");
}

export function chainworkHex(work: bigint): string {
  return work.toString(16).padStart(64, "0");
}

export function scriptPubKeyJson(
  script: Uint8Array,
  params: NetworkParams,
): Record<string, unknown> {
  const address = scriptToAddress(script, params.prefixes);
  return {
    asm: scriptToAsm(script),
    hex: toHex(script),
    ...(address === undefined ? {} : { address }),
    type: solveOutput(script).type,
  };
}

/** Core's TxToUniv. */
export function txJson(tx: Transaction, params: NetworkParams): Record<string, unknown> {
  const size = tx.size();
  const txid = tx.txid();
  return {
    txid,
    hash: txid,
    version: tx.version,
    size,
    vsize: size,
    weight: size * 4,
    locktime: tx.locktime,
    vin: tx.inputs.map((input) =>
      tx.isCoinbase()
        ? { coinbase: toHex(input.scriptSig), sequence: input.sequence }
        : {
            txid: input.prevTxid,
            vout: input.prevIndex,
            scriptSig: { asm: scriptToAsm(input.scriptSig), hex: toHex(input.scriptSig) },
            sequence: input.sequence,
          },
    ),
    vout: tx.outputs.map((output, n) => ({
      value: amountToCoins(output.value),
      n,
      scriptPubKey: scriptPubKeyJson(output.scriptPubKey, params),
    })),
    hex: toHex(tx.toBytes()),
  };
}

/** Core's blockheaderToJSON. */
export function headerJson(chain: ChainState, info: BlockInfo): Record<string, unknown> {
  const h = info.header;
  const next = info.onMainChain ? chain.getHashAtHeight(info.height + 1) : undefined;
  return {
    hash: info.hash,
    confirmations: info.onMainChain ? chain.tip.height - info.height + 1 : -1,
    height: info.height,
    version: h.version,
    versionHex: (h.version >>> 0).toString(16).padStart(8, "0"),
    merkleroot: h.merkleRoot,
    time: h.time,
    mediantime: info.medianTimePast,
    nonce: h.nonce,
    bits: bitsHex(h.bits),
    difficulty: difficultyOf(h.bits),
    chainwork: chainworkHex(info.chainWork),
    nTx: info.txCount,
    ...(info.height > 0 ? { previousblockhash: h.prevBlock } : {}),
    ...(next === undefined ? {} : { nextblockhash: next }),
  };
}

/** Core's blockToJSON at verbosity 1 (txids) or 2 (decoded transactions). */
export function blockJson(
  chain: ChainState,
  info: BlockInfo,
  block: Block,
  verbosity: 1 | 2,
): Record<string, unknown> {
  const size = block.strippedSize();
  const header = headerJson(chain, info);
  return {
    ...header,
    size,
    strippedsize: size,
    weight: size * 4,
    tx: block.transactions.map((tx) => (verbosity === 1 ? tx.txid() : txJson(tx, chain.params))),
    nTx: block.transactions.length,
  };
}

export function blockInfoOrThrow(chain: ChainState, hash: string): BlockInfo {
  const info = chain.getBlockInfo(hash);
  if (info === undefined)
    throw new RpcError(RpcErrorCode.INVALID_ADDRESS_OR_KEY, "Block not found");
  return info;
}

export async function blockOrThrow(chain: ChainState, hash: string): Promise<Block> {
  const block = await chain.getBlock(hash);
  if (block === undefined) {
    throw new RpcError(RpcErrorCode.MISC_ERROR, "Block not available (not fully downloaded)");
  }
  return block;
}
