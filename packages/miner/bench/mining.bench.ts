/**
 * mining-1 and mining-all: the miner's hashes per second on its worker threads (1 thread, then
 * every core), as a ratio to a native SHA-256d midstate loop on the same number of threads in the
 * same run. The project side is the real search path: PowWorkerPool.search over a nonce range with
 * a target no hash meets, so every nonce is hashed and none ends the search early.
 *
 * The limit is @starling/bench's C loop (SHA-NI where the CPU has it, else OpenSSL's
 * SHA256_Transform). Without a C compiler it falls back to node:crypto's one-shot SHA-256 twice
 * per header on the same number of worker threads, and names itself so.
 */
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Bench, BenchInstance, Measurement, Mode } from "@starling/bench";
import { nativeSha256dMidstateLoop } from "@starling/bench";
import { PowWorkerPool } from "../src/index.ts";

/** Seconds each side of a round should take. */
const roundSeconds = (mode: Mode): number => (mode === "smoke" ? 0.05 : mode === "quick" ? 1 : 2);

/** A target no header hash will meet: the search hashes its whole range. */
const NEVER = 1n;

/**
 * node:crypto SHA-256d over 80-byte headers on `threads` worker threads for about `seconds`. Each
 * worker times itself once started, so thread start-up is not counted against the limit.
 */
async function cryptoLoop(threads: number, seconds: number): Promise<Measurement> {
  const source = `
    const { hash } = require("node:crypto");
    const { parentPort, workerData } = require("node:worker_threads");
    const header = Buffer.alloc(80, 7);
    let n = 0;
    const start = performance.now();
    const end = start + workerData * 1000;
    do {
      for (let i = 0; i < 4096; i++, n++) {
        header.writeUInt32LE(n >>> 0, 76);
        hash("sha256", hash("sha256", header, "buffer"), "buffer");
      }
    } while (performance.now() < end);
    parentPort.postMessage({ n, seconds: (performance.now() - start) / 1000 });
  `;
  const runs = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<{ n: number; seconds: number }>((resolve, reject) => {
          const worker = new Worker(source, { eval: true, workerData: seconds });
          worker.once("message", (run: { n: number; seconds: number }) => {
            resolve(run);
            void worker.terminate();
          });
          worker.once("error", reject);
        }),
    ),
  );
  return {
    units: runs.reduce((sum, r) => sum + r.n, 0),
    seconds: Math.max(...runs.map((r) => r.seconds)),
  };
}

function miningBench(name: string, threadsFor: () => number): Bench {
  return {
    name,
    unit: "H/s",
    better: "higher",
    goal: 0.15,
    async setup(mode): Promise<BenchInstance> {
      const threads = threadsFor();
      const seconds = roundSeconds(mode);
      const pool = new PowWorkerPool({ threads });
      const header = randomBytes(80);
      // Sized from the first (warm-up) round so that each round takes about `seconds`.
      let count = 100_000 * threads;
      let start = 0;
      let limitName = `C SHA-256d midstate loop, ${threads} thread(s)`;
      let fallback: string | undefined;
      return {
        get limitName() {
          return limitName;
        },
        async limit() {
          if (fallback === undefined) {
            const run = await nativeSha256dMidstateLoop(threads, seconds);
            if (run.measurement !== undefined) {
              limitName = `${run.description}, ${threads} thread(s)`;
              return run.measurement;
            }
            fallback = run.message;
          }
          limitName = `node:crypto one-shot SHA-256d loop, ${threads} thread(s) (fallback)`;
          return cryptoLoop(threads, seconds);
        },
        async project() {
          const t0 = performance.now();
          await pool.search({ header, target: NEVER, start, count });
          const elapsed = (performance.now() - t0) / 1000;
          start = (start + count) >>> 0;
          const done = count;
          count = Math.max(10_000 * threads, Math.round((done / elapsed) * seconds));
          return { units: done, seconds: elapsed };
        },
        notes: () => ({
          threads,
          ...(fallback === undefined ? {} : { native: fallback }),
        }),
        close: () => pool.close(),
      };
    },
  };
}

export const benches: Bench[] = [
  miningBench("mining-1", () => 1),
  miningBench("mining-all", () => availableParallelism()),
];
