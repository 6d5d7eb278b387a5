import { sha256d } from "../crypto/hash.ts";
import { hashToHex, hexToHash } from "../encoding/hex.ts";
import { ByteReader } from "../encoding/reader.ts";
import { ByteWriter } from "../encoding/writer.ts";

export const HEADER_SIZE = 80;

export interface BlockHeaderInit {
  version: number;
  /** Display hex of the parent block's hash. */
  prevBlock: string;
  /** Display hex of the merkle root. */
  merkleRoot: string;
  time: number;
  bits: number;
  nonce: number;
}

/**
 * Bitcoin's 80-byte block header: version i32 | prevBlock 32 | merkleRoot 32 | time u32 | bits u32 |
 * nonce u32, little-endian. The block hash is SHA-256d of these 80 bytes, shown reversed.
 */
export class BlockHeader {
  readonly version: number;
  readonly prevBlock: string;
  readonly merkleRoot: string;
  readonly time: number;
  readonly bits: number;
  readonly nonce: number;
  private raw: Uint8Array | undefined;
  private hashInternal: Uint8Array | undefined;
  private hashHex: string | undefined;

  constructor(init: BlockHeaderInit) {
    this.version = init.version;
    this.prevBlock = init.prevBlock;
    this.merkleRoot = init.merkleRoot;
    this.time = init.time;
    this.bits = init.bits;
    this.nonce = init.nonce;
  }

  static fromBytes(bytes: Uint8Array): BlockHeader {
    const reader = new ByteReader(bytes);
    const header = BlockHeader.read(reader);
    reader.end("block header");
    return header;
  }

  static read(reader: ByteReader): BlockHeader {
    const raw = reader.bytesView(HEADER_SIZE, "block header");
    const r = new ByteReader(raw);
    const header = new BlockHeader({
      version: r.i32(),
      prevBlock: hashToHex(r.bytesView(32)),
      merkleRoot: hashToHex(r.bytesView(32)),
      time: r.u32(),
      bits: r.u32(),
      nonce: r.u32(),
    });
    header.raw = raw;
    return header;
  }

  toBytes(): Uint8Array {
    if (this.raw === undefined) {
      const w = new ByteWriter(HEADER_SIZE);
      w.i32(this.version)
        .bytes(hexToHash(this.prevBlock))
        .bytes(hexToHash(this.merkleRoot))
        .u32(this.time)
        .u32(this.bits)
        .u32(this.nonce);
      this.raw = w.finish();
    }
    return this.raw;
  }

  /** Block hash in internal byte order. */
  hashBytes(): Uint8Array {
    if (this.hashInternal === undefined) this.hashInternal = sha256d(this.toBytes());
    return this.hashInternal;
  }

  /** Block hash as display hex. */
  hash(): string {
    if (this.hashHex === undefined) this.hashHex = hashToHex(this.hashBytes());
    return this.hashHex;
  }

  /** A copy with some fields changed (a miner's nonce or time). */
  with(changes: Partial<BlockHeaderInit>): BlockHeader {
    return new BlockHeader({ ...this, ...changes });
  }
}
