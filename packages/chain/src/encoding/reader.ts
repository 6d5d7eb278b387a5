import { DecodeError, DecodeReason } from "../errors.ts";
import { MAX_COMPACT_SIZE } from "./compact-size.ts";

/**
 * A cursor over bytes for the consensus codecs. Every read checks the bytes left first and throws
 * DecodeError(TRUNCATED); lengths read from the data are checked against the bytes left before any
 * allocation, so a hostile length costs nothing.
 */
export class ByteReader {
  readonly bytes: Uint8Array;
  offset: number;
  private readonly view: DataView;

  constructor(bytes: Uint8Array, offset = 0) {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("ByteReader: expected a Uint8Array");
    this.bytes = bytes;
    this.offset = offset;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  private need(n: number, what: string): void {
    if (n > this.bytes.length - this.offset) {
      throw new DecodeError(
        DecodeReason.TRUNCATED,
        `${what} needs ${n} bytes, ${this.remaining} left`,
      );
    }
  }

  u8(): number {
    this.need(1, "u8");
    return this.bytes[this.offset++]!;
  }

  u16(): number {
    this.need(2, "u16");
    const v = this.view.getUint16(this.offset, true);
    this.offset += 2;
    return v;
  }

  u32(): number {
    this.need(4, "u32");
    const v = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return v;
  }

  i32(): number {
    this.need(4, "i32");
    const v = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }

  u64(): bigint {
    this.need(8, "u64");
    const v = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    return v;
  }

  i64(): bigint {
    this.need(8, "i64");
    const v = this.view.getBigInt64(this.offset, true);
    this.offset += 8;
    return v;
  }

  /** A view (not a copy) of the next n bytes. */
  bytesView(n: number, what = "bytes"): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  /** A copy of the next n bytes, so the result does not pin the whole input in memory. */
  copy(n: number, what = "bytes"): Uint8Array {
    // Uint8Array.from, not .slice(): on a Node Buffer .slice() is a view, not a copy.
    return Uint8Array.from(this.bytesView(n, what));
  }

  /** A canonical CompactSize no larger than `max` (default Bitcoin Core's MAX_SIZE). */
  compactSize(max: number = MAX_COMPACT_SIZE): number {
    const first = this.u8();
    let value: number;
    if (first < 0xfd) {
      value = first;
    } else if (first === 0xfd) {
      value = this.u16();
      if (value < 0xfd) throw new DecodeError(DecodeReason.NON_CANONICAL_SIZE, "0xfd prefix");
    } else if (first === 0xfe) {
      value = this.u32();
      if (value <= 0xffff) throw new DecodeError(DecodeReason.NON_CANONICAL_SIZE, "0xfe prefix");
    } else {
      const big = this.u64();
      if (big <= 0xffffffffn) throw new DecodeError(DecodeReason.NON_CANONICAL_SIZE, "0xff prefix");
      throw new DecodeError(DecodeReason.SIZE_TOO_LARGE, `compact size ${big} > ${max}`);
    }
    if (value > max)
      throw new DecodeError(DecodeReason.SIZE_TOO_LARGE, `compact size ${value} > ${max}`);
    return value;
  }

  /**
   * A count of items, each at least `minItemSize` bytes: refused before allocation when the bytes
   * left could not hold that many.
   */
  count(minItemSize: number, what: string, max: number = MAX_COMPACT_SIZE): number {
    const n = this.compactSize(max);
    if (n * minItemSize > this.remaining) {
      throw new DecodeError(
        DecodeReason.COUNT_EXCEEDS_DATA,
        `${n} ${what} need at least ${n * minItemSize} bytes, ${this.remaining} left`,
      );
    }
    return n;
  }

  /**
   * CompactSize-prefixed bytes, as a view into the input (no copy: a decoded block's scripts share
   * its buffer, which saves an allocation per script; decoders document that the input must not be
   * mutated afterwards).
   */
  varBytes(what = "var bytes", max: number = MAX_COMPACT_SIZE): Uint8Array {
    const n = this.compactSize(max);
    return this.bytesView(n, what);
  }

  /** Throws unless every byte was consumed. */
  end(what: string): void {
    if (this.offset !== this.bytes.length) {
      throw new DecodeError(DecodeReason.TRAILING_BYTES, `${this.remaining} bytes after ${what}`);
    }
  }
}
