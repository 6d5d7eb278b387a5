import {
  ByteReader,
  ByteWriter,
  DecodeError,
  DecodeReason,
  HEADER_SIZE,
  hashToHex,
  sha256d,
} from "@starling/chain";

/** Status bits of a header index entry (Bitcoin Core's BlockStatus, reduced to what Starling uses). */
export const HeaderStatus = {
  /** The full block is stored (`b` record). */
  HAVE_DATA: 1,
  /** Undo data for the block is stored (`u` record): it was connected at least once. */
  HAVE_UNDO: 2,
  /** The header passed its checks (proof of work, difficulty, time). */
  VALID_HEADER: 4,
  /** The block passed every check, scripts included (it was connected). */
  VALID_SCRIPTS: 8,
  /** The block itself broke a consensus rule. */
  FAILED: 16,
  /** An ancestor broke a consensus rule. */
  FAILED_CHILD: 32,
} as const;
export type HeaderStatus = (typeof HeaderStatus)[keyof typeof HeaderStatus];

export const FAILED_MASK: number = HeaderStatus.FAILED | HeaderStatus.FAILED_CHILD;

/** One entry of the header index. The hash is the key; the parent hash is inside the header. */
export interface HeaderRecord {
  /** The 80-byte header as on the wire. */
  header: Uint8Array;
  height: number;
  /** Cumulative work of the chain ending at this block. */
  chainWork: bigint;
  /** HeaderStatus bits. */
  status: number;
  /** Transactions in the block, 0 until the block data is known. */
  txCount: number;
}

/** Chain work is at most 2^256: 32 bytes big-endian at most. */
const MAX_WORK_BYTES = 33;

/** Block hash (display hex) of the entry: SHA-256d of its header. */
export const headerRecordHash = (record: HeaderRecord): string => hashToHex(sha256d(record.header));

/** Parent block hash (display hex): bytes 4..36 of the header. */
export const headerRecordParent = (record: HeaderRecord): string =>
  hashToHex(record.header.subarray(4, 36));

function workBytes(work: bigint): Uint8Array {
  if (work < 0n) throw new RangeError("chain work is negative");
  let hex = work.toString(16);
  if (work === 0n) return new Uint8Array(0);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (hex.length / 2 > MAX_WORK_BYTES) throw new RangeError("chain work above 2^264");
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

/**
 * header[80] | height u32 | status u32 | txCount u32 | chainWork (CompactSize length + big-endian
 * magnitude, no leading zero byte).
 */
export function encodeHeaderRecord(record: HeaderRecord): Uint8Array {
  if (record.header.length !== HEADER_SIZE) throw new RangeError("header must be 80 bytes");
  const w = new ByteWriter(HEADER_SIZE + 16 + 32);
  w.bytes(record.header).u32(record.height).u32(record.status).u32(record.txCount);
  w.varBytes(workBytes(record.chainWork));
  return w.finish();
}

export function decodeHeaderRecord(bytes: Uint8Array): HeaderRecord {
  const r = new ByteReader(bytes);
  const header = r.copy(HEADER_SIZE, "header");
  const height = r.u32();
  const status = r.u32();
  const txCount = r.u32();
  const work = r.varBytes("chain work", MAX_WORK_BYTES);
  if (work.length > 0 && work[0] === 0) {
    throw new DecodeError(DecodeReason.INVALID_ENCODING, "chain work has a leading zero byte");
  }
  r.end("header record");
  const chainWork = work.length === 0 ? 0n : BigInt(`0x${Buffer.from(work).toString("hex")}`);
  return { header, height, status, txCount, chainWork };
}
