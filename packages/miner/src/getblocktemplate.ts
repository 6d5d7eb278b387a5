import {
  Block,
  DecodeError,
  fromHex,
  MAX_DECODE_SIZE,
  toHex,
  ValidationError,
} from "@starling/chain";
import { BlockDecodeFailedError } from "./errors.ts";
import type { BlockTemplate } from "./template.ts";

/**
 * BIP22/BIP23 `getblocktemplate` and `submitblock` semantics, in Bitcoin Core's JSON shapes, so
 * that software written to mine Bitcoin can mine Starling once the node serves them over JSON-RPC.
 * Starling has no segwit and no version-bits deployments: `rules` is empty and there is no witness
 * commitment. The miner builds its own coinbase paying `coinbasevalue` (BIP34 height first).
 */

/** One transaction entry of a getblocktemplate answer. */
export interface GetBlockTemplateTransaction {
  /** Serialized transaction, hex. */
  readonly data: string;
  readonly txid: string;
  /** Same as txid: there is no witness serialization. */
  readonly hash: string;
  /** 1-based indexes of earlier entries this one spends from. */
  readonly depends: readonly number[];
  /** Base units. */
  readonly fee: number;
  readonly sigops: number;
}

/** Bitcoin Core's getblocktemplate result, less the segwit and version-bits fields. */
export interface GetBlockTemplateResult {
  readonly version: number;
  readonly rules: readonly string[];
  readonly vbavailable: Readonly<Record<string, number>>;
  readonly vbrequired: number;
  readonly previousblockhash: string;
  readonly transactions: readonly GetBlockTemplateTransaction[];
  readonly coinbaseaux: Readonly<Record<string, string>>;
  /** Subsidy plus fees, base units. */
  readonly coinbasevalue: number;
  readonly longpollid: string;
  /** 64 hex digits, big-endian. */
  readonly target: string;
  readonly mintime: number;
  readonly mutable: readonly string[];
  readonly noncerange: string;
  readonly sigoplimit: number;
  readonly sizelimit: number;
  readonly curtime: number;
  /** Compact target, 8 hex digits. */
  readonly bits: string;
  readonly height: number;
}

const hex32 = (n: number): string => (n >>> 0).toString(16).padStart(8, "0");

/** The template as getblocktemplate returns it. `curtime` is the template's time unless given. */
export function toGetBlockTemplate(
  template: BlockTemplate,
  options: { readonly curtime?: number } = {},
): GetBlockTemplateResult {
  return {
    version: template.version,
    rules: [],
    vbavailable: {},
    vbrequired: 0,
    previousblockhash: template.prevBlock,
    transactions: template.transactions.map((t) => ({
      data: toHex(t.tx.toBytes()),
      txid: t.txid,
      hash: t.txid,
      depends: t.depends.map((i) => i + 1),
      fee: Number(t.fee),
      sigops: t.sigops,
    })),
    coinbaseaux: {},
    coinbasevalue: Number(template.coinbaseValue),
    longpollid: template.longPollId,
    target: template.target.toString(16).padStart(64, "0"),
    mintime: template.minTime,
    mutable: ["time", "transactions", "prevblock"],
    noncerange: "00000000ffffffff",
    sigoplimit: template.sigopLimit,
    sizelimit: template.sizeLimit,
    curtime: Math.max(template.minTime, options.curtime ?? template.time),
    bits: hex32(template.bits),
    height: template.height,
  };
}

/** What the node made of a submitted block. */
export type SubmitOutcome =
  /** Accepted and valid: it extends (or became) the best chain. */
  | { readonly kind: "accepted" }
  /** Stored, but not (yet) known valid: on a side branch, or its parent is missing. */
  | { readonly kind: "inconclusive" }
  /** Already known: as valid, as invalid, or stored without a verdict. */
  | { readonly kind: "duplicate"; readonly status: "valid" | "invalid" | "inconclusive" }
  /** Refused; a ValidationError's code is Core's reject reason. */
  | { readonly kind: "rejected"; readonly error: unknown };

/**
 * BIP22's submitblock answer: null when accepted; "duplicate", "duplicate-invalid",
 * "duplicate-inconclusive", "inconclusive"; for a refusal the reject reason ("high-hash",
 * "bad-txnmrklroot", "bad-cb-amount", ...), or "rejected" when there is none.
 */
export function submitBlockResult(outcome: SubmitOutcome): string | null {
  switch (outcome.kind) {
    case "accepted":
      return null;
    case "inconclusive":
      return "inconclusive";
    case "duplicate":
      return outcome.status === "valid" ? "duplicate" : `duplicate-${outcome.status}`;
    case "rejected": {
      const { error } = outcome;
      if (error instanceof ValidationError && error.code !== "") return error.code;
      return "rejected";
    }
  }
}

/** Decodes submitblock's hex; BlockDecodeFailedError (Core's -22) when it is not one block. */
export function decodeSubmittedBlock(hexData: string): Block {
  if (typeof hexData !== "string" || hexData.length > 2 * MAX_DECODE_SIZE) {
    throw new BlockDecodeFailedError("Block decode failed");
  }
  let block: Block;
  try {
    block = Block.fromBytes(fromHex(hexData));
  } catch (error) {
    if (error instanceof DecodeError) throw new BlockDecodeFailedError("Block decode failed");
    throw error;
  }
  if (!block.transactions[0]?.isCoinbase()) {
    throw new BlockDecodeFailedError("Block does not start with a coinbase");
  }
  return block;
}

/**
 * submitblock: decode, hand to the node's `process` (which validates and connects), and answer as
 * BIP22 says. A throw from `process` counts as a refusal (its ValidationError code, if any).
 */
export async function submitBlock(
  hexData: string,
  process: (block: Block) => Promise<SubmitOutcome> | SubmitOutcome,
): Promise<string | null> {
  const block = decodeSubmittedBlock(hexData);
  let outcome: SubmitOutcome;
  try {
    outcome = await process(block);
  } catch (error) {
    outcome = { kind: "rejected", error };
  }
  return submitBlockResult(outcome);
}
