import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bench, Measurement, Mode } from "@starling/bench";
import { measure, nativeReference } from "@starling/bench";
import { ChainState, regtest as params } from "@starling/chain";
import { KvChainStateStore, RocksDbStore } from "@starling/storage";
import { createVerifyPool } from "../src/index.ts";
import { buildSpendWorkload } from "./regtest-workload.ts";

const shape = (mode: Mode): { rounds: number; perBlock: number } =>
  mode === "smoke"
    ? { rounds: 1, perBlock: 20 }
    : mode === "quick"
      ? { rounds: 4, perBlock: 1_000 }
      : { rounds: 10, perBlock: 2_000 };

/** Coin-sized records: 37-byte keys (prefix, txid, index) and 33-byte values, as a P2PKH coin. */
function records(n: number): { keys: Buffer[]; values: Buffer[] } {
  return {
    keys: Array.from({ length: n }, () => randomBytes(37)),
    values: Array.from({ length: n }, () => randomBytes(33)),
  };
}

/**
 * Issue 8's reindex row: rebuild the chainstate from the stored blocks (`ChainState.reindex`, the
 * verify pool running the scripts) against a native model of the same work, measured in the same
 * round: the block's signatures on the C libsecp256k1 loop on all threads, plus the UTXO writes and
 * reads as raw RocksDB binding batches and getMany calls. Ratio = project rate / model rate.
 */
export const benches: Bench[] = [
  {
    name: "reindex",
    unit: "tx/s",
    better: "higher",
    goal: 0.35,
    async setup(mode) {
      const { rounds, perBlock } = shape(mode);
      const dir = await mkdtemp(join(tmpdir(), "starling-bench-reindex-"));
      const kv = await RocksDbStore.open(join(dir, "chain"));
      const store = await KvChainStateStore.open(kv, {
        network: params.name,
        genesisHash: params.genesisHash,
      });
      const pool = createVerifyPool({});
      await pool.start();
      const chain = await ChainState.open({ params, store, scriptRunner: pool });
      const now = () => Math.floor(Date.now() / 1000) + 3600 * 24 * 365;
      const { blocks, jobs } = await buildSpendWorkload(chain, rounds, perBlock, now);
      for (const block of blocks) await chain.processBlock(block, { now: now() });
      await chain.flush();

      // Per round the spends read `txs` coins, delete them and write `txs` new ones (the fan-out
      // and coinbase blocks are small beside them).
      const txs = rounds * perBlock;
      const scratch = await RocksDbStore.open(join(dir, "scratch"));
      const { reference, message } = nativeReference("secp256k1-verify");
      const allJobs = jobs.flat();
      const sigLimit = async (): Promise<Measurement> => {
        if (reference !== undefined) return reference.run(pool.threads, txs);
        // Fallback: the pool itself on the same script checks (named in limitName).
        return measure(async () => {
          await pool.run(allJobs);
          return allJobs.length;
        });
      };
      return {
        limitName:
          reference === undefined
            ? `model: verify pool on the same signatures + raw RocksDB batch writes and getMany (fallback: ${message})`
            : `model: ${reference.description} on ${pool.threads} threads + raw RocksDB batch writes and getMany`,
        async limit() {
          const sig = await sigLimit();
          const { keys, values } = records(txs * 2);
          const write = await measure(async () => {
            const batch = scratch.native.batch();
            for (let i = 0; i < keys.length; i++) batch._put(keys[i]!, values[i]!);
            await batch.write();
            return keys.length;
          });
          const read = await measure(
            () =>
              new Promise<number>((resolve, reject) =>
                scratch.native._getMany(
                  keys.slice(0, txs),
                  {},
                  (err: Error | null, got?: unknown[]) =>
                    err ? reject(err) : resolve(got!.length),
                ),
              ),
          );
          return {
            units: txs,
            seconds: sig.seconds * (txs / sig.units) + write.seconds + read.seconds,
          };
        },
        project: () =>
          measure(async () => {
            await chain.reindex();
            return txs;
          }),
        notes: () => ({ blocks: blocks.length, txs, threads: pool.threads }),
        async close() {
          await chain.close();
          await scratch.close();
          await pool.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
