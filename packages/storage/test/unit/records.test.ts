import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DecodeError, hashToHex, sha256d, toHex } from "@starling/chain";
import fc from "fast-check";
import {
  type AddressOutput,
  type Coin,
  decodeAddressOutput,
  decodeBlockHash,
  decodeCoin,
  decodeHeaderRecord,
  decodeNetworkMarker,
  decodeSchemaVersion,
  decodeTip,
  decodeTxLocation,
  decodeUndo,
  encodeAddressOutput,
  encodeBlockHash,
  encodeCoin,
  encodeHeaderRecord,
  encodeNetworkMarker,
  encodeSchemaVersion,
  encodeTip,
  encodeTxLocation,
  encodeUndo,
  type HeaderRecord,
  HeaderStatus,
  headerRecordHash,
  headerRecordParent,
  MAX_COIN_HEIGHT,
  type TipRecord,
} from "../../src/index.ts";

/** fast-check 4 builds records without a prototype; deepEqual wants ordinary objects. */
const plain = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> => arb.map((v) => structuredClone(v));
const hashArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(hashToHex);
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const coinArb: fc.Arbitrary<Coin> = plain(
  fc.record({
    value: fc.bigInt({ min: 0n, max: 0x7fffffffffffffffn }),
    scriptPubKey: fc.uint8Array({ maxLength: 600 }),
    height: fc.integer({ min: 0, max: MAX_COIN_HEIGHT }),
    isCoinbase: fc.boolean(),
  }),
);
const pointArb = fc.record({ hash: hashArb, height: u32 });

/** Every strict prefix of a valid encoding must be refused with a DecodeError, never accepted. */
function assertTruncationsRefused(bytes: Uint8Array, decode: (b: Uint8Array) => unknown): void {
  for (let n = 0; n < bytes.length; n++) {
    assert.throws(() => decode(bytes.subarray(0, n)), DecodeError, `prefix of ${n} bytes`);
  }
}

function assertTrailingRefused(bytes: Uint8Array, decode: (b: Uint8Array) => unknown): void {
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  assert.throws(() => decode(longer), DecodeError);
}

describe("record codecs round-trip", () => {
  it("coin", () => {
    fc.assert(
      fc.property(coinArb, (coin) => {
        const bytes = encodeCoin(coin);
        assert.deepEqual(decodeCoin(bytes), coin);
        assertTrailingRefused(bytes, decodeCoin);
      }),
    );
    const bytes = encodeCoin({
      value: 5000000000n,
      scriptPubKey: new Uint8Array(25),
      height: 7,
      isCoinbase: true,
    });
    // code = 7 * 2 + 1 = 15, then the value little-endian, then the script with its length.
    assert.equal(toHex(bytes.subarray(0, 9)), "0f00f2052a01000000");
    assertTruncationsRefused(bytes, decodeCoin);
  });

  it("coin decode copies the script out of the input buffer", () => {
    const bytes = encodeCoin({
      value: 1n,
      scriptPubKey: Uint8Array.of(1, 2, 3),
      height: 1,
      isCoinbase: false,
    });
    const coin = decodeCoin(bytes);
    bytes.fill(0);
    assert.deepEqual([...coin.scriptPubKey], [1, 2, 3]);
    // RocksDB hands out Buffers, whose slice() is a view: the script must still be a copy.
    const big = Buffer.alloc(4096);
    const encoded = encodeCoin({
      value: 1n,
      scriptPubKey: Uint8Array.of(4, 5),
      height: 1,
      isCoinbase: false,
    });
    big.set(encoded, 100);
    const fromBuffer = decodeCoin(big.subarray(100, 100 + encoded.length));
    assert.notEqual(fromBuffer.scriptPubKey.buffer, big.buffer);
    big.fill(0);
    assert.deepEqual([...fromBuffer.scriptPubKey], [4, 5]);
  });

  it("coin refuses a negative value and out-of-range fields", () => {
    const bytes = encodeCoin({
      value: 1n,
      scriptPubKey: new Uint8Array(0),
      height: 1,
      isCoinbase: false,
    });
    bytes[8] = 0x80; // top byte of the i64 value
    assert.throws(() => decodeCoin(bytes), DecodeError);
    assert.throws(
      () =>
        encodeCoin({ value: -1n, scriptPubKey: new Uint8Array(0), height: 0, isCoinbase: false }),
      RangeError,
    );
    assert.throws(
      () =>
        encodeCoin({
          value: 0n,
          scriptPubKey: new Uint8Array(0),
          height: MAX_COIN_HEIGHT + 1,
          isCoinbase: false,
        }),
      RangeError,
    );
  });

  it("header record", () => {
    const recordArb: fc.Arbitrary<HeaderRecord> = plain(
      fc.record({
        header: fc.uint8Array({ minLength: 80, maxLength: 80 }),
        height: u32,
        chainWork: fc.bigInt({ min: 0n, max: 1n << 256n }),
        status: fc.integer({ min: 0, max: 63 }),
        txCount: u32,
      }),
    );
    fc.assert(
      fc.property(recordArb, (record) => {
        const bytes = encodeHeaderRecord(record);
        assert.deepEqual(decodeHeaderRecord(bytes), record);
        assertTrailingRefused(bytes, decodeHeaderRecord);
      }),
    );
    const header = new Uint8Array(80);
    header.fill(0xab, 4, 36);
    const record = {
      header,
      height: 3,
      chainWork: 0x1234n,
      status: HeaderStatus.HAVE_DATA | HeaderStatus.VALID_SCRIPTS,
      txCount: 2,
    };
    const bytes = encodeHeaderRecord(record);
    assertTruncationsRefused(bytes, decodeHeaderRecord);
    assert.equal(headerRecordParent(record), "ab".repeat(32));
    assert.equal(headerRecordHash(record), hashToHex(sha256d(header)));
  });

  it("header record refuses a chain work with a leading zero byte", () => {
    const bytes = encodeHeaderRecord({
      header: new Uint8Array(80),
      height: 0,
      chainWork: 0x1234n,
      status: 0,
      txCount: 0,
    });
    const tampered = new Uint8Array(bytes.length + 1);
    tampered.set(bytes.subarray(0, 92));
    tampered[92] = 3; // length 3 instead of 2
    tampered[93] = 0; // leading zero
    tampered.set(bytes.subarray(93), 94);
    assert.throws(() => decodeHeaderRecord(tampered), DecodeError);
  });

  it("tip, with and without the flush marker", () => {
    const tipArb: fc.Arbitrary<TipRecord> = plain(
      fc.record({ best: pointArb, flushingTo: pointArb }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(tipArb, (tip) => {
        const bytes = encodeTip(tip);
        assert.deepEqual(decodeTip(bytes), tip);
        assertTruncationsRefused(bytes, decodeTip);
        assertTrailingRefused(bytes, decodeTip);
      }),
    );
    assert.throws(() => decodeTip(Uint8Array.of(4)), DecodeError);
  });

  it("undo", () => {
    fc.assert(
      fc.property(fc.array(coinArb, { maxLength: 20 }), (coins) => {
        const bytes = encodeUndo(coins);
        assert.deepEqual(decodeUndo(bytes), coins);
        assertTrailingRefused(bytes, decodeUndo);
      }),
    );
    const bytes = encodeUndo([
      { value: 1n, scriptPubKey: Uint8Array.of(9), height: 1, isCoinbase: true },
      { value: 2n, scriptPubKey: Uint8Array.of(8, 7), height: 2, isCoinbase: false },
    ]);
    assertTruncationsRefused(bytes, decodeUndo);
    // A count far beyond the bytes is refused before allocating.
    assert.throws(() => decodeUndo(Uint8Array.of(0xfe, 0xff, 0xff, 0xff, 0x00)), DecodeError);
  });

  it("tx location", () => {
    fc.assert(
      fc.property(plain(fc.record({ blockHash: hashArb, offset: u32, length: u32 })), (loc) => {
        const bytes = encodeTxLocation(loc);
        assert.equal(bytes.length, 40);
        assert.deepEqual(decodeTxLocation(bytes), loc);
        assertTruncationsRefused(bytes, decodeTxLocation);
        assertTrailingRefused(bytes, decodeTxLocation);
      }),
    );
  });

  it("address output", () => {
    const arb: fc.Arbitrary<AddressOutput> = plain(
      fc.record({ height: u32, value: fc.bigInt({ min: 0n, max: 0x7fffffffffffffffn }) }),
    );
    fc.assert(
      fc.property(arb, (entry) => {
        const bytes = encodeAddressOutput(entry);
        assert.deepEqual(decodeAddressOutput(bytes), entry);
        assertTruncationsRefused(bytes, decodeAddressOutput);
        assertTrailingRefused(bytes, decodeAddressOutput);
      }),
    );
  });

  it("network marker", () => {
    const arb = plain(fc.record({ network: fc.string({ maxLength: 20 }), genesisHash: hashArb }));
    fc.assert(
      fc.property(arb, (marker) => {
        const bytes = encodeNetworkMarker(marker);
        assert.deepEqual(decodeNetworkMarker(bytes), marker);
        assertTruncationsRefused(bytes, decodeNetworkMarker);
        assertTrailingRefused(bytes, decodeNetworkMarker);
      }),
    );
    const bad = encodeNetworkMarker({ network: "ab", genesisHash: "00".repeat(32) });
    bad[1] = 0xff; // not UTF-8
    assert.throws(() => decodeNetworkMarker(bad), DecodeError);
  });

  it("schema version and main-chain block hash", () => {
    fc.assert(
      fc.property(u32, hashArb, (version, hash) => {
        assert.equal(decodeSchemaVersion(encodeSchemaVersion(version)), version);
        assert.equal(decodeBlockHash(encodeBlockHash(hash)), hash);
      }),
    );
    assert.throws(() => decodeSchemaVersion(Uint8Array.of(1, 0, 0)), DecodeError);
    assert.throws(() => decodeBlockHash(new Uint8Array(31)), DecodeError);
    assert.throws(() => decodeBlockHash(new Uint8Array(33)), DecodeError);
  });
});
