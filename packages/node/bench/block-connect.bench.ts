import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Bench, Mode } from "@starling/bench";
import { measure } from "@starling/bench";
import { ChainState, regtest as params } from "@starling/chain";
import { KvChainStateStore, RocksDbStore } from "@starling/storage";
import { createVerifyPool } from "../src/index.ts";
import { buildSpendWorkload } from "./regtest-workload.ts";

const txsPerBlock = (mode: Mode): number => (mode === "smoke" ? 20 : 2_000);
const blocksNeeded = (mode: Mode): number => (mode === "smoke" ? 1 : mode === "quick" ? 5 : 7) + 1;

/**
 * Issue 3: connecting a block must be bound by its signatures. Project: ChainState.processBlock on
 * RocksDB with the verify pool; limit: the same pool running only those blocks' script checks.
 * Warm: the coins are in the UTXO cache, as right after the fan-out block. Cold: before each
 * round the cache is flushed and emptied, so every input is read from RocksDB (one batched getMany).
 */
function blockConnectBench(cache: "warm" | "cold"): Bench {
  return {
    name: cache === "warm" ? "block-connect" : "block-connect-cold",
    unit: "input/s",
    better: "lower",
    goal: 1.5,
    async setup(mode) {
      const n = txsPerBlock(mode);
      const rounds = blocksNeeded(mode);
      const dir = await mkdtemp(join(tmpdir(), "starling-bench-connect-"));
      const kv = await RocksDbStore.open(dir);
      const store = await KvChainStateStore.open(kv, {
        network: params.name,
        genesisHash: params.genesisHash,
      });
      const pool = createVerifyPool({});
      await pool.start();
      const chain = await ChainState.open({ params, store, scriptRunner: pool });
      const now = () => Math.floor(Date.now() / 1000) + 3600 * 24 * 365;

      const { blocks, jobs } = await buildSpendWorkload(chain, rounds, n, now);
      let nextLimit = 0;
      let nextProject = 0;
      return {
        limitName: `the verify pool (${pool.threads} threads) on the same blocks' script checks alone`,
        limit: () =>
          measure(async () => {
            const batch = jobs[nextLimit++ % jobs.length]!;
            if ((await pool.run(batch)) !== null) throw new Error("fixture script failed");
            return batch.length;
          }),
        project: async () => {
          if (cache === "cold") {
            await chain.flush();
            store.chainStore.coins.evict(0);
          }
          return measure(async () => {
            const block = blocks[nextProject++]!;
            const result = await chain.processBlock(block, { now: now() });
            if (result.status !== "connected")
              throw new Error(`bench block not connected: ${result.status}`);
            return block.transactions.length - 1;
          });
        },
        notes: () => ({ txsPerBlock: n, threads: pool.threads, utxoCache: cache }),
        close: async () => {
          await chain.close();
          await pool.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  };
}

export const benches: Bench[] = [blockConnectBench("warm"), blockConnectBench("cold")];
