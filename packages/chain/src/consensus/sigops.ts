import type { Transaction } from "../primitives/transaction.ts";
import { isPayToScriptHash } from "../script/interpreter.ts";
import { MAX_PUBKEYS_PER_MULTISIG } from "../script/interpreter-ops-signature.ts";
import { Op } from "../script/opcodes.ts";
import { readOp } from "../script/parse.ts";
import type { UtxoView } from "./utxo-view.ts";

/**
 * Signature-operation counting, as Bitcoin Core's CScript::GetSigOpCount, GetLegacySigOpCount and
 * GetP2SHSigOpCount. The block limit (MAX_BLOCK_SIGOPS) counts legacy sigops in CheckBlock and
 * legacy + P2SH sigops when the block is connected.
 */

/**
 * Sigops in a script. CHECKSIG(VERIFY) counts 1; CHECKMULTISIG(VERIFY) counts 20, or with
 * `accurate` the key count when an OP_1..OP_16 precedes it. Counting stops at a malformed push.
 */
export function scriptSigOpCount(script: Uint8Array, accurate: boolean): number {
  let count = 0;
  let lastOpcode: number = Op.OP_INVALIDOPCODE;
  let pc = 0;
  while (pc < script.length) {
    const op = readOp(script, pc);
    if (op === undefined) break;
    const opcode = op.opcode;
    if (opcode === Op.OP_CHECKSIG || opcode === Op.OP_CHECKSIGVERIFY) {
      count += 1;
    } else if (opcode === Op.OP_CHECKMULTISIG || opcode === Op.OP_CHECKMULTISIGVERIFY) {
      count +=
        accurate && lastOpcode >= Op.OP_1 && lastOpcode <= Op.OP_16
          ? lastOpcode - Op.OP_1 + 1
          : MAX_PUBKEYS_PER_MULTISIG;
    }
    lastOpcode = opcode;
    pc = op.end;
  }
  return count;
}

/**
 * Sigops of a P2SH redeem script: the last push of a push-only scriptSig, counted accurately; 0 when
 * the scriptSig is not push-only or is malformed (Core's CScript::GetSigOpCount(scriptSig)).
 */
export function p2shRedeemSigOpCount(scriptSig: Uint8Array): number {
  let lastData: Uint8Array = new Uint8Array(0);
  let pc = 0;
  while (pc < scriptSig.length) {
    const op = readOp(scriptSig, pc);
    if (op === undefined) return 0;
    if (op.opcode > Op.OP_16) return 0;
    lastData = op.data ?? new Uint8Array(0);
    pc = op.end;
  }
  return scriptSigOpCount(lastData, true);
}

/** Core's GetLegacySigOpCount: inexact counts over every scriptSig and scriptPubKey. */
export function legacySigOpCount(tx: Transaction): number {
  let count = 0;
  for (const input of tx.inputs) count += scriptSigOpCount(input.scriptSig, false);
  for (const output of tx.outputs) count += scriptSigOpCount(output.scriptPubKey, false);
  return count;
}

/**
 * Core's GetP2SHSigOpCount: redeem-script sigops of the inputs that spend P2SH outputs. Every input
 * must be in `view` (checked by the caller first); a coinbase has none.
 */
export function p2shSigOpCount(tx: Transaction, view: UtxoView): number {
  if (tx.isCoinbase()) return 0;
  let count = 0;
  for (const input of tx.inputs) {
    const coin = view.getCoin(input.prevTxid, input.prevIndex);
    if (coin === undefined)
      throw new Error(`p2shSigOpCount: input ${input.prevTxid}:${input.prevIndex} not in view`);
    if (isPayToScriptHash(coin.scriptPubKey)) count += p2shRedeemSigOpCount(input.scriptSig);
  }
  return count;
}
