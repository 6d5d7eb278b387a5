/**
 * What the wallet needs from the node, and nothing more (the consumer declares the interface, as
 * btcd's mempool.Config does). The wallet never reads blocks or the UTXO set itself: the node
 * answers these calls and feeds it the chain's events (Wallet.blockConnected, blockDisconnected,
 * txAdded, txRemoved). docs/wallet.md describes how the node wires it.
 */

/** One entry of the node's address index: a main-chain output paying to one of the scripts asked. */
export interface IndexedOutput {
  /** Display hex. */
  readonly txid: string;
  readonly index: number;
  /** Base units. */
  readonly value: bigint;
  /** Height of the block that created it. */
  readonly height: number;
  readonly scriptPubKey: Uint8Array;
  readonly coinbase: boolean;
  /** Whether a main-chain block has spent it (the UTXO set no longer holds it). */
  readonly spent: boolean;
  /** Display hex of the block at `height`. */
  readonly blockHash: string;
  /** That block's header time. */
  readonly blockTime: number;
}

export interface WalletChainSource {
  /**
   * Every main-chain output paying to any of `scripts`, spent or not (the node's address index,
   * with the spent flag from its UTXO set). Outputs of mempool transactions are not included:
   * those arrive through txAdded.
   */
  addressOutputs(
    scripts: readonly Uint8Array[],
    options?: { readonly signal?: AbortSignal },
  ): Promise<readonly IndexedOutput[]>;
  /** Height of the main chain's tip. */
  tipHeight(): number;
  /**
   * Submits a signed transaction to the mempool and relays it; resolves to its txid. Rejections
   * reject the promise (the node's own error, passed through to the caller).
   */
  broadcast(txBytes: Uint8Array, options?: { readonly signal?: AbortSignal }): Promise<string>;
  /** Fee rate (base units per 1000 bytes) to confirm within `targetBlocks`, or undefined. */
  estimateFee(targetBlocks: number): bigint | undefined;
  /** Blocks a coinbase output waits before it can be spent. */
  readonly coinbaseMaturity: number;
}
