import { sha256dHeader } from "../crypto/sha256-compress.ts";
import { hashToHex, hexToHash } from "../encoding/hex.ts";
import type { ByteReader } from "../encoding/reader.ts";
import { ByteWriter } from "../encoding/writer.ts";
import { DecodeError, DecodeReason } from "../errors.ts";

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
 *
 * A decoded header keeps its 80 bytes and makes the hex strings of its two hashes only when asked:
 * header sync decodes, hashes and PoW-checks thousands of headers whose hex it never reads.
 */
export class BlockHeader {
  readonly version: number;
  readonly time: number;
  readonly bits: number;
  readonly nonce: number;
  #prevBlock: string | undefined;
  #merkleRoot: string | undefined;
  #raw: Uint8Array | undefined;
  #hash: Uint8Array | undefined;
  #hashHex: string | undefined;

  constructor(init: BlockHeaderInit) {
    this.version = init.version;
    this.#prevBlock = init.prevBlock;
    this.#merkleRoot = init.merkleRoot;
    this.time = init.time;
    this.bits = init.bits;
    this.nonce = init.nonce;
  }

  /** Decodes a header; it keeps a view of `bytes`: do not mutate the buffer afterwards. */
  static fromBytes(bytes: Uint8Array): BlockHeader {
    if (!(bytes instanceof Uint8Array))
      throw new TypeError("BlockHeader.fromBytes: expected a Uint8Array");
    if (bytes.length !== HEADER_SIZE) {
      // Reuse the reader's errors: truncated, or trailing bytes.
      return BlockHeader.fromBytesStrict(bytes);
    }
    return BlockHeader.fromRaw(bytes);
  }

  private static fromBytesStrict(bytes: Uint8Array): never {
    if (bytes.length < HEADER_SIZE) {
      throw new DecodeError(
        DecodeReason.TRUNCATED,
        `block header needs ${HEADER_SIZE} bytes, ${bytes.length} given`,
      );
    }
    throw new DecodeError(
      DecodeReason.TRAILING_BYTES,
      `${bytes.length - HEADER_SIZE} bytes after block header`,
    );
  }

  static read(reader: ByteReader): BlockHeader {
    return BlockHeader.fromRaw(reader.bytesView(HEADER_SIZE, "block header"));
  }

  private static fromRaw(raw: Uint8Array): BlockHeader {
    const view = new DataView(raw.buffer, raw.byteOffset, HEADER_SIZE);
    const header = new BlockHeader({
      version: view.getInt32(0, true),
      prevBlock: "",
      merkleRoot: "",
      time: view.getUint32(68, true),
      bits: view.getUint32(72, true),
      nonce: view.getUint32(76, true),
    });
    header.#prevBlock = undefined;
    header.#merkleRoot = undefined;
    header.#raw = raw;
    return header;
  }

  /** Display hex of the parent block's hash. */
  get prevBlock(): string {
    if (this.#prevBlock === undefined) this.#prevBlock = hashToHex(this.#raw!.subarray(4, 36));
    return this.#prevBlock;
  }

  /** Display hex of the merkle root. */
  get merkleRoot(): string {
    if (this.#merkleRoot === undefined) this.#merkleRoot = hashToHex(this.#raw!.subarray(36, 68));
    return this.#merkleRoot;
  }

  toBytes(): Uint8Array {
    if (this.#raw === undefined) {
      const w = new ByteWriter(HEADER_SIZE);
      w.i32(this.version)
        .bytes(hexToHash(this.prevBlock))
        .bytes(hexToHash(this.merkleRoot))
        .u32(this.time)
        .u32(this.bits)
        .u32(this.nonce);
      this.#raw = w.finish();
    }
    return this.#raw;
  }

  /** Parent hash in internal byte order. */
  prevBlockBytes(): Uint8Array {
    return this.toBytes().subarray(4, 36);
  }

  /** Block hash in internal byte order. */
  hashBytes(): Uint8Array {
    if (this.#hash === undefined) this.#hash = sha256dHeader(this.toBytes());
    return this.#hash;
  }

  /** Block hash as display hex. */
  hash(): string {
    if (this.#hashHex === undefined) this.#hashHex = hashToHex(this.hashBytes());
    return this.#hashHex;
  }

  /** The header's fields as a plain object. */
  toInit(): BlockHeaderInit {
    return {
      version: this.version,
      prevBlock: this.prevBlock,
      merkleRoot: this.merkleRoot,
      time: this.time,
      bits: this.bits,
      nonce: this.nonce,
    };
  }

  /** A copy with some fields changed (a miner's nonce or time). */
  with(changes: Partial<BlockHeaderInit>): BlockHeader {
    return new BlockHeader({ ...this.toInit(), ...changes });
  }
}
