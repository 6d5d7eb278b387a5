/**
 * UTXO write and read paths of @starling/storage against the RocksDB binding itself.
 *
 * - utxo-write: a flush of N new coins through the UTXO cache and `ChainStore.commit` (encode,
 *   batch, tip record, one write) against `db_bench filluniquerandom` when rocksdb-tools is
 *   installed (`apt-get install rocksdb-tools`), else a raw binding batch loop: the binding's own
 *   batch put of pre-encoded keys and values of the same sizes, one batch of N, one write.
 * - utxo-read: the validation path's cache miss (a cold cache's `prefetch` of L outpoints, one
 *   `getMany`, decode, insert, then `getCoin` each) against the binding's raw `getMany` of the same
 *   number of pre-built keys, on a set flushed to SST files (reopened) and read through the block
 *   cache.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Bench, type Measurement, type Mode, measure } from "@starling/bench";
import { hashToHex } from "@starling/chain";
import { ChainStore, NODE_MAX_BATCH_OPS } from "../src/chain-store.ts";
import { coinKey, type Outpoint } from "../src/layout.ts";
import { type Coin, encodeCoin } from "../src/records/coin.ts";
import { RocksDbStore } from "../src/rocksdb-store.ts";
import { UtxoCache } from "../src/utxo-cache.ts";

const NETWORK = { network: "bench", genesisHash: "00".repeat(32) };

const writeCount = (mode: Mode): number =>
  mode === "smoke" ? 200 : mode === "quick" ? 20_000 : 100_000;
const setSize = (mode: Mode): number =>
  mode === "smoke" ? 500 : mode === "quick" ? 100_000 : 400_000;
const readCount = (mode: Mode): number =>
  mode === "smoke" ? 100 : mode === "quick" ? 8_000 : 20_000;

function p2pkhCoin(height: number): Coin {
  const scriptPubKey = new Uint8Array(25);
  scriptPubKey.set([0x76, 0xa9, 0x14]);
  scriptPubKey.set(randomBytes(20), 3);
  scriptPubKey.set([0x88, 0xac], 23);
  return { value: BigInt(1000 + height), scriptPubKey, height, isCoinbase: false };
}

function randomOutpoints(n: number): Outpoint[] {
  const out: Outpoint[] = [];
  for (let i = 0; i < n; i += 2) {
    const txid = hashToHex(randomBytes(32));
    out.push({ txid, index: 0 });
    if (i + 1 < n) out.push({ txid, index: 1 });
  }
  return out;
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "starling-bench-utxo-"));
}

/** `db_bench` of rocksdb-tools, when installed. */
function dbBenchAvailable(): boolean {
  const probe = spawnSync("db_bench", ["--help"], { stdio: "ignore" });
  return probe.error === undefined;
}

/** ops/s of `db_bench filluniquerandom` for n keys in one batch, or undefined if it failed. */
function dbBenchFill(
  dir: string,
  n: number,
  keySize: number,
  valueSize: number,
): Measurement | undefined {
  const result = spawnSync(
    "db_bench",
    [
      "--benchmarks=filluniquerandom",
      `--num=${n}`,
      `--key_size=${keySize}`,
      `--value_size=${valueSize}`,
      `--batch_size=${n}`,
      "--compression_type=none",
      "--sync=false",
      `--db=${dir}`,
    ],
    { encoding: "utf8" },
  );
  const m = /filluniquerandom\s*:\s*([\d.]+) micros\/op/.exec(result.stdout ?? "");
  if (!m) return undefined;
  return { units: n, seconds: (Number(m[1]) * n) / 1e6 };
}

/**
 * The longest time the event loop went without running a 1 ms timer: how long a commit blocked
 * timers, sockets and RPC. (perf_hooks' monitorEventLoopDelay missed these blocks in a probe here:
 * it sampled 3-4 times during an 80 ms stall and reported 1 ms.)
 */
class EventLoopBlockSampler {
  maxGapMs = 0;
  private last = performance.now();
  private timer: NodeJS.Timeout | undefined;

  constructor() {
    const tick = (): void => {
      const now = performance.now();
      this.maxGapMs = Math.max(this.maxGapMs, now - this.last);
      this.last = now;
      this.timer = setTimeout(tick, 1);
    };
    this.timer = setTimeout(tick, 1);
  }

  reset(): void {
    this.maxGapMs = 0;
    this.last = performance.now();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

export const benches: Bench[] = [
  {
    name: "utxo-write",
    unit: "coin/s",
    better: "higher",
    goal: 0.75,
    async setup(mode) {
      const n = writeCount(mode);
      const dir = await tempDir();
      const chain = await ChainStore.open(await RocksDbStore.open(join(dir, "chainstate")), {
        ...NETWORK,
        sync: false,
        maxBatchOps: NODE_MAX_BATCH_OPS,
      });
      const kv = chain.kv as RocksDbStore;
      // Issue 8: "no single write call blocks the event loop > 50 ms". The binding writes on the
      // main thread, so the synchronous part of each `write` call is the block it causes.
      let maxWriteCallMs = 0;
      const write = kv.write.bind(kv);
      kv.write = (batch, options) => {
        const start = performance.now();
        const done = write(batch, options);
        maxWriteCallMs = Math.max(maxWriteCallMs, performance.now() - start);
        return done;
      };
      const sample = p2pkhCoin(1);
      const keySize = coinKey(randomOutpoints(1)[0]!).length;
      const valueSize = encodeCoin(sample).length;
      const useDbBench = mode !== "smoke" && dbBenchAvailable();
      let height = 0;
      let maxWriteMs = 0;
      let maxBlockMs = 0;
      const loop = new EventLoopBlockSampler();
      return {
        limitName: useDbBench
          ? "db_bench filluniquerandom, same sizes and batch"
          : "raw binding batch loop (@nxtedition/rocksdb batch put + write, same sizes and batch)",
        async limit() {
          if (useDbBench) {
            const benchDir = join(dir, `db_bench-${height++}`);
            const m = dbBenchFill(benchDir, n, keySize, valueSize);
            await rm(benchDir, { recursive: true, force: true });
            if (m) return m;
          }
          const keys = randomOutpoints(n).map((op) => Buffer.from(coinKey(op)));
          const values = keys.map(() => Buffer.from(encodeCoin(p2pkhCoin(height))));
          return measure(async () => {
            const batch = kv.native.batch();
            for (let i = 0; i < n; i++) batch._put(keys[i]!, values[i]!);
            await batch.write();
            return n;
          });
        },
        async project() {
          height++;
          for (const op of randomOutpoints(n))
            chain.coins.addCoin(op.txid, op.index, p2pkhCoin(height));
          loop.reset();
          try {
            return await measure(async () => {
              const start = performance.now();
              await chain.commit(
                { hash: hashToHex(randomBytes(32)), height },
                { evictCoins: true },
              );
              maxWriteMs = Math.max(maxWriteMs, performance.now() - start);
              return n;
            });
          } finally {
            // A block shows only when the sampler's timer next runs.
            await new Promise((resolve) => setTimeout(resolve, 2));
            maxBlockMs = Math.max(maxBlockMs, loop.maxGapMs);
          }
        },
        notes: () => ({
          coinsPerFlush: n,
          keyBytes: keySize,
          valueBytes: valueSize,
          maxCommitMs: Math.round(maxWriteMs),
          batchOps: NODE_MAX_BATCH_OPS,
          maxWriteCallMs: Math.round(maxWriteCallMs),
          maxEventLoopBlockMs: Math.round(maxBlockMs),
        }),
        async close() {
          loop.stop();
          await chain.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: "utxo-read",
    unit: "coin/s",
    better: "higher",
    goal: 0.45,
    async setup(mode) {
      const size = setSize(mode);
      const l = readCount(mode);
      const dir = await tempDir();
      const path = join(dir, "chainstate");
      const outpoints = randomOutpoints(size);
      {
        const chain = await ChainStore.open(await RocksDbStore.open(path), {
          ...NETWORK,
          sync: false,
        });
        for (let i = 0; i < size; i++)
          chain.coins.addCoin(outpoints[i]!.txid, outpoints[i]!.index, p2pkhCoin(i));
        await chain.commit({ hash: hashToHex(randomBytes(32)), height: 1 }, { evictCoins: true });
        await chain.close();
      }
      // Reopening flushes the write-ahead log into SST files: reads then go through the table
      // readers and the block cache, as on a node that has been running.
      const kv = await RocksDbStore.open(path);
      // The outpoints are random, so any run of them is a random sample without repeats.
      const pick = (): Outpoint[] => {
        const start = Math.floor(Math.random() * (size - l));
        return outpoints.slice(start, start + l);
      };
      return {
        limitName: "raw binding getMany (@nxtedition/rocksdb MultiGet, same key count)",
        async limit() {
          const keys = pick().map((op) => Buffer.from(coinKey(op)));
          return measure(
            () =>
              new Promise<number>((resolve, reject) =>
                kv.native._getMany(keys, {}, (err, values) =>
                  err ? reject(err) : resolve(values!.length),
                ),
              ),
          );
        },
        async project() {
          const ops = pick();
          return measure(async () => {
            const cache = new UtxoCache(kv);
            await cache.prefetch(ops);
            let found = 0;
            for (const op of ops) if (cache.getCoin(op.txid, op.index) !== undefined) found++;
            if (found !== ops.length)
              throw new Error(`utxo-read: ${ops.length - found} coins missing`);
            return ops.length;
          });
        },
        notes: () => ({ setSize: size, lookupsPerBatch: l }),
        async close() {
          await kv.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];
