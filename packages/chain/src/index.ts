/**
 * @packageDocumentation
 * `@starling/chain`: Starling's consensus, pure (no file, socket or clock access; time is passed in).
 * Bitcoin's pre-segwit formats and rules byte for byte, with ASERT difficulty every block.
 */

export { checkTransaction } from "./consensus/check-transaction.ts";
export * from "./consensus/constants.ts";
export { hash160, sha256, sha256d } from "./crypto/hash.ts";
export type { SignatureVerifier } from "./crypto/signature-verifier.ts";
export { compareBytes, concatBytes, equalBytes } from "./encoding/bytes.ts";
export { compactSizeLength, MAX_COMPACT_SIZE } from "./encoding/compact-size.ts";
export { fromHex, hashToHex, hexToHash, toHex } from "./encoding/hex.ts";
export { ByteReader } from "./encoding/reader.ts";
export { ByteWriter } from "./encoding/writer.ts";
export {
  BlockValidationError,
  DecodeError,
  DecodeReason,
  TxValidationError,
  type ValidationAction,
  ValidationError,
} from "./errors.ts";
export { Block } from "./primitives/block.ts";
export { BlockHeader, type BlockHeaderInit, HEADER_SIZE } from "./primitives/block-header.ts";
export { computeMerkleRoot, merkleMutated, merkleRoot } from "./primitives/merkle.ts";
export {
  MAX_DECODE_SIZE,
  NULL_HASH_HEX,
  NULL_INDEX,
  SEQUENCE_FINAL,
  Transaction,
  type TransactionInit,
  type TxInput,
  type TxOutput,
} from "./primitives/transaction.ts";
export { OP_NAMES, Op, type OpName } from "./script/opcodes.ts";
export { isPushOnly, parseScript, readOp, type ScriptOp } from "./script/parse.ts";
export { legacySighash, SighashType } from "./script/sighash.ts";
