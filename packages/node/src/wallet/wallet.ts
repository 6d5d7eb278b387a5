import { randomInt } from "node:crypto";
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import {
  addressToScript,
  type Block,
  compactSizeLength,
  DecodeError,
  fromHex,
  MAX_MONEY,
  type NetworkParams,
  Transaction,
  type TxOutput,
  toHex,
} from "@starling/chain";
import { amountToCoins } from "./amount.ts";
import type { IndexedOutput, WalletChainSource } from "./chain-source.ts";
import { type Selection, selectCoins } from "./coin-selection.ts";
import {
  CHANGE_CHAIN,
  DEFAULT_CONFIRM_TARGET,
  FALLBACK_FEE_RATE,
  GAP_LIMIT,
  MAX_TX_FEE,
  MAX_UNLOCK_SECONDS,
  MAX_WALLET_TX_SIZE,
  MIN_RELAY_FEE_RATE,
  RECEIVE_CHAIN,
} from "./constants.ts";
import {
  DEFAULT_SCRYPT_PARAMS,
  decryptSecret,
  type EncryptedSecret,
  encryptSecret,
  type ScryptParams,
} from "./encryption.ts";
import {
  cannotCreate,
  unencryptedWallet,
  unlockNeeded,
  WalletError,
  WalletErrorCode,
  WalletMessages,
} from "./errors.ts";
import { dustThreshold, maxBigInt, outputSize, P2PKH_DUST_THRESHOLD } from "./fee.ts";
import { type LedgerBalance, type LedgerCoin, WalletLedger } from "./ledger.ts";
import {
  assertMnemonic,
  createMnemonic,
  type MnemonicWordCount,
  mnemonicToWalletSeed,
} from "./mnemonic.ts";
import { signWalletTransaction } from "./sign-transaction.ts";
import {
  readWalletFile,
  WALLET_FILE_FORMAT,
  WALLET_FILE_VERSION,
  type WalletFileData,
  writeWalletFile,
} from "./wallet-file.ts";
import { accountPath, deriveAccountKey, type WalletKey, WalletKeys } from "./wallet-keys.ts";
import {
  type ListTransactionsEntry,
  type ListUnspentEntry,
  type ListUnspentOptions,
  listTransactionsView,
  listUnspentView,
  type ViewContext,
} from "./wallet-views.ts";

/**
 * An HD wallet (BIP39 mnemonic, BIP44 account, P2PKH) kept in one file and fed by the node.
 * Create one with createWallet, restoreWallet or loadWallet. Calls that move funds or secrets run
 * one at a time; chain events update the view at once and save the file behind them.
 */

/** What every wallet needs from its owner. */
export interface WalletInit {
  /** The wallet file, `<datadir>/wallet/<name>.json` (see walletFilePath). */
  readonly path: string;
  readonly network: NetworkParams;
  readonly source: WalletChainSource;
  /** Unix seconds; the system clock by default. */
  readonly now?: () => number;
  /** scrypt cost for encryptWallet (default N=2^15, r=8, p=1). */
  readonly scryptParams?: ScryptParams;
}

export interface CreateWalletOptions extends WalletInit {
  /** A BIP39 mnemonic to use; default a fresh one of `words` words. */
  readonly mnemonic?: string;
  /** New mnemonics only: 12 (default) or 24. */
  readonly words?: MnemonicWordCount;
  /** BIP39's optional passphrase (the "25th word"); part of the seed, not stored. */
  readonly mnemonicPassphrase?: string;
  /** Encrypt the file from the start with this passphrase; the wallet then starts locked. */
  readonly encryptionPassphrase?: string;
  readonly gapLimit?: number;
}

export interface RestoreWalletOptions extends Omit<CreateWalletOptions, "words" | "mnemonic"> {
  readonly mnemonic: string;
}

/** A recipient: an address of the wallet's network and an amount in base units. */
export interface Recipient {
  readonly address: string;
  readonly amount: bigint;
}

export interface CreateTransactionOptions {
  /** Base units per 1000 bytes; default estimateFee(6), else 1000. Never below 1000. */
  readonly feeRate?: bigint;
  /** Indexes into the recipients whose amounts pay the fee, shared equally. */
  readonly subtractFeeFromOutputs?: readonly number[];
}

export interface CreatedTransaction {
  readonly tx: Transaction;
  readonly txid: string;
  readonly fee: bigint;
  readonly feeRate: bigint;
  /** Index of the change output, or -1. */
  readonly changePosition: number;
  /** The coins spent, in input order. */
  readonly inputs: readonly LedgerCoin[];
  readonly algorithm: Selection<LedgerCoin>["algorithm"];
}

export interface RescanResult {
  /** Scripts asked about (both chains, until the gap limit closed). */
  readonly scripts: number;
  /** Index entries found for them. */
  readonly outputs: number;
}

export interface AddressInfo {
  readonly address: string;
  readonly scriptPubKey: string;
  readonly ismine: boolean;
  readonly ischange?: boolean;
  readonly hdkeypath?: string;
  readonly pubkey?: string;
}

/** Core's getwalletinfo, the fields that mean something here. */
export interface WalletInfo {
  readonly walletname: string;
  readonly network: string;
  readonly balance: number;
  readonly unconfirmed_balance: number;
  readonly immature_balance: number;
  readonly txcount: number;
  readonly keypoolsize: number;
  readonly keypoolsize_hd_internal: number;
  /** Encrypted wallets only: Unix seconds until the wallet locks again, 0 when locked. */
  readonly unlocked_until?: number;
  readonly private_keys_enabled: true;
}

/** What toJSON and inspection show: never a secret. */
export interface WalletSummary {
  readonly name: string;
  readonly network: string;
  readonly encrypted: boolean;
  readonly locked: boolean;
  readonly receiveIndex: number;
  readonly changeIndex: number;
  readonly transactions: number;
}

/** The secret in memory: present while unencrypted or unlocked. */
interface Secret {
  readonly mnemonic: string;
  readonly seed: Uint8Array;
}

interface WalletParts {
  readonly init: WalletInit;
  readonly keys: WalletKeys;
  readonly createdAt: number;
  readonly secret: Secret | undefined;
  readonly encrypted: EncryptedSecret | undefined;
}

const MAX_TIMER_MS = 2 ** 31 - 1;
const SEQUENCE_LOCKTIME_ENABLED = 0xfffffffe;

function systemNow(): number {
  return Math.floor(Date.now() / 1000);
}

export class Wallet {
  readonly path: string;
  readonly name: string;
  readonly network: NetworkParams;
  readonly keys: WalletKeys;
  readonly createdAt: number;
  private readonly source: WalletChainSource;
  private readonly now: () => number;
  private readonly scryptParams: ScryptParams;
  private readonly ledger: WalletLedger;
  #secret: Secret | undefined;
  #encrypted: EncryptedSecret | undefined;
  private unlockDeadline = 0;
  private relockTimer: NodeJS.Timeout | undefined;
  private chainEpoch = 0;
  private exclusiveTail: Promise<unknown> = Promise.resolve();
  private writeTail: Promise<void> = Promise.resolve();
  private queuedWrite: Promise<void> | undefined;
  private closed = false;

  private constructor(parts: WalletParts) {
    const { init } = parts;
    this.path = init.path;
    this.name = basename(init.path).replace(/\.json$/, "");
    this.network = init.network;
    this.source = init.source;
    this.now = init.now ?? systemNow;
    this.scryptParams = init.scryptParams ?? DEFAULT_SCRYPT_PARAMS;
    this.keys = parts.keys;
    this.createdAt = parts.createdAt;
    this.ledger = new WalletLedger(parts.keys);
    this.#secret = parts.secret;
    this.#encrypted = parts.encrypted;
  }

  /** @internal Use createWallet / restoreWallet. */
  static async create(options: CreateWalletOptions): Promise<Wallet> {
    if (await exists(options.path)) {
      throw new WalletError(
        WalletErrorCode.ALREADY_EXISTS,
        `Wallet file already exists: ${options.path}`,
      );
    }
    const mnemonic =
      options.mnemonic === undefined
        ? createMnemonic(options.words ?? 12)
        : assertMnemonic(options.mnemonic);
    const seed = await mnemonicToWalletSeed(mnemonic, options.mnemonicPassphrase ?? "");
    const keys = new WalletKeys({
      accountXpub: WalletKeys.accountXpubOf(seed, options.network.bip44CoinType),
      network: options.network,
      gapLimit: options.gapLimit ?? GAP_LIMIT,
    });
    const wallet = new Wallet({
      init: options,
      keys,
      createdAt: (options.now ?? systemNow)(),
      secret: { mnemonic, seed },
      encrypted: undefined,
    });
    if (options.encryptionPassphrase !== undefined) {
      // Encrypt before the first write: the secret never reaches the disk in the clear.
      await wallet.sealSecret(options.encryptionPassphrase);
    }
    await wallet.persist();
    return wallet;
  }

  /** @internal Use loadWallet. */
  static async load(init: WalletInit): Promise<Wallet> {
    const data = await readWalletFile(init.path);
    const { network } = init;
    if (data.network !== network.name || data.genesisHash !== network.genesisHash) {
      throw new WalletError(
        WalletErrorCode.WALLET_ERROR,
        `Wallet file is for network ${data.network}, not ${network.name}: ${init.path}`,
      );
    }
    const corrupt = (detail: string, cause?: unknown): WalletError =>
      new WalletError(
        WalletErrorCode.WALLET_ERROR,
        `Wallet file corrupt (${detail}): ${init.path}`,
        cause === undefined ? undefined : { cause },
      );
    if (data.account.path !== accountPath(network.bip44CoinType)) throw corrupt("account path");
    let keys: WalletKeys;
    try {
      keys = new WalletKeys({
        accountXpub: data.account.xpub,
        network,
        gapLimit: data.gapLimit,
        receive: data.chains.receive,
        change: data.chains.change,
      });
    } catch (cause) {
      throw corrupt("account key", cause);
    }
    let secret: Secret | undefined;
    let encrypted: EncryptedSecret | undefined;
    if (data.secret.encrypted) {
      const { encrypted: _flag, ...rest } = data.secret;
      encrypted = rest;
    } else {
      secret = { mnemonic: data.secret.mnemonic, seed: fromHex(data.secret.seed) };
      if (WalletKeys.accountXpubOf(secret.seed, network.bip44CoinType) !== keys.accountXpub) {
        throw corrupt("seed does not match the account key");
      }
    }
    const wallet = new Wallet({ init, keys, createdAt: data.createdAt, secret, encrypted });
    try {
      wallet.ledger.restore(data.ledger, (hex) => Transaction.fromBytes(fromHex(hex)));
    } catch (cause) {
      throw corrupt("ledger", cause);
    }
    return wallet;
  }

  get isEncrypted(): boolean {
    return this.#encrypted !== undefined;
  }

  get isLocked(): boolean {
    return this.#secret === undefined;
  }

  /** Unix seconds when an unlocked encrypted wallet locks again; 0 when locked or unencrypted. */
  get unlockedUntil(): number {
    return this.isEncrypted && !this.isLocked ? Math.floor(this.unlockDeadline / 1000) : 0;
  }

  // ---- addresses ----

  /** A fresh receiving address (Core's getnewaddress), saved before it is returned. */
  async getNewAddress(): Promise<string> {
    this.assertOpen();
    const key = this.keys.issue(RECEIVE_CHAIN);
    await this.persist();
    return key.address;
  }

  /** What the wallet knows of an address (for validateaddress / getaddressinfo). */
  getAddressInfo(address: string): AddressInfo {
    const script = this.decodeRecipient(address);
    const key = this.keys.lookup(script);
    if (key === undefined) return { address, scriptPubKey: toHex(script), ismine: false };
    return {
      address,
      scriptPubKey: key.scriptHex,
      ismine: true,
      ischange: key.chain === CHANGE_CHAIN,
      hdkeypath: key.path,
      pubkey: toHex(key.publicKey),
    };
  }

  // ---- views ----

  getBalance(): LedgerBalance {
    return this.ledger.balance(this.source.tipHeight(), this.source.coinbaseMaturity);
  }

  listUnspent(options: ListUnspentOptions = {}): ListUnspentEntry[] {
    return listUnspentView(this.viewContext(), options);
  }

  listTransactions(count = 10, skip = 0): ListTransactionsEntry[] {
    if (!Number.isInteger(count) || count < 0) {
      throw new WalletError(WalletErrorCode.INVALID_PARAMETER, "Negative count");
    }
    if (!Number.isInteger(skip) || skip < 0) {
      throw new WalletError(WalletErrorCode.INVALID_PARAMETER, "Negative from");
    }
    return listTransactionsView(this.viewContext(), count, skip);
  }

  getWalletInfo(): WalletInfo {
    const balance = this.getBalance();
    const receive = this.keys.state(RECEIVE_CHAIN);
    const change = this.keys.state(CHANGE_CHAIN);
    return {
      walletname: this.name,
      network: this.network.name,
      balance: amountToCoins(balance.trusted),
      unconfirmed_balance: amountToCoins(
        balance.unconfirmed - (balance.trusted - balance.confirmed),
      ),
      immature_balance: amountToCoins(balance.immature),
      txcount: this.ledger.size,
      // Addresses watched ahead of the last one handed out.
      keypoolsize: Math.max(0, receive.used + 1 - receive.issued) + this.keys.gapLimit,
      keypoolsize_hd_internal: Math.max(0, change.used + 1 - change.issued) + this.keys.gapLimit,
      ...(this.isEncrypted ? { unlocked_until: this.unlockedUntil } : {}),
      private_keys_enabled: true,
    };
  }

  // ---- sending ----

  /**
   * Builds and signs a transaction paying `recipients` (it is not broadcast nor recorded; see
   * send). Throws WalletError: -13 locked, -5 bad address, -3 bad amount, -8 duplicated address or
   * bad subtract index, -6 for every failure to fund it (Core's SendMoney).
   */
  async createTransaction(
    recipients: readonly Recipient[],
    options: CreateTransactionOptions = {},
  ): Promise<CreatedTransaction> {
    this.assertOpen();
    return this.buildTransaction(recipients, options);
  }

  /**
   * createTransaction, then broadcast through the node; on success the wallet records it at once,
   * so that its inputs are not chosen again and its change counts. Resolves to the txid.
   */
  send(recipients: readonly Recipient[], options: CreateTransactionOptions = {}): Promise<string> {
    this.assertOpen();
    return this.exclusive(async () => {
      const created = this.buildTransaction(recipients, options);
      const txid = await this.source.broadcast(created.tx.toBytes());
      this.ledger.addTransaction(created.tx, undefined, this.now());
      await this.persist();
      return txid;
    });
  }

  /** Core's sendtoaddress: one recipient; resolves to the txid. */
  sendToAddress(
    address: string,
    amount: bigint,
    options: { readonly feeRate?: bigint; readonly subtractFeeFromAmount?: boolean } = {},
  ): Promise<string> {
    return this.send([{ address, amount }], {
      ...(options.feeRate === undefined ? {} : { feeRate: options.feeRate }),
      ...(options.subtractFeeFromAmount === true ? { subtractFeeFromOutputs: [0] } : {}),
    });
  }

  // ---- chain events (called by the node) ----

  /** A block joined the main chain at `height`. */
  async blockConnected(block: Block, height: number): Promise<void> {
    if (this.closed) return;
    this.chainEpoch++;
    const hash = block.hash();
    const time = block.header.time;
    let changed = false;
    block.transactions.forEach((tx, position) => {
      if (this.ledger.addTransaction(tx, { height, hash, time, position }, this.now())) {
        changed = true;
      }
    });
    if (changed) await this.persist();
  }

  /** A block left the main chain (reorganisation); `height` was its height. */
  async blockDisconnected(block: Block, _height: number): Promise<void> {
    if (this.closed) return;
    this.chainEpoch++;
    if (this.ledger.disconnectBlock(block)) await this.persist();
  }

  /** A transaction entered the mempool. */
  async txAdded(tx: Transaction): Promise<void> {
    if (this.closed) return;
    if (this.ledger.addTransaction(tx, undefined, this.now())) await this.persist();
  }

  /** A transaction left the mempool without being mined (evicted, expired, replaced, conflicted). */
  async txRemoved(txid: string): Promise<void> {
    if (this.closed) return;
    if (this.ledger.removeTransaction(txid)) await this.persist();
  }

  /**
   * Rebuilds the confirmed view from the node's address index: asks for every watched script,
   * widens the watch past each used address until `gapLimit` unused ones close each chain, and
   * reconciles (ledger.applyAddressIndex). When blocks arrive meanwhile, it asks again (up to
   * five times) so the answer and the events agree.
   */
  rescan(options: { readonly signal?: AbortSignal } = {}): Promise<RescanResult> {
    this.assertOpen();
    return this.exclusive(async () => {
      for (let attempt = 0; ; attempt++) {
        const epoch = this.chainEpoch;
        const asked = new Set<string>();
        const found: IndexedOutput[] = [];
        for (;;) {
          const batch = this.keys.watched().filter((key) => !asked.has(key.scriptHex));
          if (batch.length === 0) break;
          for (const key of batch) asked.add(key.scriptHex);
          const entries = await this.source.addressOutputs(
            batch.map((key) => key.scriptPubKey),
            options.signal === undefined ? {} : { signal: options.signal },
          );
          for (const entry of entries) {
            const key = this.keys.lookup(entry.scriptPubKey);
            if (key === undefined) continue;
            this.keys.markUsed(key);
            found.push(entry);
          }
        }
        if (epoch !== this.chainEpoch && attempt < 4) continue;
        this.ledger.applyAddressIndex(found);
        await this.persist();
        return { scripts: asked.size, outputs: found.length };
      }
    });
  }

  // ---- encryption ----

  /**
   * Core's encryptwallet: encrypts the secret with `passphrase` and locks the wallet. The seed and
   * so the addresses stay the same (a mnemonic wallet cannot rotate its seed as Core does).
   */
  encryptWallet(passphrase: string): Promise<void> {
    this.assertOpen();
    return this.exclusive(async () => {
      if (this.isEncrypted) {
        throw new WalletError(
          WalletErrorCode.WRONG_ENC_STATE,
          "Error: running with an encrypted wallet, but encryptwallet was called.",
        );
      }
      await this.sealSecret(passphrase);
      await this.persist();
    });
  }

  /**
   * Core's walletpassphrase: unlocks for `timeoutSeconds` (clamped to 100,000,000), replacing any
   * earlier timeout. -15 unencrypted, -14 wrong passphrase, -8 negative timeout.
   */
  walletPassphrase(passphrase: string, timeoutSeconds: number): Promise<void> {
    this.assertOpen();
    return this.exclusive(async () => {
      const encrypted = this.#encrypted;
      if (encrypted === undefined) throw unencryptedWallet("walletpassphrase");
      if (typeof timeoutSeconds !== "number" || !(timeoutSeconds >= 0)) {
        throw new WalletError(WalletErrorCode.INVALID_PARAMETER, "Timeout cannot be negative.");
      }
      checkPassphrase(passphrase);
      const secret = await this.openSecret(encrypted, passphrase);
      this.wipeSecret();
      this.#secret = secret;
      this.scheduleRelock(Math.min(timeoutSeconds, MAX_UNLOCK_SECONDS) * 1000);
    });
  }

  /** Core's walletlock. -15 when the wallet is not encrypted. */
  walletLock(): void {
    if (!this.isEncrypted) throw unencryptedWallet("walletlock");
    this.lock();
  }

  /** Core's walletpassphrasechange; the lock state does not change. */
  walletPassphraseChange(oldPassphrase: string, newPassphrase: string): Promise<void> {
    this.assertOpen();
    return this.exclusive(async () => {
      const encrypted = this.#encrypted;
      if (encrypted === undefined) throw unencryptedWallet("walletpassphrasechange");
      checkPassphrase(oldPassphrase);
      checkPassphrase(newPassphrase);
      const secret = await this.openSecret(encrypted, oldPassphrase);
      const plaintext = encodeSecret(secret);
      try {
        this.#encrypted = await encryptSecret(
          plaintext,
          newPassphrase,
          this.aad(),
          this.scryptParams,
        );
      } finally {
        plaintext.fill(0);
        secret.seed.fill(0);
      }
      await this.persist();
    });
  }

  /** The mnemonic, for a backup shown to its owner. -13 while locked. */
  revealMnemonic(): string {
    const secret = this.#secret;
    if (secret === undefined) throw unlockNeeded();
    return secret.mnemonic;
  }

  // ---- lifecycle ----

  /** Resolves when every change so far is on disk. */
  async flush(): Promise<void> {
    await this.writeTail;
  }

  /** Waits for running calls and writes, forgets the secret and stops the relock timer. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.exclusive(async () => {});
    await this.flush();
    this.closed = true;
    this.lock();
  }

  toJSON(): WalletSummary {
    return {
      name: this.name,
      network: this.network.name,
      encrypted: this.isEncrypted,
      locked: this.isLocked,
      receiveIndex: this.keys.state(RECEIVE_CHAIN).issued,
      changeIndex: this.keys.state(CHANGE_CHAIN).issued,
      transactions: this.ledger.size,
    };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Wallet ${JSON.stringify(this.toJSON())}`;
  }

  // ---- internals ----

  private buildTransaction(
    recipients: readonly Recipient[],
    options: CreateTransactionOptions,
  ): CreatedTransaction {
    if (this.#secret === undefined) throw unlockNeeded();
    if (recipients.length === 0) {
      throw new WalletError(
        WalletErrorCode.INVALID_PARAMETER,
        "Transaction must have at least one recipient",
      );
    }
    const subtract = new Set(options.subtractFeeFromOutputs ?? []);
    for (const index of subtract) {
      if (!Number.isInteger(index) || index < 0 || index >= recipients.length) {
        throw new WalletError(
          WalletErrorCode.INVALID_PARAMETER,
          `Invalid parameter, subtract fee index ${index}`,
        );
      }
    }
    const seen = new Set<string>();
    const outputs: TxOutput[] = recipients.map((recipient) => {
      const scriptPubKey = this.decodeRecipient(recipient.address);
      if (seen.has(recipient.address)) {
        throw new WalletError(
          WalletErrorCode.INVALID_PARAMETER,
          `Invalid parameter, duplicated address: ${recipient.address}`,
        );
      }
      seen.add(recipient.address);
      if (typeof recipient.amount !== "bigint" || recipient.amount <= 0n) {
        throw new WalletError(WalletErrorCode.TYPE_ERROR, "Invalid amount for send");
      }
      if (recipient.amount > MAX_MONEY) {
        throw new WalletError(WalletErrorCode.TYPE_ERROR, "Amount out of range");
      }
      return { value: recipient.amount, scriptPubKey };
    });
    if (subtract.size === 0 && outputs.some((o) => o.value < dustThreshold(o.scriptPubKey))) {
      throw cannotCreate("Transaction amount too small");
    }
    const feeRate = this.feeRate(options.feeRate);
    const tipHeight = this.source.tipHeight();
    const candidates = this.ledger
      .spendableCoins(tipHeight, this.source.coinbaseMaturity)
      .filter((c) => c.safe)
      .map((c) => c.coin);
    const target = outputs.reduce((sum, o) => sum + o.value, 0n);
    const baseSize =
      8 +
      compactSizeLength(Math.max(1, candidates.length)) +
      compactSizeLength(outputs.length + 1) +
      outputs.reduce((sum, o) => sum + outputSize(o.scriptPubKey), 0);
    const selection = selectCoins({
      candidates,
      target,
      feeRate,
      baseSize,
      minChange: P2PKH_DUST_THRESHOLD,
      subtractFee: subtract.size > 0,
    });
    if (selection === undefined) throw cannotCreate(WalletMessages.INSUFFICIENT_FUNDS);
    if (selection.size > MAX_WALLET_TX_SIZE) throw cannotCreate("Transaction too large");
    if (selection.fee > MAX_TX_FEE) {
      throw cannotCreate("Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)");
    }

    const finalOutputs = [...outputs];
    if (selection.feeFromRecipients > 0n) {
      const payers = [...subtract].sort((a, b) => a - b);
      const share = selection.feeFromRecipients / BigInt(payers.length);
      const remainder = selection.feeFromRecipients % BigInt(payers.length);
      payers.forEach((index, i) => {
        const output = finalOutputs[index]!;
        const value = output.value - share - (i === 0 ? remainder : 0n);
        if (value < dustThreshold(output.scriptPubKey)) {
          throw cannotCreate("The transaction amount is too small to pay the fee");
        }
        finalOutputs[index] = { ...output, value };
      });
    }
    let changePosition = -1;
    if (selection.change > 0n) {
      const changeKey = this.keys.issue(CHANGE_CHAIN);
      changePosition = randomInt(finalOutputs.length + 1);
      finalOutputs.splice(changePosition, 0, {
        value: selection.change,
        scriptPubKey: changeKey.scriptPubKey,
      });
      void this.persist().catch(() => {});
    }

    // Anti-fee-sniping, as Core: valid only in the next block or later.
    const unsigned = new Transaction({
      version: 2,
      inputs: selection.inputs.map((coin) => ({
        prevTxid: coin.txid,
        prevIndex: coin.index,
        scriptSig: new Uint8Array(0),
        sequence: SEQUENCE_LOCKTIME_ENABLED,
      })),
      outputs: finalOutputs,
      locktime: tipHeight,
    });
    const tx = this.sign(unsigned, selection.inputs);
    return {
      tx,
      txid: tx.txid(),
      fee: selection.fee,
      feeRate,
      changePosition,
      inputs: selection.inputs,
      algorithm: selection.algorithm,
    };
  }

  private sign(unsigned: Transaction, coins: readonly LedgerCoin[]): Transaction {
    const secret = this.#secret;
    if (secret === undefined) throw unlockNeeded();
    const account = deriveAccountKey(secret.seed, this.network.bip44CoinType);
    try {
      const inputs = coins.map((coin) => {
        const key = this.keys.lookup(coin.scriptHex);
        if (key === undefined) throw new Error(`coin ${coin.txid}:${coin.index} has no key`);
        return { scriptPubKey: coin.scriptPubKey, key };
      });
      return signWalletTransaction(unsigned, inputs, (key: WalletKey) =>
        this.keys.privateKey(key, account),
      );
    } finally {
      account.wipePrivateData();
    }
  }

  /** The explicit rate, or the estimate for 6 blocks, or the fallback; never below min relay. */
  private feeRate(explicit: bigint | undefined): bigint {
    if (explicit !== undefined) {
      if (typeof explicit !== "bigint" || explicit < 0n) {
        throw new WalletError(WalletErrorCode.TYPE_ERROR, "Invalid amount");
      }
      if (explicit < MIN_RELAY_FEE_RATE) {
        throw cannotCreate(
          `Fee rate (${explicit} base units/kB) is lower than the minimum fee rate setting (${MIN_RELAY_FEE_RATE} base units/kB)`,
        );
      }
      return explicit;
    }
    const estimate = this.source.estimateFee(DEFAULT_CONFIRM_TARGET) ?? FALLBACK_FEE_RATE;
    return maxBigInt(estimate, MIN_RELAY_FEE_RATE);
  }

  private decodeRecipient(address: string): Uint8Array {
    try {
      return addressToScript(address, this.network.prefixes);
    } catch (cause) {
      if (cause instanceof DecodeError || cause instanceof TypeError) {
        throw new WalletError(WalletErrorCode.INVALID_ADDRESS_OR_KEY, "Invalid address", { cause });
      }
      throw cause;
    }
  }

  private viewContext(): ViewContext {
    return {
      ledger: this.ledger,
      lookup: (script) => this.keys.lookup(script),
      prefixes: this.network.prefixes,
      tipHeight: this.source.tipHeight(),
      coinbaseMaturity: this.source.coinbaseMaturity,
    };
  }

  /** Encrypts the in-memory secret and forgets the plaintext (the wallet is then locked). */
  private async sealSecret(passphrase: string): Promise<void> {
    checkPassphrase(passphrase);
    const secret = this.#secret;
    if (secret === undefined) throw unlockNeeded();
    const plaintext = encodeSecret(secret);
    try {
      this.#encrypted = await encryptSecret(plaintext, passphrase, this.aad(), this.scryptParams);
    } catch (cause) {
      throw new WalletError(
        WalletErrorCode.ENCRYPTION_FAILED,
        "Error: Failed to encrypt the wallet.",
        {
          cause,
        },
      );
    } finally {
      plaintext.fill(0);
    }
    this.lock();
  }

  private async openSecret(encrypted: EncryptedSecret, passphrase: string): Promise<Secret> {
    const plaintext = await decryptSecret(encrypted, passphrase, this.aad());
    try {
      const secret = decodeSecret(plaintext);
      if (
        WalletKeys.accountXpubOf(secret.seed, this.network.bip44CoinType) !== this.keys.accountXpub
      ) {
        throw new WalletError(
          WalletErrorCode.WALLET_ERROR,
          "Wallet secret does not match its keys",
        );
      }
      return secret;
    } finally {
      plaintext.fill(0);
    }
  }

  /** Binds the ciphertext to the file's public part. */
  private aad(): Uint8Array {
    return new TextEncoder().encode(
      `${WALLET_FILE_FORMAT}/${WALLET_FILE_VERSION}/${this.network.name}/${this.network.genesisHash}/${this.keys.accountXpub}`,
    );
  }

  private scheduleRelock(ms: number): void {
    if (this.relockTimer !== undefined) clearTimeout(this.relockTimer);
    this.unlockDeadline = Date.now() + ms;
    const arm = (): void => {
      const remaining = this.unlockDeadline - Date.now();
      if (remaining <= 0) {
        this.lock();
        return;
      }
      // setTimeout cannot wait longer than 2^31 - 1 ms: longer unlocks re-arm.
      this.relockTimer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
      this.relockTimer.unref();
    };
    arm();
  }

  /** Forgets the secret of an encrypted wallet (an unencrypted one only on close). */
  private lock(): void {
    if (this.relockTimer !== undefined) clearTimeout(this.relockTimer);
    this.relockTimer = undefined;
    this.unlockDeadline = 0;
    if (this.isEncrypted || this.closed) this.wipeSecret();
  }

  private wipeSecret(): void {
    this.#secret?.seed.fill(0);
    this.#secret = undefined;
  }

  private assertOpen(): void {
    if (this.closed) throw new WalletError(WalletErrorCode.WALLET_ERROR, "Wallet is closed");
  }

  /** Runs calls one at a time, in order. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusiveTail.then(fn, fn);
    this.exclusiveTail = run.catch(() => {});
    return run;
  }

  /**
   * Saves the wallet. Writes run one at a time; a save asked for while another waits joins it,
   * and every write takes the state as of when it starts.
   */
  private persist(): Promise<void> {
    if (this.queuedWrite !== undefined) return this.queuedWrite;
    const write = this.writeTail
      .catch(() => {})
      .then(() => {
        this.queuedWrite = undefined;
        return writeWalletFile(this.path, this.fileData());
      });
    this.queuedWrite = write;
    this.writeTail = write;
    return write;
  }

  private fileData(): WalletFileData {
    const encrypted = this.#encrypted;
    const secret = this.#secret;
    let secretRecord: WalletFileData["secret"];
    if (encrypted !== undefined) {
      secretRecord = { encrypted: true, ...encrypted };
    } else if (secret !== undefined) {
      secretRecord = { encrypted: false, mnemonic: secret.mnemonic, seed: toHex(secret.seed) };
    } else {
      throw new Error("unreachable: an unencrypted wallet without its secret");
    }
    return {
      format: WALLET_FILE_FORMAT,
      version: WALLET_FILE_VERSION,
      network: this.network.name,
      genesisHash: this.network.genesisHash,
      createdAt: this.createdAt,
      account: { path: this.keys.accountPath, xpub: this.keys.accountXpub },
      gapLimit: this.keys.gapLimit,
      chains: { receive: this.keys.state(RECEIVE_CHAIN), change: this.keys.state(CHANGE_CHAIN) },
      secret: secretRecord,
      ledger: this.ledger.snapshot(),
    };
  }
}

function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== "string" || passphrase.length === 0) {
    throw new WalletError(WalletErrorCode.INVALID_PARAMETER, "passphrase cannot be empty");
  }
}

function encodeSecret(secret: Secret): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({ mnemonic: secret.mnemonic, seed: toHex(secret.seed) }),
  );
}

function decodeSecret(plaintext: Uint8Array): Secret {
  const parsed: unknown = JSON.parse(new TextDecoder().decode(plaintext));
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    typeof (parsed as { mnemonic?: unknown }).mnemonic !== "string" ||
    typeof (parsed as { seed?: unknown }).seed !== "string"
  ) {
    throw new WalletError(WalletErrorCode.WALLET_ERROR, "Wallet secret is damaged");
  }
  const { mnemonic, seed } = parsed as { mnemonic: string; seed: string };
  return { mnemonic, seed: fromHex(seed) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** A new wallet file at `options.path`; refuses (-36) when one exists. */
export function createWallet(options: CreateWalletOptions): Promise<Wallet> {
  return Wallet.create(options);
}

/** A wallet from an existing mnemonic, with its history found through the address index. */
export async function restoreWallet(options: RestoreWalletOptions): Promise<Wallet> {
  const wallet = await Wallet.create(options);
  await wallet.rescan();
  return wallet;
}

/**
 * Opens a wallet file (-18 missing, -4 damaged or of another network). The node should then call
 * rescan() and replay its mempool through txAdded, to catch up with what happened while closed.
 */
export function loadWallet(init: WalletInit): Promise<Wallet> {
  return Wallet.load(init);
}
