import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareBytes, DecodeError, equalBytes, hashToHex, hexToHash } from "@starling/chain";
import fc from "fast-check";
import {
  addressKey,
  addressPrefix,
  coinKey,
  mainChainKey,
  outpointFromKey,
  PREFIX_NAMES,
  Prefix,
  prefixEnd,
  RETIRED_PREFIXES,
} from "../../src/index.ts";
import { p2pkh, txidOf } from "../helpers.ts";

describe("layout", () => {
  it("gives every record kind its own prefix byte, none of them retired", () => {
    const values = Object.values(Prefix);
    assert.equal(new Set(values).size, values.length);
    for (const v of values) {
      assert.ok(!RETIRED_PREFIXES.includes(v), `prefix ${v} is retired`);
      assert.ok(PREFIX_NAMES[v], `prefix ${v} has a name`);
    }
  });

  it("orders main-chain keys by height", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (a, b) => {
          const c = compareBytes(mainChainKey(a), mainChainKey(b));
          assert.equal(Math.sign(c), Math.sign(a - b));
        },
      ),
    );
  });

  it("orders coin keys by txid bytes, then output index numerically", () => {
    const txid = txidOf(1);
    assert.ok(compareBytes(coinKey({ txid, index: 2 }), coinKey({ txid, index: 256 })) < 0);
    assert.ok(compareBytes(coinKey({ txid, index: 255 }), coinKey({ txid, index: 0x1000000 })) < 0);
    // Internal byte order: the first key byte after the prefix is the last display-hex byte.
    const a = coinKey({ txid: `${"ff".repeat(31)}00`, index: 0 });
    const b = coinKey({ txid: `${"00".repeat(31)}01`, index: 0 });
    assert.ok(compareBytes(a, b) < 0);
  });

  it("recovers outpoints from coin and address keys", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (hash, index) => {
          const op = { txid: hashToHex(hash), index };
          assert.deepEqual(outpointFromKey(coinKey(op)), op);
          assert.deepEqual(outpointFromKey(addressKey(p2pkh(3), op)), op);
        },
      ),
    );
  });

  it("puts an address key under its script's prefix", () => {
    const key = addressKey(p2pkh(5), { txid: txidOf(2), index: 1 });
    const prefix = addressPrefix(p2pkh(5));
    assert.ok(equalBytes(key.subarray(0, prefix.length), prefix));
    const end = prefixEnd(prefix)!;
    assert.ok(compareBytes(key, end) < 0);
    assert.notDeepEqual(addressPrefix(p2pkh(6)), prefix);
  });

  it("writes txids in internal byte order, and refuses a txid that is not 64 hex digits", () => {
    const txid = txidOf(9);
    assert.ok(equalBytes(coinKey({ txid, index: 0 }).subarray(1, 33), hexToHash(txid)));
    assert.ok(
      equalBytes(coinKey({ txid: txid.toUpperCase(), index: 0 }), coinKey({ txid, index: 0 })),
    );
    assert.throws(() => coinKey({ txid: `${txid.slice(0, 62)}zz`, index: 0 }), DecodeError);
    assert.throws(() => coinKey({ txid: txid.slice(2), index: 0 }), DecodeError);
  });

  it("refuses heights and indexes that are not u32", () => {
    assert.throws(() => mainChainKey(-1), RangeError);
    assert.throws(() => mainChainKey(2 ** 32), RangeError);
    assert.throws(() => coinKey({ txid: txidOf(1), index: 1.5 }), RangeError);
  });

  it("computes the end of a prefix range", () => {
    assert.deepEqual(prefixEnd(Uint8Array.of(1, 2)), Uint8Array.of(1, 3));
    assert.deepEqual(prefixEnd(Uint8Array.of(1, 0xff)), Uint8Array.of(2));
    assert.equal(prefixEnd(Uint8Array.of(0xff, 0xff)), undefined);
  });
});
