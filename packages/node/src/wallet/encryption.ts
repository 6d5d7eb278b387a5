import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";
import { fromHex, toHex } from "@starling/chain";
import { passphraseIncorrect, WalletError, WalletErrorCode } from "./errors.ts";

/**
 * Encryption at rest: the passphrase is stretched with scrypt into a 256-bit key, which seals the
 * wallet's secret (mnemonic and seed) with AES-256-GCM. The additional authenticated data binds the
 * ciphertext to the file's public part (network and account xpub), so a file whose xpub was swapped
 * fails to unlock instead of signing for someone else's addresses. A wrong passphrase fails GCM's
 * tag check: WalletError -14.
 */

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  readonly n: number;
  readonly r: number;
  readonly p: number;
}

/** scrypt's interactive-login strength (2^15, 8, 1): about 32 MiB and 0.1 s per try. */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = Object.freeze({ n: 2 ** 15, r: 8, p: 1 });

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const CIPHER = "aes-256-gcm";

/** What the file keeps of an encrypted secret. Every byte string is hex. */
export interface EncryptedSecret {
  readonly kdf: { readonly name: "scrypt"; readonly salt: string } & ScryptParams;
  readonly cipher: typeof CIPHER;
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

/** Bounds on file-supplied parameters: nothing a tampered file sets can exhaust memory. */
function checkParams(params: ScryptParams): void {
  const { n, r, p } = params;
  const powerOfTwo = Number.isInteger(n) && n >= 2 ** 10 && n <= 2 ** 20 && (n & (n - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p)) {
    throw new WalletError(WalletErrorCode.WALLET_ERROR, "Unsupported scrypt parameters");
  }
  if (p < 1 || p > 16 || 128 * n * r * p > 1024 * 1024 * 1024) {
    throw new WalletError(WalletErrorCode.WALLET_ERROR, "Unsupported scrypt parameters");
  }
}

function deriveKey(passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  checkParams(params);
  const { n, r, p } = params;
  return new Promise((resolve, reject) => {
    scrypt(
      Buffer.from(passphrase.normalize("NFKC"), "utf8"),
      salt,
      KEY_LENGTH,
      { N: n, r, p, maxmem: 128 * n * r * p + 16 * 1024 * 1024 },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}

export async function encryptSecret(
  plaintext: Uint8Array,
  passphrase: string,
  aad: Uint8Array,
  params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
): Promise<EncryptedSecret> {
  const salt = randomBytes(SALT_LENGTH);
  const iv = randomBytes(IV_LENGTH);
  const key = await deriveKey(passphrase, salt, params);
  try {
    const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_LENGTH });
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      kdf: { name: "scrypt", salt: toHex(salt), n: params.n, r: params.r, p: params.p },
      cipher: CIPHER,
      iv: toHex(iv),
      tag: toHex(cipher.getAuthTag()),
      ciphertext: toHex(ciphertext),
    };
  } finally {
    key.fill(0);
  }
}

/** The plaintext, or WalletError -14 when the passphrase (or the authenticated data) is wrong. */
export async function decryptSecret(
  secret: EncryptedSecret,
  passphrase: string,
  aad: Uint8Array,
): Promise<Uint8Array> {
  const iv = fromHex(secret.iv);
  const tag = fromHex(secret.tag);
  if (secret.cipher !== CIPHER || iv.length !== IV_LENGTH || tag.length !== TAG_LENGTH) {
    throw new WalletError(WalletErrorCode.WALLET_ERROR, "Unsupported wallet encryption");
  }
  const key = await deriveKey(passphrase, fromHex(secret.kdf.salt), secret.kdf);
  try {
    const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_LENGTH });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const head = decipher.update(fromHex(secret.ciphertext));
    let tail: Buffer;
    try {
      tail = decipher.final();
    } catch {
      head.fill(0);
      throw passphraseIncorrect();
    }
    return new Uint8Array(Buffer.concat([head, tail]));
  } finally {
    key.fill(0);
  }
}
