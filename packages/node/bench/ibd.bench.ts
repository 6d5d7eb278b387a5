import type { Bench, Mode } from "@starling/bench";
import { measure } from "@starling/bench";
import { type HarnessNode, mine, startNode, waitFor } from "../test/sync/harness.ts";

/**
 * Issue 8 row `ibd`: an empty node syncs a chain of blocks holding transactions from one peer over
 * loopback, against a local `chain.reindex()` of the same blocks in the same run. A full run uses
 * the workload: 2,000 blocks, the last 1,900 holding 53 transactions each (100,700 in all).
 */
const sizes = (mode: Mode): { blocks: number; fanOut: number } =>
  mode === "smoke"
    ? { blocks: 110, fanOut: 2 }
    : mode === "quick"
      ? { blocks: 300, fanOut: 20 }
      : { blocks: 2000, fanOut: 52 };

// The serving node's bucket and the syncing node's pacing both opened up: the bench measures the
// sync, not the default per-peer rate limit (64 blocks/s), which docs/sync.md discusses.
const OPEN_LIMIT = { capacity: 100_000, refillPerSecond: 100_000 };

export const benches: Bench[] = [
  {
    name: "ibd",
    unit: "block/s",
    better: "higher",
    goal: 0.8,
    async setup(mode) {
      const { blocks, fanOut } = sizes(mode);
      const source = await startNode({
        noSync: true,
        network: { rateLimits: { blocks: OPEN_LIMIT } },
      });
      const setupStarted = performance.now();
      const mined = await mine(source.chain, blocks, { fanOut });
      const txs = mined.reduce((n, b) => n + b.transactions.length, 0);
      const setupSeconds = (performance.now() - setupStarted) / 1000;
      const tip = source.chain.tip.hash;
      return {
        limitName: `chain.reindex() of the same ${blocks} blocks on the serving node`,
        limit: () =>
          measure(async () => {
            const after = await source.chain.reindex();
            if (after.hash !== tip) throw new Error("reindex ended elsewhere");
            return blocks;
          }),
        project: () =>
          measure(async () => {
            let node: HarnessNode | undefined;
            try {
              node = await startNode({
                sync: { peerBlocksPerSecond: 100_000, peerBlocksBurst: 100_000 },
              });
              await node.network.dial(source.address);
              const syncing = node;
              await waitFor(
                () => syncing.chain.tip.hash === tip,
                "the sync reaches the tip",
                300_000,
                5,
              );
              return blocks;
            } finally {
              await node?.close();
            }
          }),
        notes: () => ({ blocks, transactions: txs, setupSeconds: Math.round(setupSeconds) }),
        close: () => source.close(),
      };
    },
  },
];
