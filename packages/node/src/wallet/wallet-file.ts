import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { EncryptedSecret } from "./encryption.ts";
import { WalletError, WalletErrorCode } from "./errors.ts";
import type { LedgerSnapshot } from "./ledger.ts";
import type { KeyChainState } from "./wallet-keys.ts";

/**
 * The wallet file: one JSON document at `<datadir>/wallet/<name>.json`, mode 0600 in a 0700
 * folder, replaced atomically on every save (written to a temporary file beside it, fsynced,
 * renamed over the old one, then the folder fsynced), so a crash leaves the old or the new file,
 * never a mix. docs/wallet.md documents every field.
 */

export const WALLET_FILE_FORMAT = "starling-wallet";
export const WALLET_FILE_VERSION = 1;
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** The secret of an unencrypted wallet, in the clear (the file's mode is its only protection). */
export interface PlainSecretRecord {
  readonly encrypted: false;
  readonly mnemonic: string;
  /** Hex of the 64-byte BIP39 seed (mnemonic + passphrase), so the passphrase need not be kept. */
  readonly seed: string;
}

export interface EncryptedSecretRecord extends EncryptedSecret {
  readonly encrypted: true;
}

export interface WalletFileData {
  readonly format: typeof WALLET_FILE_FORMAT;
  readonly version: typeof WALLET_FILE_VERSION;
  readonly network: string;
  readonly genesisHash: string;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly account: { readonly path: string; readonly xpub: string };
  readonly gapLimit: number;
  readonly chains: { readonly receive: KeyChainState; readonly change: KeyChainState };
  readonly secret: PlainSecretRecord | EncryptedSecretRecord;
  readonly ledger: LedgerSnapshot;
}

const NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$/;

/** `<datadir>/wallet/<name>.json`; WalletError -8 for a name that is not a plain file name. */
export function walletFilePath(datadir: string, name: string): string {
  if (!NAME.test(name)) {
    throw new WalletError(
      WalletErrorCode.INVALID_PARAMETER,
      "Wallet name must be 1-64 letters, digits, '_', '-' or '.', not starting with '.'",
    );
  }
  return join(datadir, "wallet", `${name}.json`);
}

/** Serializes and writes atomically with mode 0600, creating the folder (0700) when missing. */
export async function writeWalletFile(path: string, data: WalletFileData): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(data, null, 2)}\n`);
}

export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(tmp, "wx", FILE_MODE);
  try {
    try {
      // The mode given to open is masked by the umask; set it explicitly.
      await handle.chmod(FILE_MODE);
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}

/**
 * Reads and shape-checks a wallet file, and puts its mode back to 0600 if something widened it.
 * WalletError -18 when there is no file, -4 when it is not a wallet file of this format.
 */
export async function readWalletFile(path: string): Promise<WalletFileData> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "ENOENT") {
      throw new WalletError(WalletErrorCode.NOT_FOUND, `Wallet file not found: ${path}`, { cause });
    }
    throw new WalletError(WalletErrorCode.WALLET_ERROR, `Cannot read wallet file: ${path}`, {
      cause,
    });
  }
  // Keep the file private even if something widened its mode since the last save.
  await chmod(path, FILE_MODE).catch(() => {});
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw corrupt(path, "not JSON");
  }
  return checkWalletFile(json, path);
}

function corrupt(path: string, detail: string): WalletError {
  return new WalletError(WalletErrorCode.WALLET_ERROR, `Wallet file corrupt (${detail}): ${path}`);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const HEX = /^(?:[0-9a-f]{2})*$/;
const HASH = /^[0-9a-f]{64}$/;

/** Checks the shape of a parsed wallet file; the messages name fields, never their contents. */
export function checkWalletFile(json: unknown, path = "wallet file"): WalletFileData {
  const fail = (field: string): never => {
    throw corrupt(path, `bad ${field}`);
  };
  const obj = (value: unknown, field: string): Json => (isObject(value) ? value : fail(field));
  const str = (value: unknown, field: string): string =>
    typeof value === "string" ? value : fail(field);
  const hex = (value: unknown, field: string, pattern = HEX): string =>
    typeof value === "string" && pattern.test(value) ? value : fail(field);
  const int = (value: unknown, field: string, min = 0): number =>
    Number.isSafeInteger(value) && (value as number) >= min ? (value as number) : fail(field);
  const bool = (value: unknown, field: string): boolean =>
    typeof value === "boolean" ? value : fail(field);

  const root = obj(json, "document");
  if (root.format !== WALLET_FILE_FORMAT) fail("format");
  if (root.version !== WALLET_FILE_VERSION) {
    throw corrupt(path, `unsupported version ${String(root.version)}`);
  }
  const account = obj(root.account, "account");
  const chains = obj(root.chains, "chains");
  const chain = (value: unknown, field: string): KeyChainState => {
    const c = obj(value, field);
    return { issued: int(c.issued, `${field}.issued`), used: int(c.used, `${field}.used`, -1) };
  };

  const rawSecret = obj(root.secret, "secret");
  let secret: PlainSecretRecord | EncryptedSecretRecord;
  if (rawSecret.encrypted === false) {
    secret = {
      encrypted: false,
      mnemonic: str(rawSecret.mnemonic, "secret.mnemonic"),
      seed: hex(rawSecret.seed, "secret.seed"),
    };
  } else if (rawSecret.encrypted === true) {
    const kdf = obj(rawSecret.kdf, "secret.kdf");
    if (kdf.name !== "scrypt") fail("secret.kdf.name");
    if (rawSecret.cipher !== "aes-256-gcm") fail("secret.cipher");
    secret = {
      encrypted: true,
      kdf: {
        name: "scrypt",
        salt: hex(kdf.salt, "secret.kdf.salt"),
        n: int(kdf.n, "secret.kdf.n", 1),
        r: int(kdf.r, "secret.kdf.r", 1),
        p: int(kdf.p, "secret.kdf.p", 1),
      },
      cipher: "aes-256-gcm",
      iv: hex(rawSecret.iv, "secret.iv"),
      tag: hex(rawSecret.tag, "secret.tag"),
      ciphertext: hex(rawSecret.ciphertext, "secret.ciphertext"),
    };
  } else {
    return fail("secret.encrypted");
  }

  const ledger = obj(root.ledger, "ledger");
  if (!Array.isArray(ledger.txs)) fail("ledger.txs");
  if (!Array.isArray(ledger.coins)) fail("ledger.coins");
  const txs = (ledger.txs as unknown[]).map((value, i) => {
    const field = `ledger.txs[${i}]`;
    const t = obj(value, field);
    const block =
      t.block === null
        ? null
        : (() => {
            const b = obj(t.block, `${field}.block`);
            return {
              height: int(b.height, `${field}.block.height`),
              hash: hex(b.hash, `${field}.block.hash`, HASH),
              time: int(b.time, `${field}.block.time`),
              position: int(b.position, `${field}.block.position`),
            };
          })();
    return {
      txid: hex(t.txid, `${field}.txid`, HASH),
      hex: t.hex === null ? null : hex(t.hex, `${field}.hex`),
      block,
      firstSeen: int(t.firstSeen, `${field}.firstSeen`),
      coinbase: bool(t.coinbase, `${field}.coinbase`),
    };
  });
  const coins = (ledger.coins as unknown[]).map((value, i) => {
    const field = `ledger.coins[${i}]`;
    const c = obj(value, field);
    const amount = str(c.value, `${field}.value`);
    if (!/^\d{1,16}$/.test(amount)) fail(`${field}.value`);
    const spentBy = c.spentBy;
    if (
      spentBy !== null &&
      !(typeof spentBy === "string" && (spentBy === "" || HASH.test(spentBy)))
    ) {
      fail(`${field}.spentBy`);
    }
    return {
      txid: hex(c.txid, `${field}.txid`, HASH),
      index: int(c.index, `${field}.index`),
      value: amount,
      scriptPubKey: hex(c.scriptPubKey, `${field}.scriptPubKey`),
      coinbase: bool(c.coinbase, `${field}.coinbase`),
      spentBy: spentBy as string | null,
    };
  });

  return {
    format: WALLET_FILE_FORMAT,
    version: WALLET_FILE_VERSION,
    network: str(root.network, "network"),
    genesisHash: hex(root.genesisHash, "genesisHash", HASH),
    createdAt: int(root.createdAt, "createdAt"),
    account: { path: str(account.path, "account.path"), xpub: str(account.xpub, "account.xpub") },
    gapLimit: int(root.gapLimit, "gapLimit", 1),
    chains: {
      receive: chain(chains.receive, "chains.receive"),
      change: chain(chains.change, "chains.change"),
    },
    secret,
    ledger: { txs, coins },
  };
}
