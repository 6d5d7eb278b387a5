import type { Bench, Measurement, Mode } from "@starling/bench";
import { measure, median } from "@starling/bench";
import { defaultVerifier } from "@starling/chain";
import { acceptWorkload, workloadChain, workloadMempool } from "./accept-fixtures.ts";

const txCount = (mode: Mode): number => (mode === "smoke" ? 20 : mode === "quick" ? 2_000 : 20_000);

/** Main-thread CPU seconds (GC helper threads and other processes excluded; Node >= 23.9). */
function threadCpuSeconds(): number {
  const { user, system } =
    typeof process.threadCpuUsage === "function" ? process.threadCpuUsage() : process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Mempool admission of independent one-input P2PKH transactions (every check, the scripts,
 * insertion), all submitted at once as gossip would deliver them, against the bare signature
 * checks the same transactions need: the verifier called directly on the same (DER, sighash,
 * public key) triples, on one thread. Scripts run inline here (createInlineScriptJobRunner); the
 * node passes its worker pool instead, and the pool comparison belongs with the pool.
 *
 * Besides the wall-clock ratio the harness reports, the notes give the ratio of main-thread CPU
 * time per round, which a loaded machine disturbs less.
 */
export const benches: Bench[] = [
  {
    name: "mempool-accept",
    unit: "tx/s",
    better: "higher",
    goal: 0.7,
    async setup(mode) {
      const workload = acceptWorkload(txCount(mode));
      const chain = workloadChain(workload.coins);
      const verifier = defaultVerifier();
      const cpu = { limit: [] as number[], project: [] as number[] };
      const timed = async (into: number[], fn: () => Promise<Measurement>) => {
        const start = threadCpuSeconds();
        const result = await fn();
        into.push(threadCpuSeconds() - start);
        return result;
      };
      return {
        limitName: `${verifier.name} verify of the same signatures, 1 thread`,
        limit: () =>
          timed(cpu.limit, () =>
            measure(() => {
              for (const c of workload.checks) {
                if (!verifier.verify(c.der, c.sighash, c.publicKey)) throw new Error("bad fixture");
              }
              return workload.checks.length;
            }),
          ),
        project: () =>
          timed(cpu.project, () =>
            measure(async () => {
              const mempool = workloadMempool(chain);
              await Promise.all(workload.transactions.map((tx) => mempool.submit(tx)));
              if (mempool.count !== workload.transactions.length) {
                throw new Error("not every transaction was admitted");
              }
              return mempool.count;
            }),
          ),
        notes: () => ({
          backend: verifier.name,
          transactions: workload.transactions.length,
          threadCpuRatio: Number(
            median(cpu.limit.slice(1).map((l, i) => l / cpu.project[i + 1]!)).toFixed(3),
          ),
        }),
      };
    },
  },
];
