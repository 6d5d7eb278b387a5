import {
  entropyToMnemonic,
  generateMnemonic,
  mnemonicToSeed,
  validateMnemonic,
} from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { WalletError, WalletErrorCode } from "./errors.ts";

/**
 * BIP39 mnemonics with the English wordlist (@scure/bip39). New wallets get 12 or 24 words;
 * restores accept every BIP39 length (12, 15, 18, 21, 24). The seed is PBKDF2-HMAC-SHA512 of the
 * NFKD-normalised sentence with salt "mnemonic" + passphrase, 2048 rounds: 64 bytes.
 */

/** The BIP39 English wordlist, 2048 words. */
export const ENGLISH_WORDLIST: readonly string[] = Object.freeze([...wordlist]);

export type MnemonicWordCount = 12 | 24;

/** A fresh mnemonic from the system CSPRNG: 12 words (128 bits) or 24 (256 bits). */
export function createMnemonic(words: MnemonicWordCount = 12): string {
  if (words !== 12 && words !== 24) {
    throw new WalletError(WalletErrorCode.INVALID_PARAMETER, "A mnemonic has 12 or 24 words");
  }
  return generateMnemonic(wordlist, words === 12 ? 128 : 256);
}

/** The mnemonic of given entropy (16 to 32 bytes, a multiple of 4). */
export function mnemonicFromEntropy(entropy: Uint8Array): string {
  return entropyToMnemonic(entropy, wordlist);
}

/** NFKD, lower case, single spaces: the form the checksum and the seed are computed on. */
export function normalizeMnemonic(mnemonic: string): string {
  return mnemonic.normalize("NFKD").trim().toLowerCase().split(/\s+/u).join(" ");
}

export function isValidMnemonic(mnemonic: string): boolean {
  return validateMnemonic(normalizeMnemonic(mnemonic), wordlist);
}

/**
 * The normalised mnemonic, or WalletError -8 when a word is unknown or the checksum fails. The
 * message does not repeat the words.
 */
export function assertMnemonic(mnemonic: string): string {
  const normalized = typeof mnemonic === "string" ? normalizeMnemonic(mnemonic) : "";
  if (!validateMnemonic(normalized, wordlist)) {
    throw new WalletError(
      WalletErrorCode.INVALID_PARAMETER,
      "Invalid mnemonic: not a BIP39 English sentence with a valid checksum",
    );
  }
  return normalized;
}

/** The 64-byte BIP39 seed of a valid mnemonic and an optional passphrase. */
export async function mnemonicToWalletSeed(mnemonic: string, passphrase = ""): Promise<Uint8Array> {
  return mnemonicToSeed(assertMnemonic(mnemonic), passphrase);
}
