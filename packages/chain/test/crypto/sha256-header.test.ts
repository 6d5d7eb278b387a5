import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { sha256d, sha256dHeader, toHex } from "../../src/index.ts";

test("sha256dHeader equals SHA-256d through OpenSSL on any 80 bytes", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 80, maxLength: 80 }), (header) => {
      assert.equal(toHex(sha256dHeader(header)), toHex(sha256d(header)));
    }),
    { numRuns: 2000 },
  );
});

test("sha256dHeader refuses anything but 80 bytes", () => {
  assert.throws(() => sha256dHeader(new Uint8Array(79)), RangeError);
  assert.throws(() => sha256dHeader(new Uint8Array(81)), RangeError);
});
