import { ByteReader } from "../encoding/reader.ts";
import { ByteWriter } from "../encoding/writer.ts";
import { DecodeError, DecodeReason } from "../errors.ts";
import { BlockHeader } from "./block-header.ts";
import { MAX_DECODE_SIZE, Transaction } from "./transaction.ts";

/** The smallest serialized transaction (version, empty vin/vout, locktime). */
const MIN_TX_SIZE = 10;

/** A header and its transactions; serialized as header | CompactSize count | transactions. */
export class Block {
  readonly header: BlockHeader;
  readonly transactions: readonly Transaction[];
  private raw: Uint8Array | undefined;

  constructor(header: BlockHeader, transactions: readonly Transaction[]) {
    this.header = header;
    this.transactions = transactions;
  }

  /** Decodes a block; it keeps views into `bytes` (no copies): do not mutate the buffer afterwards. */
  static fromBytes(bytes: Uint8Array): Block {
    if (!(bytes instanceof Uint8Array))
      throw new TypeError("Block.fromBytes: expected a Uint8Array");
    if (bytes.length > MAX_DECODE_SIZE) {
      throw new DecodeError(DecodeReason.SIZE_TOO_LARGE, `block of ${bytes.length} bytes`);
    }
    const reader = new ByteReader(bytes);
    const header = BlockHeader.read(reader);
    const count = reader.count(MIN_TX_SIZE, "transactions");
    const transactions: Transaction[] = new Array(count);
    for (let i = 0; i < count; i++) transactions[i] = Transaction.read(reader);
    reader.end("block");
    const block = new Block(header, transactions);
    block.raw = bytes;
    return block;
  }

  toBytes(): Uint8Array {
    if (this.raw === undefined) {
      const w = new ByteWriter(1024);
      w.bytes(this.header.toBytes());
      w.compactSize(this.transactions.length);
      for (const tx of this.transactions) tx.write(w);
      this.raw = w.finish();
    }
    return this.raw;
  }

  /** Block hash as display hex. */
  hash(): string {
    return this.header.hash();
  }

  /** Size of the block with every transaction in legacy serialization: what the 2 MB limit counts. */
  strippedSize(): number {
    let size = 80;
    const n = this.transactions.length;
    size += n < 0xfd ? 1 : n <= 0xffff ? 3 : 5;
    for (const tx of this.transactions) size += tx.size();
    return size;
  }
}
