import {
  Block,
  BlockHeader,
  bitsToTarget,
  compactSizeLength,
  getBlockSubsidy,
  HEADER_SIZE,
  hashToHex,
  isFinalTx,
  legacySigOpCount,
  MAX_BLOCK_SIGOPS,
  MAX_BLOCK_SIZE,
  MIN_BLOCK_VERSION,
  type NetworkParams,
  nextWorkRequired,
  type Transaction,
} from "@starling/chain";
import { buildCoinbase } from "./coinbase.ts";
import { coinbaseMerkleBranch, merkleRootFromBranch } from "./merkle-branch.ts";
import { selectTransactions } from "./select-transactions.ts";
import type { BlockCandidate, ChainTip, ChainTipSource, TxSource } from "./sources.ts";

/**
 * A block template: everything needed to mine the next block except the coinbase's extra-nonce,
 * the header time within its bounds, and the nonce. Built by `buildBlockTemplate`, a pure function
 * of the tip, the candidates and the clock reading it is given.
 */

/** The network values a template needs. */
export type TemplateNetwork = Pick<
  NetworkParams,
  "initialSubsidy" | "halvingInterval" | "powLimitBits" | "targetSpacing" | "asert"
>;

export interface TemplateOptions {
  /** Block size limit in bytes (default MAX_BLOCK_SIZE, 2,000,000); tests use tiny ones. */
  readonly maxBlockSize?: number;
  /** Block sigop limit (default MAX_BLOCK_SIGOPS, 40,000). */
  readonly maxBlockSigops?: number;
  /** Header version (default 4, the lowest Starling accepts). */
  readonly version?: number;
  /** Bytes pushed after the extra-nonce in the coinbase scriptSig (default "/starling/"). */
  readonly coinbaseTag?: Uint8Array;
}

/** The default coinbase tag. */
export const DEFAULT_COINBASE_TAG: Uint8Array = new TextEncoder().encode("/starling/");

/** A transaction of the template, in block order (the coinbase excluded). */
export interface TemplateTransaction {
  readonly tx: Transaction;
  readonly txid: string;
  readonly fee: bigint;
  readonly size: number;
  readonly sigops: number;
  /** Indexes (0-based, into `transactions`) of its parents in this template. */
  readonly depends: readonly number[];
}

export interface BlockTemplate {
  readonly height: number;
  /** Display hex of the parent (the tip the template builds on). */
  readonly prevBlock: string;
  readonly version: number;
  readonly bits: number;
  readonly target: bigint;
  /** The network's easiest target, as compact bits (for the proof-of-work check). */
  readonly powLimitBits: number;
  /** Header time when built: max(minTime, now). */
  readonly time: number;
  /** The earliest valid header time: the parent's median-time-past + 1. */
  readonly minTime: number;
  readonly transactions: readonly TemplateTransaction[];
  readonly subsidy: bigint;
  /** Sum of the selected transactions' fees. */
  readonly fees: bigint;
  /** What the coinbase pays: subsidy + fees. */
  readonly coinbaseValue: bigint;
  readonly payoutScript: Uint8Array;
  readonly coinbaseTag: Uint8Array;
  /** Limits the selection respected (the whole block, coinbase included). */
  readonly sizeLimit: number;
  readonly sigopLimit: number;
  /** Size and sigops of the whole block, coinbase included. */
  readonly size: number;
  readonly sigops: number;
  /** The coinbase's merkle branch: the root for any extra-nonce in one SHA-256d per level. */
  readonly merkleBranch: readonly Uint8Array[];
  /** Changes with the tip or the mempool (BIP22 long polling). */
  readonly longPollId: string;
}

export interface BuildTemplateInput {
  readonly tip: ChainTip;
  /** Bits of the block after the tip. */
  readonly bits: number;
  /** The node's adjusted time, Unix seconds. */
  readonly now: number;
  readonly candidates: readonly BlockCandidate[];
  readonly payoutScript: Uint8Array;
  readonly network: TemplateNetwork;
  readonly options?: TemplateOptions;
  /** The mempool's update counter, for the long-poll id. */
  readonly mempoolRevision?: number;
}

/** The template's coinbase with extra-nonce 0: its size and sigops are those of every extra-nonce. */
function coinbaseFor(
  height: number,
  tag: Uint8Array,
  payoutScript: Uint8Array,
  value: bigint,
): Transaction {
  return buildCoinbase({ height, extraNonce: 0n, tag, payoutScript, value });
}

export function buildBlockTemplate(input: BuildTemplateInput): BlockTemplate {
  const { tip, network, payoutScript } = input;
  const options = input.options ?? {};
  const sizeLimit = options.maxBlockSize ?? MAX_BLOCK_SIZE;
  const sigopLimit = options.maxBlockSigops ?? MAX_BLOCK_SIGOPS;
  const tag = options.coinbaseTag ?? DEFAULT_COINBASE_TAG;
  const height = tip.height + 1;
  const subsidy = getBlockSubsidy(height, network);

  // The coinbase's size and sigops do not depend on its value or extra-nonce: reserve them exactly.
  const probe = coinbaseFor(height, tag, payoutScript, subsidy);
  const coinbaseSigops = legacySigOpCount(probe);
  // Header, the transaction count (at most 5 bytes), the coinbase.
  const reservedSize = HEADER_SIZE + 5 + probe.size();
  if (reservedSize > sizeLimit || coinbaseSigops > sigopLimit) {
    throw new RangeError("the block limits leave no room for the coinbase");
  }
  const minTime = tip.medianTimePast + 1;
  const selection = selectTransactions(input.candidates, {
    maxSize: sizeLimit - reservedSize,
    maxSigops: sigopLimit - coinbaseSigops,
    // BIP113: locktimes compare with the parent's median-time-past.
    isFinal: (tx) => isFinalTx(tx, height, tip.medianTimePast),
  });

  const position = new Map<string, number>();
  const transactions: TemplateTransaction[] = selection.transactions.map((c, index) => {
    position.set(c.txid, index);
    return {
      tx: c.tx,
      txid: c.txid,
      fee: c.fee,
      size: c.size,
      sigops: c.sigops,
      depends: c.parents
        .map((p) => position.get(p))
        .filter((i): i is number => i !== undefined)
        .sort((a, b) => a - b),
    };
  });
  const count = transactions.length + 1;
  const size = HEADER_SIZE + compactSizeLength(count) + probe.size() + selection.size;

  return {
    height,
    prevBlock: tip.hash,
    version: options.version ?? MIN_BLOCK_VERSION,
    bits: input.bits,
    target: bitsToTarget(input.bits),
    powLimitBits: network.powLimitBits,
    time: Math.max(minTime, input.now),
    minTime,
    transactions,
    subsidy,
    fees: selection.fees,
    coinbaseValue: subsidy + selection.fees,
    payoutScript,
    coinbaseTag: tag,
    sizeLimit,
    sigopLimit,
    size,
    sigops: coinbaseSigops + selection.sigops,
    merkleBranch: coinbaseMerkleBranch(transactions.map((t) => t.tx.txidBytes())),
    longPollId: `${tip.hash}${input.mempoolRevision ?? 0}`,
  };
}

/** The bits of the block after `tip`: the source's own answer, else chain's nextWorkRequired. */
export function nextBitsFor(
  chain: ChainTipSource,
  tip: ChainTip,
  network: TemplateNetwork,
): number {
  return chain.nextBits?.(tip) ?? nextWorkRequired(network, tip);
}

/** A template from the node's live sources (reads the tip, the clock and the mempool once). */
export function createBlockTemplate(sources: {
  readonly chain: ChainTipSource;
  readonly txSource: TxSource;
  readonly network: TemplateNetwork;
  readonly payoutScript: Uint8Array;
  readonly options?: TemplateOptions;
}): BlockTemplate {
  const { chain, txSource, network } = sources;
  const tip = chain.getTip();
  return buildBlockTemplate({
    tip,
    bits: nextBitsFor(chain, tip, network),
    now: chain.now(),
    candidates: txSource.getBlockCandidates(),
    payoutScript: sources.payoutScript,
    network,
    ...(sources.options === undefined ? {} : { options: sources.options }),
    ...(txSource.transactionsUpdated === undefined
      ? {}
      : { mempoolRevision: txSource.transactionsUpdated() }),
  });
}

/** The template's coinbase with a given extra-nonce. */
export function templateCoinbase(template: BlockTemplate, extraNonce: bigint): Transaction {
  return buildCoinbase({
    height: template.height,
    extraNonce,
    tag: template.coinbaseTag,
    payoutScript: template.payoutScript,
    value: template.coinbaseValue,
  });
}

/** The header for an extra-nonce and time, nonce 0, with the merkle root over that coinbase. */
export function templateHeader(
  template: BlockTemplate,
  coinbase: Transaction,
  time: number,
  nonce = 0,
): BlockHeader {
  const root = merkleRootFromBranch(coinbase.txidBytes(), template.merkleBranch);
  return new BlockHeader({
    version: template.version,
    prevBlock: template.prevBlock,
    merkleRoot: hashToHex(root),
    time,
    bits: template.bits,
    nonce,
  });
}

/** The full block for a solution (extra-nonce, time, nonce). */
export function assembleBlock(
  template: BlockTemplate,
  solution: { readonly extraNonce: bigint; readonly time: number; readonly nonce: number },
): Block {
  const coinbase = templateCoinbase(template, solution.extraNonce);
  const header = templateHeader(template, coinbase, solution.time, solution.nonce);
  return new Block(header, [coinbase, ...template.transactions.map((t) => t.tx)]);
}
