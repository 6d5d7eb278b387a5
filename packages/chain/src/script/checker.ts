import { LOCKTIME_THRESHOLD } from "../consensus/constants.ts";
import type { SignatureVerifier } from "../crypto/signature-verifier.ts";
import type { Transaction } from "../primitives/transaction.ts";
import { legacySighash } from "./sighash.ts";
import { hasPlausiblePubKeyLength } from "./signature-encoding.ts";

/**
 * What the interpreter asks of the transaction being validated: Bitcoin Core's
 * BaseSignatureChecker. Injectable so that block validation can, for instance, record the
 * (sighash, signature, public key) checks and run them on a worker pool.
 */
export interface SignatureChecker {
  /**
   * Core's CheckECDSASignature. `signature` still ends with its hash-type byte; `scriptCode` is the
   * script from the last executed OP_CODESEPARATOR on, with the signature already removed
   * (FindAndDelete). `flags` is the verification bitmask in force. False, never a throw, for
   * anything that does not verify.
   */
  checkSignature(
    signature: Uint8Array,
    publicKey: Uint8Array,
    scriptCode: Uint8Array,
    flags: number,
  ): boolean;
  /** BIP65: may the transaction be final only at `lockTime` (0 <= lockTime < 2^39)? */
  checkLockTime(lockTime: number): boolean;
  /** BIP112: does the input's sequence satisfy the relative lock `sequence` (0 <= sequence < 2^39)? */
  checkSequence(sequence: number): boolean;
}

const SEQUENCE_FINAL = 0xffffffff;
const SEQUENCE_LOCKTIME_DISABLE_FLAG = 0x80000000;
const SEQUENCE_LOCKTIME_TYPE_FLAG = 0x00400000;
const SEQUENCE_LOCKTIME_MASK = 0x0000ffff;
const TWO_POW_32 = 4294967296;

/**
 * Core's TransactionSignatureChecker for legacy (pre-segwit) inputs: computes the legacy sighash
 * and hands (DER signature, sighash, public key) to a SignatureVerifier.
 *
 * The last sighash is kept, keyed by script code and hash type: CHECKMULTISIG tries each signature
 * against several keys with the same script code, and the sighash is the costly part after the
 * curve operation.
 */
export class TransactionSignatureChecker implements SignatureChecker {
  readonly tx: Transaction;
  readonly inputIndex: number;
  readonly verifier: SignatureVerifier;
  private cachedScriptCode: Uint8Array | undefined;
  private cachedHashType = -1;
  private cachedSighash: Uint8Array | undefined;

  constructor(tx: Transaction, inputIndex: number, verifier: SignatureVerifier) {
    this.tx = tx;
    this.inputIndex = inputIndex;
    this.verifier = verifier;
  }

  checkSignature(signature: Uint8Array, publicKey: Uint8Array, scriptCode: Uint8Array): boolean {
    if (!hasPlausiblePubKeyLength(publicKey)) return false;
    if (signature.length === 0) return false;
    const hashType = signature[signature.length - 1]!;
    const der = signature.subarray(0, signature.length - 1);
    return this.verifyDigest(der, this.sighash(scriptCode, hashType), publicKey);
  }

  /** The legacy sighash this input signs with `scriptCode` and `hashType` (internal byte order). */
  sighash(scriptCode: Uint8Array, hashType: number): Uint8Array {
    if (this.cachedScriptCode !== scriptCode || this.cachedHashType !== hashType) {
      this.cachedSighash = legacySighash(this.tx, this.inputIndex, scriptCode, hashType);
      this.cachedScriptCode = scriptCode;
      this.cachedHashType = hashType;
    }
    return this.cachedSighash!;
  }

  /** The curve check; a subclass may record or defer it instead. */
  protected verifyDigest(
    derSignature: Uint8Array,
    sighash: Uint8Array,
    publicKey: Uint8Array,
  ): boolean {
    return this.verifier.verify(derSignature, sighash, publicKey);
  }

  checkLockTime(lockTime: number): boolean {
    const txLockTime = this.tx.locktime;
    // Heights and times are not comparable: both must be of the same kind.
    if (txLockTime < LOCKTIME_THRESHOLD !== lockTime < LOCKTIME_THRESHOLD) return false;
    if (lockTime > txLockTime) return false;
    // A final input would let the transaction bypass its locktime, and so this check.
    return this.tx.inputs[this.inputIndex]!.sequence !== SEQUENCE_FINAL;
  }

  checkSequence(sequence: number): boolean {
    const txSequence = this.tx.inputs[this.inputIndex]!.sequence;
    // BIP68 applies from version 2, compared unsigned as Core does.
    if (this.tx.version >>> 0 < 2) return false;
    if (txSequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) return false;
    const mask = SEQUENCE_LOCKTIME_TYPE_FLAG | SEQUENCE_LOCKTIME_MASK;
    const txMasked = txSequence & mask;
    // `sequence` may exceed 32 bits (5-byte operand); only its low bits are masked in.
    const masked = (sequence % TWO_POW_32) & mask;
    if (txMasked < SEQUENCE_LOCKTIME_TYPE_FLAG !== masked < SEQUENCE_LOCKTIME_TYPE_FLAG)
      return false;
    return masked <= txMasked;
  }
}
