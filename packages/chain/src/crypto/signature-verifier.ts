/**
 * The one interface through which every ECDSA signature check of the consensus rules passes. Two
 * backends implement it (native libsecp256k1 and @noble/curves) and must agree on every input.
 */
export interface SignatureVerifier {
  /** Backend name for logs and benchmarks, e.g. "native" or "noble". */
  readonly name: string;
  /**
   * Bitcoin Core's CPubKey::Verify: `derSignature` (without the hash-type byte) parsed laxly as
   * ecdsa_signature_parse_der_lax does, normalised to low S, checked against the 32-byte message
   * hash and a SEC1 public key (33 or 65 bytes; hybrid 0x06/0x07 keys as libsecp256k1 accepts
   * them). Returns false, never throws, for anything unparsable.
   */
  verify(derSignature: Uint8Array, msgHash32: Uint8Array, publicKey: Uint8Array): boolean;
}
