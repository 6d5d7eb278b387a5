import { HDKey } from "@scure/bip32";
import {
  type AddressPrefixes,
  equalBytes,
  type NetworkParams,
  p2pkhScript,
  publicKeyHash,
  publicKeyToAddress,
  toHex,
} from "@starling/chain";
import { CHANGE_CHAIN, GAP_LIMIT, type KeyChain, RECEIVE_CHAIN } from "./constants.ts";
import { WalletError, WalletErrorCode } from "./errors.ts";

/**
 * BIP32/BIP44 keys of one account: m/44'/<coin type>'/0'/<chain>/<index>, chain 0 for receiving
 * and 1 for change, each key a compressed public key paid to by P2PKH. Addresses are derived from
 * the account's extended public key, so a locked (encrypted) wallet still hands out addresses and
 * recognises its outputs; private keys are derived from the seed only to sign.
 *
 * The account watches, per chain, every index up to the last used or handed out plus the gap
 * limit (BIP44's 20): outputs to a key beyond that are not seen until the gap closes.
 */

/** One derived key: where it is, what it pays to. */
export interface WalletKey {
  readonly chain: KeyChain;
  readonly index: number;
  /** Full BIP32 path, e.g. "m/44'/1'/0'/0/3". */
  readonly path: string;
  /** Compressed SEC1 public key. */
  readonly publicKey: Uint8Array;
  /** The P2PKH output script. */
  readonly scriptPubKey: Uint8Array;
  readonly scriptHex: string;
  readonly address: string;
}

/** The account path, m/44'/<coinType>'/0'. */
export function accountPath(coinType: number): string {
  if (!Number.isInteger(coinType) || coinType < 0 || coinType >= 0x80000000) {
    throw new RangeError(`accountPath: bad coin type ${coinType}`);
  }
  return `m/44'/${coinType}'/0'`;
}

/** The BIP32 master key of a seed (16 to 64 bytes). Extended keys use BIP32's xprv/xpub versions. */
export function hdRootFromSeed(seed: Uint8Array): HDKey {
  return HDKey.fromMasterSeed(seed);
}

/** The account's private extended key (the caller wipes it after use). */
export function deriveAccountKey(seed: Uint8Array, coinType: number): HDKey {
  const root = hdRootFromSeed(seed);
  const account = root.derive(accountPath(coinType));
  root.wipePrivateData();
  return account;
}

/** Parses an account's extended public key; WalletError -4 for anything else (an xprv included). */
export function parseAccountXpub(xpub: string): HDKey {
  let key: HDKey;
  try {
    key = HDKey.fromExtendedKey(xpub);
  } catch (cause) {
    throw new WalletError(WalletErrorCode.WALLET_ERROR, "Invalid account extended public key", {
      cause,
    });
  }
  if (key.privateKey !== null) {
    throw new WalletError(
      WalletErrorCode.WALLET_ERROR,
      "Account key must be an extended public key",
    );
  }
  if (key.depth !== 3) {
    throw new WalletError(WalletErrorCode.WALLET_ERROR, "Account key must be at depth 3");
  }
  return key;
}

/** Per-chain counters that the wallet file keeps. */
export interface KeyChainState {
  /** Next index getNewAddress (or change) hands out. */
  readonly issued: number;
  /** Highest index seen paid to, or -1. */
  readonly used: number;
}

export interface WalletKeysInit {
  readonly accountXpub: string;
  readonly network: Pick<NetworkParams, "prefixes" | "bip44CoinType">;
  readonly gapLimit?: number;
  readonly receive?: KeyChainState;
  readonly change?: KeyChainState;
}

export class WalletKeys {
  readonly accountXpub: string;
  readonly accountPath: string;
  readonly gapLimit: number;
  private readonly prefixes: AddressPrefixes;
  private readonly chainNodes: readonly [HDKey, HDKey];
  private readonly derived: readonly [WalletKey[], WalletKey[]] = [[], []];
  private readonly byScript = new Map<string, WalletKey>();
  private readonly issued: [number, number];
  private readonly used: [number, number];

  constructor(init: WalletKeysInit) {
    const gapLimit = init.gapLimit ?? GAP_LIMIT;
    if (!Number.isInteger(gapLimit) || gapLimit < 1 || gapLimit > 10_000) {
      throw new RangeError(`WalletKeys: bad gap limit ${gapLimit}`);
    }
    const account = parseAccountXpub(init.accountXpub);
    this.accountXpub = init.accountXpub;
    this.accountPath = accountPath(init.network.bip44CoinType);
    this.gapLimit = gapLimit;
    this.prefixes = init.network.prefixes;
    this.chainNodes = [account.deriveChild(RECEIVE_CHAIN), account.deriveChild(CHANGE_CHAIN)];
    this.issued = [checkCount(init.receive?.issued ?? 0), checkCount(init.change?.issued ?? 0)];
    this.used = [checkUsed(init.receive?.used ?? -1), checkUsed(init.change?.used ?? -1)];
    this.extendLookahead(RECEIVE_CHAIN);
    this.extendLookahead(CHANGE_CHAIN);
  }

  /** The account xpub of a seed, for a new wallet. */
  static accountXpubOf(seed: Uint8Array, coinType: number): string {
    const account = deriveAccountKey(seed, coinType);
    const xpub = account.publicExtendedKey;
    account.wipePrivateData();
    return xpub;
  }

  /** The key at chain/index, derived once and cached. */
  key(chain: KeyChain, index: number): WalletKey {
    const list = this.derived[chain];
    while (list.length <= index) this.deriveNext(chain);
    return list[index]!;
  }

  /** The wallet key paying to this script, among those watched. */
  lookup(scriptPubKey: Uint8Array | string): WalletKey | undefined {
    if (typeof scriptPubKey === "string") return this.byScript.get(scriptPubKey);
    // Only a P2PKH script can be ours: skip the hex conversion for everything else.
    if (scriptPubKey.length !== 25) return undefined;
    return this.byScript.get(toHex(scriptPubKey));
  }

  /** Every watched key, receive chain first. */
  watched(): WalletKey[] {
    return [...this.derived[RECEIVE_CHAIN], ...this.derived[CHANGE_CHAIN]];
  }

  /** Records that `key` was paid to; returns the keys newly watched because the gap moved. */
  markUsed(key: WalletKey): WalletKey[] {
    const chain = key.chain;
    if (key.index <= this.used[chain]) return [];
    this.used[chain] = key.index;
    if (this.issued[chain] <= key.index) this.issued[chain] = key.index + 1;
    return this.extendLookahead(chain);
  }

  /** Hands out the next unused index of a chain (a fresh address) and watches past it. */
  issue(chain: KeyChain): WalletKey {
    const key = this.key(chain, this.issued[chain]);
    this.issued[chain] += 1;
    this.extendLookahead(chain);
    return key;
  }

  state(chain: KeyChain): KeyChainState {
    return { issued: this.issued[chain], used: this.used[chain] };
  }

  /**
   * The private key of `key` under the account's private extended key, checked against the
   * public key it must match. The caller zeroes it after use.
   */
  privateKey(key: WalletKey, accountPrivate: HDKey): Uint8Array {
    const child = accountPrivate.deriveChild(key.chain).deriveChild(key.index);
    const privateKey = child.privateKey;
    if (privateKey === null || child.publicKey === null) {
      throw new WalletError(WalletErrorCode.WALLET_ERROR, "Account key has no private part");
    }
    if (!equalBytes(child.publicKey, key.publicKey)) {
      throw new WalletError(WalletErrorCode.WALLET_ERROR, "Seed does not match the account key");
    }
    const copy = Uint8Array.from(privateKey);
    child.wipePrivateData();
    return copy;
  }

  /** Derives up to max(used + 1, issued) + gap on a chain; returns the keys added. */
  private extendLookahead(chain: KeyChain): WalletKey[] {
    const end = Math.max(this.used[chain] + 1, this.issued[chain]) + this.gapLimit;
    const added: WalletKey[] = [];
    while (this.derived[chain].length < end) added.push(this.deriveNext(chain));
    return added;
  }

  private deriveNext(chain: KeyChain): WalletKey {
    const list = this.derived[chain];
    const index = list.length;
    const publicKey = this.chainNodes[chain].deriveChild(index).publicKey;
    if (publicKey === null) throw new Error("unreachable: public derivation without a key");
    const scriptPubKey = p2pkhScript(publicKeyHash(publicKey));
    const key: WalletKey = Object.freeze({
      chain,
      index,
      path: `${this.accountPath}/${chain}/${index}`,
      publicKey,
      scriptPubKey,
      scriptHex: toHex(scriptPubKey),
      address: publicKeyToAddress(publicKey, this.prefixes),
    });
    list.push(key);
    this.byScript.set(key.scriptHex, key);
    return key;
  }
}

function checkCount(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= 0x80000000) throw new RangeError(`bad index ${n}`);
  return n;
}

function checkUsed(n: number): number {
  if (!Number.isInteger(n) || n < -1 || n >= 0x80000000) throw new RangeError(`bad index ${n}`);
  return n;
}
