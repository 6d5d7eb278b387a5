/**
 * A network's base58check version bytes (Bitcoin Core's base58Prefixes). Each network defines its
 * own values in its parameters; Bitcoin's are 0 / 5 / 128 on mainnet and 111 / 196 / 239 on
 * testnet and regtest.
 */
export interface AddressPrefixes {
  /** Version byte of P2PKH addresses. */
  readonly pubkeyHash: number;
  /** Version byte of P2SH addresses. */
  readonly scriptHash: number;
  /** Version byte of WIF private keys. */
  readonly wif: number;
}
