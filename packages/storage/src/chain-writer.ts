import type { Block } from "@starling/chain";
import type { RecordSink } from "./kv-store.ts";
import {
  addressKey,
  blockKey,
  headerKey,
  mainChainKey,
  type Outpoint,
  txIndexKey,
  undoKey,
} from "./layout.ts";
import { type AddressOutput, encodeAddressOutput } from "./records/address-output.ts";
import { encodeBlockHash } from "./records/block-hash.ts";
import type { Coin } from "./records/coin.ts";
import {
  encodeHeaderRecord,
  type HeaderRecord,
  headerRecordHash,
} from "./records/header-record.ts";
import { encodeTxLocation, type TxLocation } from "./records/tx-location.ts";
import { encodeUndo } from "./records/undo.ts";

/**
 * Typed writes of the layout's records into a sink (a write batch, or the chain store's staging
 * area). Hashes and txids are display hex. Keys are derived here and only here.
 */
export class ChainWriter {
  private readonly sink: RecordSink;

  constructor(sink: RecordSink) {
    this.sink = sink;
  }

  /** Stores the block's bytes under its hash; returns the hash. */
  putBlock(block: Block): string {
    const hash = block.hash();
    this.sink.put(blockKey(hash), block.toBytes());
    return hash;
  }

  delBlock(hash: string): void {
    this.sink.del(blockKey(hash));
  }

  /** Stores a header index entry under the hash of its header; returns the hash. */
  putHeader(record: HeaderRecord): string {
    const hash = headerRecordHash(record);
    this.sink.put(headerKey(hash), encodeHeaderRecord(record));
    return hash;
  }

  setMainChain(height: number, hash: string): void {
    this.sink.put(mainChainKey(height), encodeBlockHash(hash));
  }

  unsetMainChain(height: number): void {
    this.sink.del(mainChainKey(height));
  }

  /** The coins the block spent, in spending order (see records/undo.ts). */
  putUndo(hash: string, spent: readonly Coin[]): void {
    this.sink.put(undoKey(hash), encodeUndo(spent));
  }

  delUndo(hash: string): void {
    this.sink.del(undoKey(hash));
  }

  putTxLocation(txid: string, location: TxLocation): void {
    this.sink.put(txIndexKey(txid), encodeTxLocation(location));
  }

  delTxLocation(txid: string): void {
    this.sink.del(txIndexKey(txid));
  }

  putAddressOutput(scriptPubKey: Uint8Array, outpoint: Outpoint, entry: AddressOutput): void {
    this.sink.put(addressKey(scriptPubKey, outpoint), encodeAddressOutput(entry));
  }

  delAddressOutput(scriptPubKey: Uint8Array, outpoint: Outpoint): void {
    this.sink.del(addressKey(scriptPubKey, outpoint));
  }
}
