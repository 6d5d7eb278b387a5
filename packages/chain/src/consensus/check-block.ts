import { equalBytes } from "../encoding/bytes.ts";
import { hexToHash } from "../encoding/hex.ts";
import { BlockValidationError, TxValidationError } from "../errors.ts";
import { checkProofOfWorkBytes } from "../pow/check-pow.ts";
import { bitsToTarget } from "../pow/compact.ts";
import type { Block } from "../primitives/block.ts";
import type { BlockHeader } from "../primitives/block-header.ts";
import { computeMerkleRoot } from "../primitives/merkle.ts";
import { checkTransaction } from "./check-transaction.ts";
import { MAX_BLOCK_SIGOPS, MAX_BLOCK_SIZE } from "./constants.ts";
import { legacySigOpCount } from "./sigops.ts";

/**
 * Bitcoin Core's CheckBlockHeader and CheckBlock: the checks that need nothing but the block.
 *
 * Failures that a peer could cause by altering a valid block without changing its hash (a merkle
 * mismatch, the CVE-2012-2459 duplicate tail, added witness data) are "mutated": the error has
 * `corruptionPossible` set and score 0, and the hash must not be remembered as invalid, because the
 * genuine block with that hash may still arrive. Every other failure is a consensus violation
 * (score 100) that marks the block invalid for good.
 */

export interface CheckBlockOptions {
  /** Check the header's proof of work (default true; false when the header was checked already). */
  readonly checkPow?: boolean;
  /** Check the merkle root (default true; false for a block template the miner just built). */
  readonly checkMerkleRoot?: boolean;
}

function mutated(code: string, detail: string): never {
  throw new BlockValidationError(code, { score: 0, corruptionPossible: true, detail });
}

function invalid(code: string, detail?: string): never {
  throw new BlockValidationError(code, detail === undefined ? {} : { detail });
}

/** CheckBlockHeader: the hash meets the header's bits, and the bits are within powLimit. */
export function checkBlockHeader(
  header: BlockHeader,
  params: { readonly powLimitBits: number },
): void {
  if (!checkProofOfWorkBytes(header.hashBytes(), header.bits, bitsToTarget(params.powLimitBits))) {
    invalid("high-hash", "proof of work failed");
  }
}

/** CheckBlock. Throws BlockValidationError with Core's reject reason. */
export function checkBlock(
  block: Block,
  params: { readonly powLimitBits: number },
  options: CheckBlockOptions = {},
): void {
  if (options.checkPow ?? true) checkBlockHeader(block.header, params);

  if (options.checkMerkleRoot ?? true) {
    const { root, mutated: duplicated } = computeMerkleRoot(
      block.transactions.map((tx) => tx.txidBytes()),
    );
    if (!equalBytes(root, hexToHash(block.header.merkleRoot))) {
      mutated("bad-txnmrklroot", "hashMerkleRoot mismatch");
    }
    if (duplicated) mutated("bad-txns-duplicate", "duplicate transaction");
  }

  // Witness data is not committed to by the block hash, so a block carrying it is treated as a
  // mutated copy (Core's ContextualCheckBlock does the same for blocks without a witness commitment).
  for (const tx of block.transactions) {
    if (tx.hasWitness()) mutated("unexpected-witness", `witness data in ${tx.txid()}`);
  }

  const count = block.transactions.length;
  if (count === 0 || count > MAX_BLOCK_SIZE || block.strippedSize() > MAX_BLOCK_SIZE) {
    invalid("bad-blk-length", "size limits failed");
  }

  if (!block.transactions[0]!.isCoinbase()) invalid("bad-cb-missing", "first tx is not coinbase");
  for (let i = 1; i < count; i++) {
    if (block.transactions[i]!.isCoinbase()) invalid("bad-cb-multiple", "more than one coinbase");
  }

  for (const tx of block.transactions) {
    try {
      checkTransaction(tx);
    } catch (error) {
      if (!(error instanceof TxValidationError)) throw error;
      invalid(error.code, `transaction check failed (tx hash ${tx.txid()}) ${error.message}`);
    }
  }

  let sigops = 0;
  for (const tx of block.transactions) sigops += legacySigOpCount(tx);
  if (sigops > MAX_BLOCK_SIGOPS) invalid("bad-blk-sigops", `out-of-bounds sigop count ${sigops}`);
}
