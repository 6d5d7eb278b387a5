import { heightPushScript } from "../consensus/bip34.ts";
import { sha256d } from "../crypto/hash.ts";
import { concatBytes } from "../encoding/bytes.ts";
import { deriveTarget, hashMeetsTarget } from "../pow/check-pow.ts";
import { bitsToTarget } from "../pow/compact.ts";
import { Block } from "../primitives/block.ts";
import { BlockHeader } from "../primitives/block-header.ts";
import {
  NULL_HASH_HEX,
  NULL_INDEX,
  SEQUENCE_FINAL,
  Transaction,
} from "../primitives/transaction.ts";
import { Op } from "../script/opcodes.ts";

/**
 * Every network's first block, built the same way from a few constants. Its coinbase:
 * - scriptSig = BIP34 height push (OP_0, height 0) then the network's message, so the genesis block
 *   itself passes every rule that later blocks must;
 * - one output of `reward` to a bare OP_RETURN: provably unspendable, so the genesis coins can never
 *   move even if a UTXO set were to hold them (nodes do not add them, as Bitcoin Core does not).
 * The time and nonce were found once by scripts/gen-genesis.ts; the resulting hash is fixed in each
 * network's file and re-derived by test/params/genesis.test.ts.
 */

/** What the genesis block is built from, before its nonce is known. */
export interface GenesisTemplate {
  /** ASCII text in the coinbase scriptSig, at most 75 bytes (a single direct push). */
  readonly message: string;
  readonly time: number;
  readonly bits: number;
  /** Coinbase output value in base units (the network's initial subsidy). */
  readonly reward: bigint;
}

/** A mined genesis: the template plus the nonce that meets `bits`, and the resulting hash. */
export interface GenesisSpec extends GenesisTemplate {
  readonly nonce: number;
  /** Display hex of the genesis block hash, as computed by gen-genesis. */
  readonly hash: string;
}

/** Header version of genesis: 4, the version every later block must have at least. */
export const GENESIS_VERSION = 4;
/** The largest message that fits one direct push. */
const MAX_MESSAGE_BYTES = 75;

/** The genesis coinbase transaction of a template. */
export function genesisCoinbase(template: GenesisTemplate): Transaction {
  const message = new TextEncoder().encode(template.message);
  if (message.length === 0 || message.length > MAX_MESSAGE_BYTES) {
    throw new RangeError(`genesis message must be 1..${MAX_MESSAGE_BYTES} bytes`);
  }
  const scriptSig = concatBytes(heightPushScript(0), Uint8Array.of(message.length), message);
  return new Transaction({
    version: 1,
    inputs: [
      { prevTxid: NULL_HASH_HEX, prevIndex: NULL_INDEX, scriptSig, sequence: SEQUENCE_FINAL },
    ],
    outputs: [{ value: template.reward, scriptPubKey: Uint8Array.of(Op.OP_RETURN) }],
    locktime: 0,
  });
}

/** The genesis block of a template with a given nonce (whether or not it meets the bits). */
export function buildGenesisBlock(template: GenesisTemplate, nonce: number): Block {
  const coinbase = genesisCoinbase(template);
  const header = new BlockHeader({
    version: GENESIS_VERSION,
    prevBlock: NULL_HASH_HEX,
    merkleRoot: coinbase.txid(),
    time: template.time,
    bits: template.bits,
    nonce,
  });
  return new Block(header, [coinbase]);
}

/** Offset of the nonce in the 80-byte header. */
const NONCE_OFFSET = 76;

/**
 * Searches nonces from `startNonce` upward for the first genesis block that meets its own bits
 * (which are the network's powLimit). Pure and deterministic: the same template always yields the
 * same spec. Throws when no nonce up to 2^32 − 1 works (change the time or message then).
 */
export function mineGenesis(template: GenesisTemplate, startNonce = 0): GenesisSpec {
  const target = deriveTarget(template.bits, bitsToTarget(template.bits));
  if (target === undefined) throw new RangeError("genesis bits do not encode a valid target");
  const header = buildGenesisBlock(template, 0).header.toBytes().slice();
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  for (let nonce = startNonce; nonce <= 0xffffffff; nonce++) {
    view.setUint32(NONCE_OFFSET, nonce, true);
    if (hashMeetsTarget(sha256d(header), target)) {
      return { ...template, nonce, hash: buildGenesisBlock(template, nonce).hash() };
    }
  }
  throw new RangeError("no nonce meets the genesis bits; change the template's time");
}
