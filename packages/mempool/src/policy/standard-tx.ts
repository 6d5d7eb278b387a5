import {
  type Coin,
  compactSizeLength,
  isPushOnlyScript,
  isUnspendable,
  p2shRedeemSigOpCount,
  type Transaction,
  type TxOutput,
} from "@starling/chain";
import {
  MAX_P2SH_SIGOPS,
  MAX_STANDARD_MULTISIG_KEYS,
  MAX_STANDARD_SCRIPTSIG_SIZE,
  MAX_STANDARD_TX_SIZE,
  MAX_STANDARD_TX_VERSION,
  MIN_STANDARD_TX_SIZE,
} from "../constants.ts";
import { MempoolReason, refuse } from "../errors.ts";
import { feeAtRate } from "../fee-rate.ts";
import { solveOutput } from "./solver.ts";

/** Bitcoin Core's IsStandardTx, IsDust and AreInputsStandard for pre-segwit transactions. */

export interface StandardTxPolicy {
  /** Base units per 1000 bytes that define dust. */
  readonly dustRelayFeeRate: bigint;
  /** Largest OP_RETURN output script relayed; null relays none. */
  readonly maxDatacarrierBytes: number | null;
  readonly permitBareMultisig: boolean;
}

/**
 * Core's GetDustThreshold: what spending the output would cost at the dust rate — its own
 * serialized size plus the 148 bytes of a typical P2PKH input. 0 for an unspendable output.
 */
export function dustThreshold(output: TxOutput, dustRelayFeeRate: bigint): bigint {
  if (isUnspendable(output.scriptPubKey)) return 0n;
  const length = output.scriptPubKey.length;
  const outputSize = 8 + compactSizeLength(length) + length;
  return feeAtRate(dustRelayFeeRate, outputSize + 32 + 4 + 1 + 107 + 4);
}

export function isDust(output: TxOutput, dustRelayFeeRate: bigint): boolean {
  return output.value < dustThreshold(output, dustRelayFeeRate);
}

/**
 * IsStandardTx, then Core's tx-size-small check; throws MempoolError with Core's reason for the
 * first rule broken, in Core's order.
 */
export function checkStandardTx(tx: Transaction, policy: StandardTxPolicy): void {
  if (tx.version > MAX_STANDARD_TX_VERSION || tx.version < 1) {
    refuse(MempoolReason.VERSION);
  }
  const size = tx.size();
  if (size > MAX_STANDARD_TX_SIZE)
    refuse(MempoolReason.TX_SIZE, `${size} > ${MAX_STANDARD_TX_SIZE}`);
  for (const input of tx.inputs) {
    if (input.scriptSig.length > MAX_STANDARD_SCRIPTSIG_SIZE) refuse(MempoolReason.SCRIPTSIG_SIZE);
    if (!isPushOnlyScript(input.scriptSig)) refuse(MempoolReason.SCRIPTSIG_NOT_PUSHONLY);
  }
  let dataOutputs = 0;
  for (const output of tx.outputs) {
    const solved = solveOutput(output.scriptPubKey);
    switch (solved.type) {
      case "nonstandard":
        refuse(MempoolReason.SCRIPTPUBKEY);
        break;
      case "multisig":
        if (solved.keys! > MAX_STANDARD_MULTISIG_KEYS) refuse(MempoolReason.SCRIPTPUBKEY);
        if (!policy.permitBareMultisig) refuse(MempoolReason.BARE_MULTISIG);
        break;
      case "nulldata":
        if (
          policy.maxDatacarrierBytes === null ||
          output.scriptPubKey.length > policy.maxDatacarrierBytes
        ) {
          refuse(MempoolReason.SCRIPTPUBKEY, "OP_RETURN output too large");
        }
        dataOutputs++;
        continue;
      default:
        break;
    }
    if (isDust(output, policy.dustRelayFeeRate)) refuse(MempoolReason.DUST);
  }
  if (dataOutputs > 1) refuse(MempoolReason.MULTI_OP_RETURN);
  if (size < MIN_STANDARD_TX_SIZE) refuse(MempoolReason.TX_SIZE_SMALL);
}

/**
 * Core's AreInputsStandard: every spent output has a standard form, and a P2SH redeem script (the
 * last push of the scriptSig, which is push-only by then) has at most 15 sigops.
 */
export function areInputsStandard(tx: Transaction, coins: readonly Coin[]): boolean {
  for (let i = 0; i < tx.inputs.length; i++) {
    const type = solveOutput(coins[i]!.scriptPubKey).type;
    if (type === "nonstandard") return false;
    if (type === "scripthash") {
      const scriptSig = tx.inputs[i]!.scriptSig;
      if (scriptSig.length === 0) return false;
      if (p2shRedeemSigOpCount(scriptSig) > MAX_P2SH_SIGOPS) return false;
    }
  }
  return true;
}
