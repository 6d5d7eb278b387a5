import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Block,
  BlockHeader,
  merkleRoot,
  NULL_HASH_HEX,
  NULL_INDEX,
  sha256,
  Transaction,
  toHex,
} from "@starling/chain";
import type { Coin, Outpoint } from "../src/index.ts";

export const REPO_ROOT = new URL("../../../", import.meta.url).pathname;
export const NODE = join(REPO_ROOT, "node_modules", ".bin", "node");

/** A fresh temp directory for one test, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "starling-storage-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A deterministic txid (display hex) for test number `n`. */
export function txidOf(n: number | string): string {
  return toHex(sha256(new TextEncoder().encode(`tx-${n}`)));
}

export function outpoint(n: number | string, index = 0): Outpoint {
  return { txid: txidOf(n), index };
}

export function p2pkh(seed: number): Uint8Array {
  const script = new Uint8Array(25);
  script.set([0x76, 0xa9, 0x14]);
  script.fill(seed & 0xff, 3, 23);
  script.set([0x88, 0xac], 23);
  return script;
}

export function coin(seed: number, height = seed, isCoinbase = false): Coin {
  return { value: BigInt(seed) * 1000n + 1n, scriptPubKey: p2pkh(seed), height, isCoinbase };
}

export const NETWORK = { network: "regtest", genesisHash: txidOf("genesis") };

/** A block with a coinbase and one transaction spending each of `spends`, chained to `prevBlock`. */
export function makeBlock(height: number, prevBlock: string, spends: Outpoint[] = []): Block {
  const coinbase = new Transaction({
    version: 1,
    inputs: [
      {
        prevTxid: NULL_HASH_HEX,
        prevIndex: NULL_INDEX,
        scriptSig: Uint8Array.of(3, height & 0xff, (height >> 8) & 0xff, height >> 16),
        sequence: 0xffffffff,
      },
    ],
    outputs: [{ value: 50_0000_0000n, scriptPubKey: p2pkh(height) }],
    locktime: 0,
  });
  const spenders = spends.map(
    (op, i) =>
      new Transaction({
        version: 1,
        inputs: [
          {
            prevTxid: op.txid,
            prevIndex: op.index,
            scriptSig: Uint8Array.of(0x51),
            sequence: 0xffffffff,
          },
        ],
        outputs: [
          { value: 1000n + BigInt(i), scriptPubKey: p2pkh(200 + i) },
          { value: 2000n, scriptPubKey: p2pkh(height) },
        ],
        locktime: 0,
      }),
  );
  const transactions = [coinbase, ...spenders];
  const header = new BlockHeader({
    version: 1,
    prevBlock,
    merkleRoot: merkleRoot(transactions.map((t) => t.txid())),
    time: 1_700_000_000 + height,
    bits: 0x207fffff,
    nonce: height,
  });
  return new Block(header, transactions);
}

/** Promise.withResolvers, which the es2023 lib of the type-check does not declare. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** (txid, index) of test outpoint `n`, to spread into the cache's (txid, index) methods. */
export function at(n: number | string, index = 0): [txid: string, index: number] {
  return [txidOf(n), index];
}
