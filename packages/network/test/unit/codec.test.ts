import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DecodeError } from "@starling/chain";
import fc from "fast-check";
import {
  decodeBlocksRequest,
  decodeHeaders,
  decodeHeadersRequest,
  decodeMempoolRequest,
  decodeStatus,
  decodeTxids,
  decodeTxsRequest,
  encodeHashList,
  encodeHeaders,
  encodeHeadersRequest,
  encodeMempoolRequest,
  encodeStatus,
  encodeTxids,
} from "../../src/reqresp/codec.ts";
import { chunkFrame, decodeFrame, endFrame, errorFrame } from "../../src/reqresp/frames.ts";

const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe("req/resp codec", () => {
  it("status round-trips for any value in range", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9-]{1,32}$/),
        hash,
        fc.integer({ min: 0, max: 0xffffffff }),
        hash,
        fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }),
        (network, genesisHash, bestHeight, bestHash, chainWork) => {
          const status = { network, genesisHash, bestHeight, bestHash, chainWork };
          assert.deepEqual(decodeStatus(encodeStatus(status)), status);
        },
      ),
    );
  });

  it("status refuses trailing bytes, truncation and a long network name", () => {
    const status = {
      network: "regtest",
      genesisHash: new Uint8Array(32),
      bestHeight: 1,
      bestHash: new Uint8Array(32),
      chainWork: 5n,
    };
    const bytes = encodeStatus(status);
    assert.throws(() => decodeStatus(Uint8Array.of(...bytes, 0)), DecodeError);
    assert.throws(() => decodeStatus(bytes.subarray(0, bytes.length - 1)), DecodeError);
    const longName = Uint8Array.of(40, ...new Uint8Array(40 + 32 + 4 + 32 + 32));
    assert.throws(() => decodeStatus(longName), DecodeError);
    assert.throws(() => encodeStatus({ ...status, chainWork: 1n << 256n }), RangeError);
  });

  it("headers requests round-trip and are bounded", () => {
    fc.assert(
      fc.property(
        fc.array(hash, { maxLength: 101 }),
        hash,
        fc.integer({ min: 1, max: 2000 }),
        (locator, stop, max) => {
          assert.deepEqual(decodeHeadersRequest(encodeHeadersRequest({ locator, stop, max })), {
            locator,
            stop,
            max,
          });
        },
      ),
    );
    const tooMany = encodeHeadersRequest({
      locator: Array.from({ length: 102 }, () => new Uint8Array(32)),
      stop: new Uint8Array(32),
      max: 1,
    });
    assert.throws(() => decodeHeadersRequest(tooMany), DecodeError);
    const zeroMax = encodeHeadersRequest({ locator: [], stop: new Uint8Array(32), max: 0 });
    assert.throws(() => decodeHeadersRequest(zeroMax), DecodeError);
  });

  it("a hostile count is refused before any allocation", () => {
    // CompactSize 0xfe + 0xffffffff hashes announced in 5 bytes.
    const bytes = Uint8Array.of(0xfe, 0xff, 0xff, 0xff, 0xff);
    assert.throws(() => decodeBlocksRequest(bytes), DecodeError);
    assert.throws(() => decodeTxsRequest(Uint8Array.of(0x02, ...new Uint8Array(32))), DecodeError);
  });

  it("hash lists respect the per-protocol caps", () => {
    const sixteen = Array.from({ length: 16 }, (_, i) => new Uint8Array(32).fill(i));
    assert.deepEqual(decodeBlocksRequest(encodeHashList(sixteen)), sixteen);
    assert.throws(
      () => decodeBlocksRequest(encodeHashList([...sixteen, sixteen[0]!])),
      DecodeError,
    );
    assert.throws(() => decodeBlocksRequest(encodeHashList([])), DecodeError);
    const many = Array.from({ length: 256 }, () => new Uint8Array(32));
    assert.equal(decodeTxsRequest(encodeHashList(many)).length, 256);
    assert.throws(() => decodeTxsRequest(encodeHashList([...many, many[0]!])), DecodeError);
  });

  it("headers and txids chunks are checked against what was asked", () => {
    const headers = [new Uint8Array(80).fill(1), new Uint8Array(80).fill(2)];
    assert.deepEqual(decodeHeaders(encodeHeaders(headers), 2), headers);
    assert.throws(() => decodeHeaders(encodeHeaders(headers), 1), DecodeError);
    assert.throws(() => decodeHeaders(new Uint8Array(81), 5), DecodeError);
    const ids = [new Uint8Array(32).fill(3)];
    assert.deepEqual(decodeTxids(encodeTxids(ids), 1), ids);
    assert.throws(() => decodeTxids(new Uint8Array(33), 5), DecodeError);
    assert.equal(decodeMempoolRequest(encodeMempoolRequest(7)), 7);
    assert.throws(() => decodeMempoolRequest(encodeMempoolRequest(50_001)), DecodeError);
  });

  it("frames: chunk, end and error, and garbage is a DecodeError", () => {
    assert.deepEqual(decodeFrame(chunkFrame(Uint8Array.of(1, 2))), {
      type: "chunk",
      payload: Uint8Array.of(1, 2),
    });
    assert.deepEqual(decodeFrame(endFrame()), { type: "end" });
    assert.deepEqual(decodeFrame(errorFrame("RATE_LIMITED", "slow down")), {
      type: "error",
      code: "RATE_LIMITED",
      reason: "slow down",
    });
    assert.throws(() => decodeFrame(new Uint8Array(0)), DecodeError);
    assert.throws(() => decodeFrame(Uint8Array.of(9)), DecodeError);
    assert.throws(() => decodeFrame(Uint8Array.of(1, 0)), DecodeError);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeFrame(bytes);
        } catch (err) {
          assert.ok(err instanceof DecodeError, `only DecodeError, got ${String(err)}`);
        }
      }),
    );
  });
});
