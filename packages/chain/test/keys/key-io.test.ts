import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { toHex } from "../../src/encoding/hex.ts";
import { DecodeError } from "../../src/errors.ts";
import {
  addressToScript,
  decodeAddress,
  isValidAddress,
  scriptToAddress,
} from "../../src/keys/address.ts";
import { decodeWif, encodeWif } from "../../src/keys/wif.ts";
import type { AddressPrefixes } from "../../src/params/prefixes.ts";

const DIR = fileURLToPath(new URL("../../../../../shared/vectors/bitcoin-core/", import.meta.url));
const noVectors = existsSync(DIR) ? false : "../shared/vectors not found";

// Bitcoin's base58 version bytes (chainparams.cpp); signet and regtest share testnet's.
const BITCOIN_MAIN: AddressPrefixes = { pubkeyHash: 0, scriptHash: 5, wif: 128 };
const BITCOIN_TEST: AddressPrefixes = { pubkeyHash: 111, scriptHash: 196, wif: 239 };
const PREFIXES: Record<string, AddressPrefixes> = {
  main: BITCOIN_MAIN,
  test: BITCOIN_TEST,
  signet: BITCOIN_TEST,
  regtest: BITCOIN_TEST,
};

type ValidRow = [string, string, { chain: string; isPrivkey: boolean; isCompressed?: boolean }];

function read<T>(name: string): T[] {
  return JSON.parse(readFileSync(`${DIR}${name}`, "utf8")) as T[];
}

function isBech32(text: string): boolean {
  return /^(bc|tb|bcrt)1/i.test(text);
}

function throwsDecodeError(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch (err) {
    if (err instanceof DecodeError) return true;
    throw err;
  }
}

describe("key_io_valid.json (Core)", { skip: noVectors }, () => {
  it("decodes and re-encodes every base58 address and WIF key; bech32 skipped", (t) => {
    const rows = read<ValidRow>("key_io_valid.json");
    let addresses = 0;
    let keys = 0;
    let bech32 = 0;
    for (const [text, payloadHex, meta] of rows) {
      if (isBech32(text)) {
        bech32++;
        continue;
      }
      const prefixes = PREFIXES[meta.chain];
      assert.ok(prefixes, `unknown chain ${meta.chain}`);
      if (meta.isPrivkey) {
        const decoded = decodeWif(text, prefixes);
        assert.equal(toHex(decoded.privateKey), payloadHex, text);
        assert.equal(decoded.compressed, meta.isCompressed, text);
        assert.equal(encodeWif(decoded.privateKey, prefixes, decoded.compressed), text);
        assert.equal(isValidAddress(text, prefixes), false, `privkey as address: ${text}`);
        keys++;
      } else {
        assert.equal(toHex(addressToScript(text, prefixes)), payloadHex, text);
        assert.equal(scriptToAddress(addressToScript(text, prefixes), prefixes), text);
        assert.ok(
          throwsDecodeError(() => decodeWif(text, prefixes)),
          `address as privkey: ${text}`,
        );
        addresses++;
      }
    }
    assert.equal(addresses + keys + bech32, rows.length);
    assert.ok(addresses >= 20 && keys >= 16);
    t.diagnostic(`base58 addresses ${addresses}, WIF keys ${keys}, bech32 skipped ${bech32}`);
  });
});

describe("key_io_invalid.json (Core)", { skip: noVectors }, () => {
  it("rejects every string as an address and as a key on every chain", (t) => {
    const rows = read<[string]>("key_io_invalid.json");
    assert.ok(rows.length >= 50);
    for (const [text] of rows) {
      for (const [chain, prefixes] of Object.entries(PREFIXES)) {
        assert.ok(
          throwsDecodeError(() => decodeAddress(text, prefixes)),
          `${chain} address ${text}`,
        );
        assert.ok(
          throwsDecodeError(() => decodeWif(text, prefixes)),
          `${chain} key ${text}`,
        );
      }
    }
    t.diagnostic(`invalid strings ${rows.length}`);
  });
});
