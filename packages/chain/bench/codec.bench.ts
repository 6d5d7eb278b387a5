import { hash } from "node:crypto";
import type { Bench, Mode } from "@starling/bench";
import { measure } from "@starling/bench";
import { Block, computeMerkleRoot, Transaction } from "../src/index.ts";
import { syntheticBlock } from "./fixtures.ts";

const txCount = (mode: Mode): number => (mode === "smoke" ? 50 : mode === "quick" ? 2000 : 8000);

/** One-shot SHA-256d through OpenSSL, the floor for anything that must hash the same bytes. */
function opensslSha256d(data: Uint8Array): Buffer {
  return hash("sha256", hash("sha256", data, "buffer"), "buffer");
}

export const benches: Bench[] = [
  {
    name: "block-decode",
    unit: "MB/s",
    better: "higher",
    async setup(mode) {
      const bytes = syntheticBlock(txCount(mode)).toBytes();
      const mb = bytes.length / 1e6;
      return {
        limitName: "OpenSSL SHA-256d over the same bytes",
        limit: () =>
          measure(() => {
            opensslSha256d(bytes);
            return mb;
          }),
        project: () =>
          measure(() => {
            Block.fromBytes(bytes);
            return mb;
          }),
      };
    },
  },
  {
    name: "txid",
    unit: "tx/s",
    better: "higher",
    async setup(mode) {
      const raws = syntheticBlock(txCount(mode)).transactions.map((t) => t.toBytes());
      return {
        limitName: "OpenSSL SHA-256d of each serialized tx",
        limit: () =>
          measure(() => {
            for (const raw of raws) opensslSha256d(raw);
            return raws.length;
          }),
        // Decode plus txid: what a node does for every transaction it receives.
        project: () =>
          measure(() => {
            for (const raw of raws) Transaction.fromBytes(raw).txid();
            return raws.length;
          }),
      };
    },
  },
  {
    name: "merkle-root",
    unit: "node/s",
    better: "higher",
    async setup(mode) {
      const leaves = syntheticBlock(txCount(mode)).transactions.map((t) => t.txidBytes());
      let nodes = 0;
      for (let n = leaves.length; n > 1; n = Math.ceil(n / 2)) nodes += Math.ceil(n / 2);
      const pair = new Uint8Array(64);
      return {
        limitName: "OpenSSL SHA-256d of 64 bytes, same node count",
        limit: () =>
          measure(() => {
            for (let i = 0; i < nodes; i++) opensslSha256d(pair);
            return nodes;
          }),
        project: () =>
          measure(() => {
            computeMerkleRoot(leaves);
            return nodes;
          }),
      };
    },
  },
];
