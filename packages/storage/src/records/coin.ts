import {
  type ByteReader,
  type ByteWriter,
  compactSizeLength,
  DecodeError,
  DecodeReason,
} from "@starling/chain";

/**
 * An unspent output as the UTXO set keeps it. The same shape as `Coin` in @starling/chain's
 * consensus/utxo-view.ts: keep the field names identical.
 */
export interface Coin {
  /** Amount in base units. */
  value: bigint;
  scriptPubKey: Uint8Array;
  /** Height of the block that created it. */
  height: number;
  isCoinbase: boolean;
}

/** Heights fit 31 bits so that `height * 2 + coinbase` fits the u32 CompactSize. */
export const MAX_COIN_HEIGHT = 0x7fffffff;
const MAX_CODE = 0xffffffff;

/**
 * code = height * 2 + isCoinbase (CompactSize, as Core's) | value i64 LE (never negative) |
 * scriptPubKey (CompactSize length + bytes). Self-delimiting, so undo data concatenates coins.
 */
function checkCoin(coin: Coin): void {
  if (!Number.isInteger(coin.height) || coin.height < 0 || coin.height > MAX_COIN_HEIGHT) {
    throw new RangeError(`coin height ${coin.height} out of range`);
  }
  if (coin.value < 0n || coin.value > 0x7fffffffffffffffn) {
    throw new RangeError(`coin value ${coin.value} out of range`);
  }
}

export function writeCoin(w: ByteWriter, coin: Coin): void {
  checkCoin(coin);
  w.compactSize(coin.height * 2 + (coin.isCoinbase ? 1 : 0));
  w.i64(coin.value);
  w.varBytes(coin.scriptPubKey);
}

function putCompactSize(out: Uint8Array, view: DataView, offset: number, n: number): number {
  if (n < 0xfd) {
    out[offset] = n;
    return offset + 1;
  }
  if (n <= 0xffff) {
    out[offset] = 0xfd;
    view.setUint16(offset + 1, n, true);
    return offset + 3;
  }
  out[offset] = 0xfe;
  view.setUint32(offset + 1, n, true);
  return offset + 5;
}

/** Bytes `encodeCoin` produces for this coin. */
export function encodedCoinSize(coin: Coin): number {
  const len = coin.scriptPubKey.length;
  const code = coin.height * 2 + (coin.isCoinbase ? 1 : 0);
  return compactSizeLength(code) + 8 + compactSizeLength(len) + len;
}

/**
 * Writes the same bytes as writeCoin into `out` at `offset` (room for encodedCoinSize bytes) and
 * returns the offset after them: a flush encodes every dirty coin into one scratch buffer.
 */
export function encodeCoinInto(
  coin: Coin,
  out: Uint8Array,
  view: DataView,
  offset: number,
): number {
  checkCoin(coin);
  const script = coin.scriptPubKey;
  if (script.length > 0xffffffff) throw new RangeError("script too long");
  offset = putCompactSize(out, view, offset, coin.height * 2 + (coin.isCoinbase ? 1 : 0));
  view.setBigInt64(offset, coin.value, true);
  offset = putCompactSize(out, view, offset + 8, script.length);
  out.set(script, offset);
  return offset + script.length;
}

export function encodeCoin(coin: Coin): Uint8Array {
  const out = new Uint8Array(encodedCoinSize(coin));
  encodeCoinInto(coin, out, new DataView(out.buffer), 0);
  return out;
}

export function readCoin(r: ByteReader): Coin {
  const code = r.compactSize(MAX_CODE);
  const value = r.i64();
  if (value < 0n) throw new DecodeError(DecodeReason.INVALID_ENCODING, "negative coin value");
  const scriptLength = r.compactSize();
  // A copy: the input may be a view into a large read buffer that should not stay pinned.
  const scriptPubKey = r.copy(scriptLength, "scriptPubKey");
  return { value, scriptPubKey, height: Math.floor(code / 2), isCoinbase: code % 2 === 1 };
}

/** A canonical CompactSize at `offset` (at most u32): [value, next offset]. */
function getCompactSize(bytes: Uint8Array, offset: number): [number, number] {
  const first = bytes[offset];
  if (first === undefined) throw new DecodeError(DecodeReason.TRUNCATED, "compact size");
  if (first < 0xfd) return [first, offset + 1];
  if (first === 0xfd) {
    if (offset + 3 > bytes.length) throw new DecodeError(DecodeReason.TRUNCATED, "compact size");
    const v = bytes[offset + 1]! | (bytes[offset + 2]! << 8);
    if (v < 0xfd) throw new DecodeError(DecodeReason.NON_CANONICAL_SIZE, "0xfd prefix");
    return [v, offset + 3];
  }
  if (first === 0xfe) {
    if (offset + 5 > bytes.length) throw new DecodeError(DecodeReason.TRUNCATED, "compact size");
    const v =
      (bytes[offset + 1]! | (bytes[offset + 2]! << 8) | (bytes[offset + 3]! << 16)) +
      bytes[offset + 4]! * 0x1000000;
    if (v <= 0xffff) throw new DecodeError(DecodeReason.NON_CANONICAL_SIZE, "0xfe prefix");
    return [v, offset + 5];
  }
  throw new DecodeError(DecodeReason.SIZE_TOO_LARGE, "compact size above u32 in a coin");
}

/**
 * Decodes one coin that must span all of `bytes`: the same format and the same refusals as
 * readCoin (truncation, trailing bytes, non-canonical sizes, a negative value), without a
 * ByteReader, since a prefetch decodes every coin it reads.
 */
export function decodeCoin(bytes: Uint8Array): Coin {
  const [code, afterCode] = getCompactSize(bytes, 0);
  let o = afterCode;
  if (o + 8 > bytes.length) throw new DecodeError(DecodeReason.TRUNCATED, "coin value");
  const lo = (bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16)) + bytes[o + 3]! * 0x1000000;
  const hi =
    (bytes[o + 4]! | (bytes[o + 5]! << 8) | (bytes[o + 6]! << 16)) + bytes[o + 7]! * 0x1000000;
  if (hi >= 0x80000000) throw new DecodeError(DecodeReason.INVALID_ENCODING, "negative coin value");
  // Below 2^53 one Number-to-BigInt conversion does; above, compose the halves.
  const value = hi < 0x200000 ? BigInt(hi * 0x100000000 + lo) : (BigInt(hi) << 32n) | BigInt(lo);
  o += 8;
  const [scriptLength, scriptStart] = getCompactSize(bytes, o);
  if (scriptStart + scriptLength > bytes.length) {
    throw new DecodeError(DecodeReason.TRUNCATED, `scriptPubKey needs ${scriptLength} bytes`);
  }
  if (scriptStart + scriptLength !== bytes.length) {
    throw new DecodeError(
      DecodeReason.TRAILING_BYTES,
      `${bytes.length - scriptStart - scriptLength} bytes after coin`,
    );
  }
  // A copy (a Buffer's slice would be a view): the input may be a view into the large buffer of a
  // whole getMany, which should not stay pinned by the cache.
  const scriptPubKey = new Uint8Array(bytes.subarray(scriptStart, scriptStart + scriptLength));
  return { value, scriptPubKey, height: Math.floor(code / 2), isCoinbase: code % 2 === 1 };
}
