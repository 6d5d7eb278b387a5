import {
  checkTransaction,
  p2pkhScriptSig,
  runScriptJob,
  STANDARD_SCRIPT_FLAGS,
  signInput,
  Transaction,
  ValidationError,
} from "@starling/chain";
import { WalletError, WalletErrorCode } from "./errors.ts";
import type { WalletKey } from "./wallet-keys.ts";

/**
 * Signs every input of a wallet transaction (P2PKH, SIGHASH_ALL, RFC 6979 nonces with low S, as
 * chain's signInput does) and checks the result before anyone sees it: CheckTransaction and each
 * input's scripts under the relay (standard) flags, a superset of the consensus flags. A failure
 * here is a bug, never a user error: WalletError -4 "Signing transaction failed".
 */

export interface InputToSign {
  /** The spent output's script (the scriptCode of the legacy sighash). */
  readonly scriptPubKey: Uint8Array;
  readonly key: WalletKey;
}

export function signWalletTransaction(
  unsigned: Transaction,
  inputs: readonly InputToSign[],
  privateKeyOf: (key: WalletKey) => Uint8Array,
): Transaction {
  if (inputs.length !== unsigned.inputs.length) throw new RangeError("one InputToSign per input");
  // Legacy sighash blanks every other scriptSig, so each input is signed over the unsigned form.
  const scriptSigs = inputs.map((input, i) => {
    const privateKey = privateKeyOf(input.key);
    try {
      const signature = signInput(unsigned, i, privateKey, input.scriptPubKey);
      return p2pkhScriptSig(signature, input.key.publicKey);
    } finally {
      privateKey.fill(0);
    }
  });
  const signed = new Transaction({
    version: unsigned.version,
    inputs: unsigned.inputs.map((input, i) => ({ ...input, scriptSig: scriptSigs[i]! })),
    outputs: unsigned.outputs,
    locktime: unsigned.locktime,
  });
  verifyWalletTransaction(signed, inputs);
  return signed;
}

/** CheckTransaction plus every input's scripts under STANDARD_SCRIPT_FLAGS; throws WalletError -4. */
export function verifyWalletTransaction(
  tx: Transaction,
  inputs: readonly { readonly scriptPubKey: Uint8Array }[],
): void {
  try {
    checkTransaction(tx);
  } catch (cause) {
    if (!(cause instanceof ValidationError)) throw cause;
    throw new WalletError(
      WalletErrorCode.WALLET_ERROR,
      `Signing transaction failed (${cause.code})`,
      {
        cause,
      },
    );
  }
  inputs.forEach((input, inputIndex) => {
    const error = runScriptJob({
      tx,
      inputIndex,
      scriptPubKey: input.scriptPubKey,
      flags: STANDARD_SCRIPT_FLAGS,
    });
    if (error !== null) {
      throw new WalletError(
        WalletErrorCode.WALLET_ERROR,
        `Signing transaction failed (input ${inputIndex}: ${error})`,
      );
    }
  });
}
