import { ByteReader, ByteWriter, DecodeError, DecodeReason } from "@starling/chain";
import {
  HASH_BYTES,
  HEADER_BYTES,
  MAX_BLOCKS_PER_REQUEST,
  MAX_HEADERS_PER_REQUEST,
  MAX_LOCATOR_HASHES,
  MAX_MEMPOOL_TXIDS,
  MAX_NETWORK_NAME_BYTES,
  MAX_TXS_PER_REQUEST,
} from "../constants.ts";
import type { PeerStatus } from "../types.ts";

/**
 * Encodings of the request/response messages: Bitcoin-style binary (little-endian integers,
 * CompactSize counts, raw 32-byte hashes in internal order) with @starling/chain's ByteReader and
 * ByteWriter. Every decoder checks counts against limits before allocating and throws DecodeError
 * on anything non-canonical or left over. docs/network.md gives the reasons for not using protobuf.
 */

const CHAIN_WORK_BYTES = 32;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder("utf-8", { fatal: true });

function invalid(message: string): DecodeError {
  return new DecodeError(DecodeReason.INVALID_ENCODING, message);
}

function readHashes(r: ByteReader, min: number, max: number, what: string): Uint8Array[] {
  const n = r.count(HASH_BYTES, what, max);
  if (n < min) throw invalid(`${what}: ${n} < ${min}`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(r.copy(HASH_BYTES, what));
  return out;
}

function writeHashes(w: ByteWriter, hashes: readonly Uint8Array[]): void {
  w.compactSize(hashes.length);
  for (const h of hashes) {
    if (h.length !== HASH_BYTES) throw new RangeError(`hash of ${h.length} bytes, expected 32`);
    w.bytes(h);
  }
}

// --- status -------------------------------------------------------------------------------------

export function encodeStatus(status: PeerStatus): Uint8Array {
  const name = textEncoder.encode(status.network);
  if (name.length > MAX_NETWORK_NAME_BYTES) throw new RangeError("network name too long");
  if (status.chainWork < 0n || status.chainWork >= 1n << 256n) {
    throw new RangeError("chainWork out of uint256 range");
  }
  if (
    !Number.isInteger(status.bestHeight) ||
    status.bestHeight < 0 ||
    status.bestHeight > 0xffffffff
  ) {
    throw new RangeError("bestHeight out of u32 range");
  }
  const work = new Uint8Array(CHAIN_WORK_BYTES);
  let v = status.chainWork;
  for (let i = CHAIN_WORK_BYTES - 1; i >= 0; i--) {
    work[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return new ByteWriter(140)
    .varBytes(name)
    .bytes(checkedHash(status.genesisHash))
    .u32(status.bestHeight)
    .bytes(checkedHash(status.bestHash))
    .bytes(work)
    .finish();
}

export function decodeStatus(bytes: Uint8Array): PeerStatus {
  const r = new ByteReader(bytes);
  const nameBytes = r.varBytes("network name", MAX_NETWORK_NAME_BYTES);
  let network: string;
  try {
    network = textDecoder.decode(nameBytes);
  } catch {
    throw invalid("network name is not UTF-8");
  }
  const genesisHash = r.copy(HASH_BYTES, "genesis hash");
  const bestHeight = r.u32();
  const bestHash = r.copy(HASH_BYTES, "best hash");
  let chainWork = 0n;
  for (const byte of r.bytesView(CHAIN_WORK_BYTES, "chain work")) {
    chainWork = (chainWork << 8n) | BigInt(byte);
  }
  r.end("status");
  return { network, genesisHash, bestHeight, bestHash, chainWork };
}

function checkedHash(h: Uint8Array): Uint8Array {
  if (h.length !== HASH_BYTES) throw new RangeError(`hash of ${h.length} bytes, expected 32`);
  return h;
}

// --- headers ------------------------------------------------------------------------------------

export interface HeadersRequest {
  locator: Uint8Array[];
  stop: Uint8Array;
  max: number;
}

export function encodeHeadersRequest(req: HeadersRequest): Uint8Array {
  const w = new ByteWriter(40 + req.locator.length * HASH_BYTES);
  writeHashes(w, req.locator);
  return w.bytes(checkedHash(req.stop)).u16(req.max).finish();
}

export function decodeHeadersRequest(bytes: Uint8Array): HeadersRequest {
  const r = new ByteReader(bytes);
  const locator = readHashes(r, 0, MAX_LOCATOR_HASHES, "locator hashes");
  const stop = r.copy(HASH_BYTES, "stop hash");
  const max = r.u16();
  if (max < 1 || max > MAX_HEADERS_PER_REQUEST) throw invalid(`max headers ${max}`);
  r.end("headers request");
  return { locator, stop, max };
}

/** One chunk of concatenated 80-byte headers. */
export function encodeHeaders(headers: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(headers.length * HEADER_BYTES);
  headers.forEach((h, i) => {
    if (h.length !== HEADER_BYTES) throw new RangeError(`header of ${h.length} bytes`);
    out.set(h, i * HEADER_BYTES);
  });
  return out;
}

export function decodeHeaders(bytes: Uint8Array, max: number): Uint8Array[] {
  if (bytes.length % HEADER_BYTES !== 0) {
    throw new DecodeError(DecodeReason.INVALID_LENGTH, `${bytes.length} is not a multiple of 80`);
  }
  const n = bytes.length / HEADER_BYTES;
  if (n > max) throw invalid(`${n} headers, at most ${max} asked`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(bytes.slice(i * HEADER_BYTES, (i + 1) * HEADER_BYTES));
  return out;
}

// --- blocks / txs by hash -----------------------------------------------------------------------

export function encodeHashList(hashes: readonly Uint8Array[]): Uint8Array {
  const w = new ByteWriter(4 + hashes.length * HASH_BYTES);
  writeHashes(w, hashes);
  return w.finish();
}

function decodeHashList(bytes: Uint8Array, max: number, what: string): Uint8Array[] {
  const r = new ByteReader(bytes);
  const hashes = readHashes(r, 1, max, what);
  r.end(what);
  return hashes;
}

export function decodeBlocksRequest(bytes: Uint8Array): Uint8Array[] {
  return decodeHashList(bytes, MAX_BLOCKS_PER_REQUEST, "block hashes");
}

export function decodeTxsRequest(bytes: Uint8Array): Uint8Array[] {
  return decodeHashList(bytes, MAX_TXS_PER_REQUEST, "txids");
}

// --- mempool ------------------------------------------------------------------------------------

export function encodeMempoolRequest(max: number): Uint8Array {
  return new ByteWriter(4).u32(max).finish();
}

export function decodeMempoolRequest(bytes: Uint8Array): number {
  const r = new ByteReader(bytes);
  const max = r.u32();
  if (max < 1 || max > MAX_MEMPOOL_TXIDS) throw invalid(`max txids ${max}`);
  r.end("mempool request");
  return max;
}

/** One chunk of concatenated 32-byte txids. */
export function encodeTxids(txids: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(txids.length * HASH_BYTES);
  for (let i = 0; i < txids.length; i++) out.set(checkedHash(txids[i]!), i * HASH_BYTES);
  return out;
}

export function decodeTxids(bytes: Uint8Array, max: number): Uint8Array[] {
  if (bytes.length % HASH_BYTES !== 0) {
    throw new DecodeError(DecodeReason.INVALID_LENGTH, `${bytes.length} is not a multiple of 32`);
  }
  const n = bytes.length / HASH_BYTES;
  if (n > max) throw invalid(`${n} txids, at most ${max} asked`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(bytes.slice(i * HASH_BYTES, (i + 1) * HASH_BYTES));
  return out;
}
