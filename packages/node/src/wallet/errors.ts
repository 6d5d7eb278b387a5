/**
 * Wallet errors carry Bitcoin Core's JSON-RPC error codes (rpc/protocol.h), so that the RPC layer
 * passes `code` and `message` through unchanged and tools written for Core react as they would
 * there. Messages never contain secrets: no mnemonic, seed, key or passphrase.
 */
export const WalletErrorCode = {
  /** RPC_TYPE_ERROR: a value of the wrong type or range (Core's "Invalid amount"). */
  TYPE_ERROR: -3,
  /** RPC_WALLET_ERROR: anything else that went wrong inside the wallet. */
  WALLET_ERROR: -4,
  /** RPC_INVALID_ADDRESS_OR_KEY. */
  INVALID_ADDRESS_OR_KEY: -5,
  /** RPC_WALLET_INSUFFICIENT_FUNDS: also every other failure to build a transaction, as Core's SendMoney. */
  INSUFFICIENT_FUNDS: -6,
  /** RPC_INVALID_PARAMETER. */
  INVALID_PARAMETER: -8,
  /** RPC_WALLET_UNLOCK_NEEDED. */
  UNLOCK_NEEDED: -13,
  /** RPC_WALLET_PASSPHRASE_INCORRECT. */
  PASSPHRASE_INCORRECT: -14,
  /** RPC_WALLET_WRONG_ENC_STATE: an encryption call that does not fit the wallet's state. */
  WRONG_ENC_STATE: -15,
  /** RPC_WALLET_ENCRYPTION_FAILED. */
  ENCRYPTION_FAILED: -16,
  /** RPC_WALLET_NOT_FOUND. */
  NOT_FOUND: -18,
  /** RPC_WALLET_ALREADY_EXISTS. */
  ALREADY_EXISTS: -36,
} as const;
export type WalletErrorCode = (typeof WalletErrorCode)[keyof typeof WalletErrorCode];

export class WalletError extends Error {
  override readonly name = "WalletError";
  /** Bitcoin Core's RPC error code. */
  readonly code: WalletErrorCode;

  constructor(code: WalletErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Core's exact texts for the encryption calls. */
export const WalletMessages = {
  UNLOCK_NEEDED: "Error: Please enter the wallet passphrase with walletpassphrase first.",
  PASSPHRASE_INCORRECT: "Error: The wallet passphrase entered was incorrect.",
  INSUFFICIENT_FUNDS: "Insufficient funds",
} as const;

export function unlockNeeded(): WalletError {
  return new WalletError(WalletErrorCode.UNLOCK_NEEDED, WalletMessages.UNLOCK_NEEDED);
}

export function passphraseIncorrect(): WalletError {
  return new WalletError(WalletErrorCode.PASSPHRASE_INCORRECT, WalletMessages.PASSPHRASE_INCORRECT);
}

/** Core's "running with an unencrypted wallet, but <call> was called." */
export function unencryptedWallet(call: string): WalletError {
  return new WalletError(
    WalletErrorCode.WRONG_ENC_STATE,
    `Error: running with an unencrypted wallet, but ${call} was called.`,
  );
}

/** A failure to build a transaction: -6, as Core's sendtoaddress reports every CreateTransaction error. */
export function cannotCreate(message: string): WalletError {
  return new WalletError(WalletErrorCode.INSUFFICIENT_FUNDS, message);
}
