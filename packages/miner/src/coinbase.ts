import {
  concatBytes,
  heightPushScript,
  MAX_COINBASE_SCRIPT_SIZE,
  NULL_HASH_HEX,
  NULL_INDEX,
  pushData,
  SEQUENCE_FINAL,
  Transaction,
} from "@starling/chain";

/**
 * The coinbase a template's block starts with. Its scriptSig is
 *   <BIP34 height push> <8-byte extra-nonce push> [<tag push>]
 * so the height comes first (BIP34 compares a prefix), the extra-nonce has a fixed place and size
 * (a new extra-nonce changes the txid and so the merkle root, never the coinbase's size), and an
 * optional tag names the miner.
 */

/** Bytes of the extra-nonce field: 2^64 merkle roots per template before time must move. */
export const EXTRA_NONCE_SIZE = 8;

/** Largest extra-nonce value. */
export const MAX_EXTRA_NONCE = (1n << 64n) - 1n;

export interface CoinbaseInit {
  readonly height: number;
  readonly extraNonce: bigint;
  /** Bytes pushed after the extra-nonce; empty for none. */
  readonly tag: Uint8Array;
  readonly payoutScript: Uint8Array;
  /** Subsidy plus fees, base units. */
  readonly value: bigint;
}

function extraNoncePush(extraNonce: bigint): Uint8Array {
  if (extraNonce < 0n || extraNonce > MAX_EXTRA_NONCE) {
    throw new RangeError(`extra-nonce must fit in ${EXTRA_NONCE_SIZE} bytes, got ${extraNonce}`);
  }
  const out = new Uint8Array(1 + EXTRA_NONCE_SIZE);
  out[0] = EXTRA_NONCE_SIZE; // a direct push of 8 bytes
  new DataView(out.buffer).setBigUint64(1, extraNonce, true);
  return out;
}

/** The coinbase scriptSig; throws RangeError when the tag makes it longer than 100 bytes. */
export function coinbaseScriptSig(height: number, extraNonce: bigint, tag: Uint8Array): Uint8Array {
  const script = concatBytes(
    heightPushScript(height),
    extraNoncePush(extraNonce),
    tag.length > 0 ? pushData(tag) : new Uint8Array(0),
  );
  if (script.length > MAX_COINBASE_SCRIPT_SIZE) {
    throw new RangeError(
      `coinbase scriptSig of ${script.length} bytes exceeds ${MAX_COINBASE_SCRIPT_SIZE}: shorten the tag`,
    );
  }
  return script;
}

export function buildCoinbase(init: CoinbaseInit): Transaction {
  return new Transaction({
    version: 1,
    inputs: [
      {
        prevTxid: NULL_HASH_HEX,
        prevIndex: NULL_INDEX,
        scriptSig: coinbaseScriptSig(init.height, init.extraNonce, init.tag),
        sequence: SEQUENCE_FINAL,
      },
    ],
    outputs: [{ value: init.value, scriptPubKey: init.payoutScript }],
    locktime: 0,
  });
}
