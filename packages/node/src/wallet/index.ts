/**
 * The wallet: BIP39 mnemonic, BIP44 account keys, P2PKH, an atomically written 0600 file with
 * optional scrypt + AES-256-GCM encryption, a view fed by the node (WalletChainSource and chain
 * events), coin selection, signing and broadcast. docs/wallet.md describes it.
 */
export { amountToCoins, parseCoins } from "./amount.ts";
export type { IndexedOutput, WalletChainSource } from "./chain-source.ts";
export { type Selection, type SelectionRequest, selectCoins } from "./coin-selection.ts";
export {
  CHANGE_CHAIN,
  DEFAULT_CONFIRM_TARGET,
  FALLBACK_FEE_RATE,
  GAP_LIMIT,
  type KeyChain,
  MAX_TX_FEE,
  MIN_RELAY_FEE_RATE,
  RECEIVE_CHAIN,
} from "./constants.ts";
export { DEFAULT_SCRYPT_PARAMS, type ScryptParams } from "./encryption.ts";
export { WalletError, WalletErrorCode, WalletMessages } from "./errors.ts";
export { dustThreshold, feeAtRate, P2PKH_DUST_THRESHOLD } from "./fee.ts";
export type { LedgerBalance } from "./ledger.ts";
export {
  createMnemonic,
  ENGLISH_WORDLIST,
  isValidMnemonic,
  type MnemonicWordCount,
  mnemonicFromEntropy,
  mnemonicToWalletSeed,
} from "./mnemonic.ts";
export {
  type AddressInfo,
  type CreatedTransaction,
  type CreateTransactionOptions,
  type CreateWalletOptions,
  createWallet,
  loadWallet,
  type Recipient,
  type RescanResult,
  type RestoreWalletOptions,
  restoreWallet,
  Wallet,
  type WalletInfo,
  type WalletInit,
  type WalletSummary,
} from "./wallet.ts";
export { walletFilePath } from "./wallet-file.ts";
export { accountPath, hdRootFromSeed, type WalletKey, WalletKeys } from "./wallet-keys.ts";
export type {
  ListTransactionsEntry,
  ListUnspentEntry,
  ListUnspentOptions,
  TransactionCategory,
} from "./wallet-views.ts";
